"""Every change to the work calendar, the policy and SLA clocks."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mdss.audit import esign
from mdss.audit import services as audit
from mdss.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from . import engine, reference, selectors
from .choices import CLOCK_TRANSITIONS, CadencePeriod, ClockStatus, TimeUnit
from .models import (
    CalendarDay,
    CalendarRevision,
    CalendarYear,
    PolicyCadence,
    PolicyVersion,
    SlaClock,
    SlaTarget,
)
from .signals import policy_activated

# --- work calendar -------------------------------------------------------------------


def _bump_revision() -> None:
    CalendarRevision.objects.get_or_create(pk=1)
    CalendarRevision.objects.filter(pk=1).update(value=F("value") + 1)


def calendar_load_statutory() -> int:
    """Publish every year the chinese-calendar package knows and we do not yet."""
    with transaction.atomic():
        added = reference.load_statutory(CalendarYear, CalendarDay, CalendarRevision)
        if added:
            audit.record(
                actor=None, action="calendar.statutory_loaded", changes={"years_added": added}
            )
    return added


def _require_calendar_admin(actor) -> None:
    if not (actor.is_superuser or actor.has_perm("calendars.change_calendarday")):
        raise PermissionDenied(_("Only calendar administrators can change the work calendar."))


def calendar_day_set(
    *, actor, day: date, is_working_day: bool, name: str, reason: str
) -> CalendarDay:
    """Mark a day as a holiday or a make-up working day (an announced change, usually)."""
    _require_calendar_admin(actor)
    if not reason.strip():
        raise ValidationFailed.single(
            "reason", "required", _("Say why the calendar changes (e.g. the notice).")
        )
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = audit.snapshot(row, ["is_working_day", "name"]) if row else {}
        if row is None:
            row = CalendarDay(date=day, source="manual")
        row.is_working_day = is_working_day
        row.name = name.strip()
        row.source = "manual"
        row.save()
        _bump_revision()
        audit.record(
            actor=actor,
            action="calendar.day_set",
            obj=row,
            reason=reason,
            changes=audit.diff(before, audit.snapshot(row, ["is_working_day", "name"])),
        )
    return row


def calendar_day_clear(*, actor, day: date, reason: str) -> None:
    """Return a day to the Monday–Friday default."""
    _require_calendar_admin(actor)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            return
        before = audit.snapshot(row, ["date", "is_working_day", "name"])
        audit.record(
            actor=actor, action="calendar.day_cleared", obj=row, reason=reason, changes=before
        )
        row.delete()
        _bump_revision()


def calendar_year_publish(*, actor, year: int, note: str = "") -> CalendarYear:
    """Declare a year's holidays complete: its deadlines stop being provisional."""
    _require_calendar_admin(actor)
    if not 2000 <= year <= 2100:
        raise ValidationFailed.single("year", "range", _("The year must be between 2000 and 2100."))
    with transaction.atomic():
        published, created = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": "manual", "note": note}
        )
        if not created:
            raise Conflict(_("The calendar of %(year)s is already published.") % {"year": year})
        _bump_revision()
        audit.record(actor=actor, action="calendar.year_published", obj=published, reason=note)
    return published


def calendar_missing_alert(*, today: date | None = None) -> bool:
    """From 1 November, tell administrators (daily) that next year's calendar is missing."""
    from mdss.accounts.models import User

    today = today or selectors.local_today()
    year = selectors.calendar_missing_for(today)
    if year is None:
        return False
    with transaction.atomic():
        for admin in User.objects.filter(is_superuser=True, is_active=True):
            notify(
                recipient=admin,
                kind="calendar.missing",
                subject=_("The work calendar of %(year)s is missing") % {"year": year},
                body=_(
                    "Deadlines in %(year)s fall back to Monday–Friday and are marked provisional. "
                    "Enter the State Council's holidays and make-up days, then publish the year."
                )
                % {"year": year},
                link="/calendars/",
                dedupe_key=f"calendar-missing-{year}-{admin.pk}-{today.isoformat()}",
            )
    return True


# --- policy ----------------------------------------------------------------------------


def policy_change(
    *,
    actor,
    password: str,
    note: str,
    targets: dict[str, dict],
    business_hours: str | None = None,
    cadences: dict[str, dict] | None = None,
) -> PolicyVersion:
    """Create and activate a new policy version; management signs it.

    ``targets``: {code: {"duration": "0.5", "unit": "clock_hours", "warn_percent": 80}}
    for the targets that change; the others are copied. Clocks already running keep
    the version that set their deadline. ``cadences``: {code: {"period_months": 3,
    "min_count": 1}} likewise; apps re-plan their due dates on ``policy_activated``.
    """
    cadences = cadences or {}
    if not (actor.is_superuser or actor.has_role("management")):
        raise PermissionDenied(_("Only management can change the policy."))
    if not note.strip():
        raise ValidationFailed.single("note", "required", _("Say what changes and why."))
    esign.authenticate(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        current = PolicyVersion.objects.select_for_update().get(is_active=True)
        current_targets = {t.code: t for t in current.targets.all()}
        errors = []
        for code, values in targets.items():
            if code not in current_targets:
                errors.append((f"targets.{code}", "unknown", _("No target with this code.")))
                continue
            try:
                duration = Decimal(str(values.get("duration", current_targets[code].duration)))
            except InvalidOperation:
                duration = Decimal(0)
            if duration <= 0:
                errors.append(
                    (
                        f"targets.{code}.duration",
                        "min_value",
                        _("The duration must be more than 0."),
                    )
                )
            if values.get("unit", current_targets[code].unit) not in TimeUnit.values:
                errors.append((f"targets.{code}.unit", "choice", _("Unknown unit.")))
            warn = int(values.get("warn_percent", current_targets[code].warn_percent))
            if not 1 <= warn <= 99:
                errors.append(
                    (f"targets.{code}.warn_percent", "range", _("Warn between 1 and 99 %."))
                )
        current_cadences = {c.code: c for c in current.cadences.all()}
        errors.extend(_cadence_errors(cadences, current_cadences))
        if business_hours:
            try:
                engine.BusinessHours.parse(business_hours)
            except ValueError as exc:
                errors.append(("business_hours", "format", str(exc)))
        if errors:
            from mdss.core.errors import FieldError

            raise ValidationFailed(errors=[FieldError(*e) for e in errors])
        new = PolicyVersion(
            number=current.number + 1,
            note=note.strip(),
            created_by=actor,
            business_hours=business_hours or current.business_hours,
        )
        current.is_active = False
        current.save(update_fields=["is_active"])
        new.is_active = True
        new.activated_at = timezone.now()
        new.save()
        changes = {}
        for code, old in current_targets.items():
            values = targets.get(code, {})
            target = SlaTarget(
                policy=new,
                code=code,
                name=old.name,
                requirement=old.requirement,
                starts_on=old.starts_on,
                stops_on=old.stops_on,
                duration=Decimal(str(values.get("duration", old.duration))).quantize(
                    Decimal("0.01")
                ),
                unit=values.get("unit", old.unit),
                warn_percent=int(values.get("warn_percent", old.warn_percent)),
            )
            target.save()
            before = {
                "duration": str(old.duration),
                "unit": old.unit,
                "warn_percent": old.warn_percent,
            }
            after = {
                "duration": str(target.duration),
                "unit": target.unit,
                "warn_percent": target.warn_percent,
            }
            if before != after:
                changes[code] = {"before": before, "after": after}
        for code, old in current_cadences.items():
            values = cadences.get(code, {})
            cadence = PolicyCadence.objects.create(
                policy=new,
                code=code,
                name=old.name,
                requirement=old.requirement,
                period_months=int(values.get("period_months", old.period_months)),
                min_count=int(values.get("min_count", old.min_count)),
            )
            before = {"period_months": old.period_months, "min_count": old.min_count}
            after = {"period_months": cadence.period_months, "min_count": cadence.min_count}
            if before != after:
                changes[code] = {"before": before, "after": after}
        transaction.on_commit(lambda: policy_activated.send(sender=PolicyVersion, policy=new))
        esign.sign(
            signer=actor,
            password=password,
            meaning="policy change approved",
            obj=new,
            content={
                "version": new.number,
                "targets": changes,
                "business_hours": new.business_hours,
            },
        )
        audit.record(
            actor=actor,
            action="policy.version_activated",
            obj=new,
            reason=note,
            changes={"from_version": current.number, "targets": changes},
        )
    return new


def _cadence_errors(changes: dict[str, dict], current: dict) -> list[tuple]:
    errors = []
    for code, values in changes.items():
        if code not in current:
            errors.append((f"cadences.{code}", "unknown", _("No cadence with this code.")))
            continue
        months = values.get("period_months", current[code].period_months)
        if str(months) not in {str(v) for v in CadencePeriod.values}:
            errors.append(
                (
                    f"cadences.{code}.period_months",
                    "choice",
                    _("A period is 1, 2, 3, 6 or 12 months."),
                )
            )
        count = str(values.get("min_count", current[code].min_count))
        if not count.isdigit() or int(count) < 1:
            errors.append(
                (f"cadences.{code}.min_count", "min_value", _("At least once per period."))
            )
    return errors


# --- SLA clocks ----------------------------------------------------------------------------


def _hours(policy: PolicyVersion) -> engine.BusinessHours:
    return engine.BusinessHours.parse(policy.business_hours)


def _warn_amount(unit: str, amount: float, warn_percent: int) -> float:
    value = amount * warn_percent / 100
    return math.floor(value) if unit == engine.WORKING_DAYS else value


def clock_start(
    *, subject, code: str, responsible=None, actor=None, at: datetime | None = None
) -> SlaClock:
    """Start the obligation ``code`` of the active policy for ``subject``."""
    at = at or timezone.now()
    try:
        target = selectors.sla_target(code)
    except SlaTarget.DoesNotExist as exc:
        raise NotFound(_("The active policy has no target %(code)s.") % {"code": code}) from exc
    calendar = selectors.work_calendar()
    tz = selectors.local_tz()
    hours = _hours(target.policy)
    amount = engine.amount_in_unit(target.unit, float(target.duration))
    due_at, provisional = calendar.due(target.unit, at, amount, tz, hours)
    warn_at, _p = calendar.due(
        target.unit, at, _warn_amount(target.unit, amount, target.warn_percent), tz, hours
    )
    clock = SlaClock(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        subject_repr=str(subject)[:255],
        target=target,
        code=code,
        unit=target.unit,
        responsible=responsible,
        status=ClockStatus.RUNNING,
        started_at=at,
        due_at=due_at,
        warn_at=min(warn_at, due_at),
        provisional=provisional,
    )
    try:
        with transaction.atomic():
            clock.save()
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
    except IntegrityError as exc:
        raise Conflict(
            _("The obligation %(code)s is already running for this record.") % {"code": code}
        ) from exc
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
            for c in clocks
        ]
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

    Every step is a conditional update of one clock, so a second run (or two
    consumers at once) changes nothing and sends nothing.
    """
    from mdss.accounts.models import User

    now = now or timezone.now()
    counts = {"warned": 0, "breached": 0, "escalated": 0}
    digests: dict[tuple[int, str], list[SlaClock]] = defaultdict(list)
    with transaction.atomic():
        warn = SlaClock.objects.filter(
            status=ClockStatus.RUNNING, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now
        ).select_related("target", "responsible")
        for clock in warn:
            if _claim(
                clock.pk, {"warned_at__isnull": True, "status": ClockStatus.RUNNING}, warned_at=now
            ):
                counts["warned"] += 1
                audit.record(
                    actor=None, action="sla.warned", obj=clock, changes={"due_at": clock.due_at}
                )
                if clock.responsible:
                    digests[(clock.responsible_id, "sla.warning")].append(clock)

        breached = SlaClock.objects.filter(
            status=ClockStatus.RUNNING, breached_at__isnull=True, due_at__lte=now
        ).select_related("target", "responsible__superior")
        for clock in breached:
            if not _claim(
                clock.pk,
                {"breached_at__isnull": True, "status": ClockStatus.RUNNING},
                breached_at=now,
            ):
                continue
            counts["breached"] += 1
            audit.record(
                actor=None, action="sla.breached", obj=clock, changes={"due_at": clock.due_at}
            )
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

        people = User.objects.in_bulk([person for person, _kind in digests])
        for (person_id, kind), clocks in digests.items():
            _digest(people[person_id], kind, clocks, now)
    return counts
