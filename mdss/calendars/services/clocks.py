"""SLA clocks: start, pause, resume, stop, cancel, and the sweep (warn, breach,
escalate, and the breach handlers apps register in ``calendars.hooks``)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mdss.audit import services as audit
from mdss.core.errors import (
    Conflict,
    NotFound,
    ValidationFailed,
)
from mdss.core.prepared import PreparedInsert
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from .. import engine, hooks, selectors
from ..choices import CLOCK_TRANSITIONS, ClockStatus
from ..models import (
    PolicyVersion,
    SlaClock,
    SlaTarget,
)

# Every clock start makes this INSERT: compiled once (core.prepared).
_insert_clock = PreparedInsert(SlaClock, skip_conflicts=True)
# The first clock of a record written in the same audit batch: nothing can run for it.
_insert_first_clock = PreparedInsert(SlaClock)


def _hours(policy: PolicyVersion) -> engine.BusinessHours:
    return engine.BusinessHours.parse(policy.business_hours)


def _warn_amount(unit: str, amount: float, warn_percent: int) -> float:
    value = amount * warn_percent / 100
    return math.floor(value) if unit == engine.WORKING_DAYS else value


@dataclass(frozen=True)
class ClockPlan:
    """When a clock started at ``at`` would fall due under the policy in force."""

    code: str
    target: SlaTarget
    at: datetime
    due_at: datetime
    warn_at: datetime
    provisional: bool


def clock_plan(code: str, at: datetime | None = None) -> ClockPlan:
    """The due and warning times of obligation ``code`` started at ``at``, before
    anything is written: a record can carry its deadline from its first INSERT."""
    at = at or timezone.now()
    try:
        target, calendar = selectors.sla_target_and_calendar(code)
    except SlaTarget.DoesNotExist as exc:
        raise NotFound(_("The active policy has no target %(code)s.") % {"code": code}) from exc
    tz = selectors.local_tz()
    hours = _hours(target.policy)
    amount = engine.amount_in_unit(target.unit, float(target.duration))
    due_at, provisional = calendar.due(target.unit, at, amount, tz, hours)
    warn_at, _p = calendar.due(
        target.unit, at, _warn_amount(target.unit, amount, target.warn_percent), tz, hours
    )
    return ClockPlan(code, target, at, due_at, min(warn_at, due_at), provisional)


def clock_start(
    *,
    subject,
    code: str,
    responsible=None,
    actor=None,
    at: datetime | None = None,
    plan: ClockPlan | None = None,
    writes: audit.Batch | None = None,
) -> SlaClock:
    """Start the obligation ``code`` of the active policy for ``subject`` (as ``plan``
    computed it, when the caller needed the deadline first).

    ``writes``: the audit batch in which the caller creates ``subject`` itself; the
    clock is then written with the record and the events, in the same statement
    where the database allows (``audit.batch``)."""
    if plan is None:
        plan = clock_plan(code, at)
    elif plan.code != code or (at is not None and at != plan.at):
        raise ValueError("the plan is for another obligation or start")
    target, due_at, provisional = plan.target, plan.due_at, plan.provisional
    clock = SlaClock(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        subject_repr=str(subject)[:255],
        target=target,
        code=code,
        unit=target.unit,
        responsible=responsible,
        status=ClockStatus.RUNNING,
        started_at=plan.at,
        due_at=due_at,
        warn_at=plan.warn_at,
        provisional=provisional,
    )
    # One open clock per record and obligation: a second start is skipped by the
    # unique constraint, without an error to roll back (no savepoint round trips).
    with transaction.atomic(savepoint=False):
        if writes is not None:
            writes.insert(_insert_first_clock, clock)
            started = True
        else:
            started = _insert_clock.insert(clock)
        if started:
            audit.record(
                actor=actor,
                action="sla.started",
                obj=clock,
                changes={
                    "code": code,
                    "policy": target.policy.number,
                    "due_at": due_at,
                    "provisional": provisional,
                },
            )
    if not started:
        raise Conflict(
            _("The obligation %(code)s is already running for this record.") % {"code": code}
        )
    return clock


def _locked(clock: SlaClock, *allowed_from: str, to: str) -> SlaClock:
    # ``allowed_from`` documents the caller's intent; the transition map decides.
    return lock_for_transition(clock, to, CLOCK_TRANSITIONS)


def _save(clock: SlaClock, fields: list[str]) -> None:
    # RegulatedQuerySet refuses bulk update(); a single row's save is audited by the caller.
    clock.save(update_fields=fields)


def clock_pause(*, clock: SlaClock, actor, reason: str, at: datetime | None = None) -> SlaClock:
    """Stop counting (e.g. waiting for the customer); the remaining time is kept in the unit."""
    if not reason.strip():
        raise ValidationFailed.single("reason", "required", _("Say why the clock is paused."))
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock, ClockStatus.RUNNING, to=ClockStatus.PAUSED)
        calendar = selectors.work_calendar()
        clock.remaining_at_pause = calendar.remaining(
            clock.unit, at, clock.due_at, selectors.local_tz(), _hours(clock.target.policy)
        )
        clock.status = ClockStatus.PAUSED
        clock.paused_at = at
        _save(clock, ["status", "paused_at", "remaining_at_pause"])
        audit.record(
            actor=actor,
            action="sla.paused",
            obj=clock,
            reason=reason,
            changes={"remaining": clock.remaining_at_pause, "unit": clock.unit},
        )
    return clock


def clock_resume(*, clock: SlaClock, actor, at: datetime | None = None) -> SlaClock:
    """Count again; ``due_at`` is re-planned from now with the remaining time, in the unit."""
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock, ClockStatus.PAUSED, to=ClockStatus.RUNNING)
        calendar = selectors.work_calendar()
        tz = selectors.local_tz()
        hours = _hours(clock.target.policy)
        remaining = clock.remaining_at_pause or 0
        before = clock.due_at
        clock.due_at, clock.provisional = calendar.due(clock.unit, at, remaining, tz, hours)
        if clock.warned_at is None:
            amount = engine.amount_in_unit(clock.unit, float(clock.target.duration))
            slack = amount - _warn_amount(clock.unit, amount, clock.target.warn_percent)
            warn_at, _p = calendar.due(clock.unit, at, max(0, remaining - slack), tz, hours)
            clock.warn_at = min(warn_at, clock.due_at)
        clock.paused_seconds += int((at - clock.paused_at).total_seconds())
        clock.status = ClockStatus.RUNNING
        clock.paused_at = None
        clock.remaining_at_pause = None
        _save(
            clock,
            [
                "status",
                "paused_at",
                "remaining_at_pause",
                "due_at",
                "warn_at",
                "provisional",
                "paused_seconds",
            ],
        )
        audit.record(
            actor=actor,
            action="sla.resumed",
            obj=clock,
            changes={"due_at": {"before": before, "after": clock.due_at}},
        )
    return clock


def clock_stop(*, clock: SlaClock, actor, at: datetime | None = None) -> SlaClock:
    """The obligation is fulfilled: met if on time, missed if late."""
    at = at or timezone.now()
    with transaction.atomic():
        fresh = SlaClock.objects.select_for_update().get(pk=clock.pk)
        # Time stood still while paused: a clock paused before it fell due is met.
        counted_until = fresh.paused_at if fresh.status == ClockStatus.PAUSED else at
        outcome = ClockStatus.MET if counted_until <= fresh.due_at else ClockStatus.MISSED
        clock = _locked(fresh, ClockStatus.RUNNING, ClockStatus.PAUSED, to=outcome)
        clock.status = outcome
        clock.stopped_at = at
        _save(clock, ["status", "stopped_at"])
        audit.record(
            actor=actor,
            action=f"sla.{outcome}",
            obj=clock,
            changes={"due_at": clock.due_at, "stopped_at": at},
        )
    return clock


def clock_stop_for(*, subject, code: str, actor, at: datetime | None = None) -> SlaClock | None:
    """Stop the open clock ``code`` of ``subject`` if there is one (services call this)."""
    clock = (
        selectors.clocks_for(subject)
        .filter(code=code, status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED])
        .first()
    )
    return clock_stop(clock=clock, actor=actor, at=at) if clock else None


def clock_cancel(*, clock: SlaClock, actor, reason: str) -> SlaClock:
    """The obligation no longer applies (e.g. the request was withdrawn)."""
    if not reason.strip():
        raise ValidationFailed.single("reason", "required", _("Say why the clock is cancelled."))
    with transaction.atomic():
        clock = _locked(clock, ClockStatus.RUNNING, ClockStatus.PAUSED, to=ClockStatus.CANCELLED)
        clock.status = ClockStatus.CANCELLED
        clock.stopped_at = timezone.now()
        _save(clock, ["status", "stopped_at"])
        audit.record(actor=actor, action="sla.cancelled", obj=clock, reason=reason)
    return clock


def clock_cancel_for(*, subject, code: str, actor, reason: str) -> SlaClock | None:
    """Cancel the open clock ``code`` of ``subject`` if there is one (the request it
    measured was withdrawn)."""
    clock = (
        selectors.clocks_for(subject)
        .filter(code=code, status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED])
        .first()
    )
    return clock_cancel(clock=clock, actor=actor, reason=reason) if clock else None


def clock_reassign_for(*, subject, code: str, responsible, actor) -> SlaClock | None:
    """Give the open clock ``code`` of ``subject`` to another person (a request
    reassigned to another engineer): the deadline stays, warnings and escalation now
    reach the new person."""
    clock = (
        selectors.clocks_for(subject)
        .filter(code=code, status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED])
        .first()
    )
    if clock is None or clock.responsible_id == getattr(responsible, "pk", None):
        return clock
    with transaction.atomic():
        before = clock.responsible_id
        clock.responsible = responsible
        _save(clock, ["responsible"])
        audit.record(
            actor=actor,
            action="sla.reassigned",
            obj=clock,
            changes={"responsible": [before, getattr(responsible, "pk", None)]},
        )
    return clock


SWEEP_CHUNK = 200  # clocks a sweep claims with one lock and one update, audited in one insert


def _chunks(clocks) -> list[list[SlaClock]]:
    clocks = list(clocks)
    return [clocks[n : n + SWEEP_CHUNK] for n in range(0, len(clocks), SWEEP_CHUNK)]


def _claim_many(clocks: list[SlaClock], condition: dict, **values) -> list[SlaClock]:
    """Those of ``clocks`` that still meet ``condition``, now set to ``values``: locked
    in key order, then updated, two statements whatever their number; a second sweep
    (or two at once) finds nothing left to claim."""
    held = set(
        SlaClock.objects.select_for_update()
        .filter(pk__in=[clock.pk for clock in clocks], **condition)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if held:
        SlaClock.objects.filter(pk__in=held).audited_update(**values)
    return [clock for clock in clocks if clock.pk in held]


def _claim(clock_id: int, condition: dict, **values) -> bool:
    """Set ``values`` on one clock only if ``condition`` still holds (idempotent sweeps)."""
    return SlaClock.objects.filter(pk=clock_id, **condition).audited_update(**values) == 1


def _escalate(clock: SlaClock, level: int, to, now: datetime) -> bool:
    """Raise one clock to ``level`` (only from the level below) and audit it."""
    if not _claim(
        clock.pk,
        {"escalation_level": level - 1},
        escalation_level=level,
        escalated_to=to,
        escalated_at=now,
    ):
        return False
    audit.record(
        actor=None, action="sla.escalated", obj=clock, changes={"level": level, "to": to.pk}
    )
    return True


DIGEST_LINES = 50  # clocks listed in one message; the rest are counted

DIGEST_TITLES = {
    "sla.warning": gettext_lazy("Deadlines approaching: %(n)s"),
    "sla.breach": gettext_lazy("Deadlines missed: %(n)s"),
    "sla.escalation": gettext_lazy("Escalated to you — deadlines missed by your team: %(n)s"),
}


def _digest(recipient, kind: str, clocks: list[SlaClock], now: datetime) -> None:
    """One message per person per sweep, in that person's language."""
    tz = selectors.local_tz()
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        due = _("due")
        subject = str(DIGEST_TITLES[kind]) % {"n": len(clocks)}
        lines = [
            f"• {c.subject_repr} — {c.target.name} — {due} {c.due_at.astimezone(tz):%Y-%m-%d %H:%M}"
            for c in clocks[:DIGEST_LINES]
        ]
        if len(clocks) > DIGEST_LINES:
            # A backlog (after downtime, say) must still fit one message: the list
            # page behind the link has them all.
            lines.append(
                _("… and %(n)s more: see the list of deadlines.")
                % {"n": len(clocks) - DIGEST_LINES}
            )
    notify(
        recipient=recipient,
        kind=kind,
        subject=subject,
        body="\n".join(lines),
        link="/calendars/clocks/",
        webhook=kind != "sla.warning",
        dedupe_key=f"{kind}-{recipient.pk}-{now:%Y%m%d%H%M%S}-{min(c.pk for c in clocks)}",
    )


def clock_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Warn at the threshold, mark breaches, escalate up the ladder; one digest per person.

    Every step is a conditional update of the clocks still in the state the step
    looks for (locked first, ``SWEEP_CHUNK`` at a time, their events one insert), so a
    second run (or two consumers at once) changes nothing and sends nothing, and a
    backlog after downtime costs a few statements per chunk, not per clock, until the
    escalations (one update each, to each clock's own superior).
    """
    from mdss.accounts.models import User

    now = now or timezone.now()
    counts = {"warned": 0, "breached": 0, "escalated": 0}
    digests: dict[tuple[int, str], list[SlaClock]] = defaultdict(list)
    batched: dict[object, list[tuple[int, SlaClock]]] = defaultdict(list)
    with transaction.atomic():
        warn = SlaClock.objects.filter(
            status=ClockStatus.RUNNING, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now
        ).select_related("target", "responsible")
        # A chunk's events are one insert (audit.batch).
        for chunk in _chunks(warn):
            claimed = _claim_many(
                chunk, {"warned_at__isnull": True, "status": ClockStatus.RUNNING}, warned_at=now
            )
            with audit.batch():
                for clock in claimed:
                    counts["warned"] += 1
                    audit.record(
                        actor=None, action="sla.warned", obj=clock, changes={"due_at": clock.due_at}
                    )
                    if clock.responsible:
                        digests[(clock.responsible_id, "sla.warning")].append(clock)

        breached = SlaClock.objects.filter(
            status=ClockStatus.RUNNING, breached_at__isnull=True, due_at__lte=now
        ).select_related("target", "responsible__superior")
        for chunk in _chunks(breached):
            claimed = _claim_many(
                chunk,
                {"breached_at__isnull": True, "status": ClockStatus.RUNNING},
                breached_at=now,
            )
            with audit.batch():
                for clock in claimed:
                    counts["breached"] += 1
                    audit.record(
                        actor=None,
                        action="sla.breached",
                        obj=clock,
                        changes={"due_at": clock.due_at},
                    )
                    # The app that owns the record acts once the breach is committed.
                    for handler in hooks.breach_handlers(clock.code):
                        transaction.on_commit(
                            lambda h=handler, c=clock: h(int(c.object_id), c), robust=True
                        )
                    for handler in hooks.batch_breach_handlers(clock.code):
                        batched[handler].append((int(clock.object_id), clock))
                    if clock.responsible:
                        digests[(clock.responsible_id, "sla.breach")].append(clock)
                    superior = clock.responsible.superior if clock.responsible else None
                    if superior and _escalate(clock, 1, superior, now):
                        counts["escalated"] += 1
                        digests[(superior.pk, "sla.escalation")].append(clock)

        # Level 2: still open one more full target duration after the deadline → the
        # superior's superior.
        level_one = SlaClock.objects.filter(
            status=ClockStatus.RUNNING, escalation_level=1
        ).select_related("target__policy", "escalated_to__superior")
        calendar = selectors.work_calendar()
        tz = selectors.local_tz()
        for clock in level_one:
            amount = engine.amount_in_unit(clock.unit, float(clock.target.duration))
            second_due, _p = calendar.due(
                clock.unit, clock.due_at, amount, tz, _hours(clock.target.policy)
            )
            boss = clock.escalated_to.superior if clock.escalated_to else None
            if second_due <= now and boss and _escalate(clock, 2, boss, now):
                counts["escalated"] += 1
                digests[(boss.pk, "sla.escalation")].append(clock)

        for handler, breaches in batched.items():
            transaction.on_commit(lambda h=handler, b=breaches: h(b), robust=True)

        people = User.objects.in_bulk([person for person, _kind in digests])
        for (person_id, kind), clocks in digests.items():
            _digest(people[person_id], kind, clocks, now)
    return counts
