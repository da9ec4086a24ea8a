"""The request itself: logging a call (A4, with the 1-hour contact clock of A5),
the first contact, triage (A6), phone guidance, cancelling, closing and reopening."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_tz
from mdss.core.errors import Conflict, FieldError
from mdss.core.numbers import next_number
from mdss.core.prepared import PreparedInsert

from ..choices import (
    CLOCKS,
    CONTACT_CLOCK,
    ONSITE_CLOCK,
    URGENCY_RANK,
    Channel,
    Resolution,
    Triage,
    Urgency,
)
from ..choices import RequestStatus as S
from ..choices import ServiceAction as A
from ..models import ServiceRequest
from ..permissions import require_action, require_portal
from .common import dispatcher_for, fresh, locked, move, now_or, raise_if, require_text, track_due

# A call may be logged a while after it came in (the line was busy), not days later,
# and not in the future.
LATE_LOGGING = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=5)


# The INSERT every logged call makes, compiled once (core.prepared).
_insert_request = PreparedInsert(ServiceRequest)


def _notify(recipient, request: ServiceRequest, subject: str) -> None:
    from mdss.notifications.services import notify

    if recipient is not None:
        notify(
            recipient=recipient,
            kind="service.request",
            subject=subject,
            body=request.symptom[:500],
            link=f"/service/{request.pk}/",
        )


def _local(at: datetime) -> str:
    return timezone.localtime(at, local_tz()).strftime("%Y-%m-%d %H:%M")


def request_create(
    *,
    actor,
    customer,
    channel: str,
    reporter_name: str,
    symptom: str,
    device=None,
    reporter_phone: str = "",
    urgency: str = Urgency.NORMAL,
    reported_at: datetime | None = None,
    now: datetime | None = None,
    reopens: ServiceRequest | None = None,
) -> ServiceRequest:
    """Log a reported fault, day or night (A4); the 1-hour contact clock (A5) runs
    from the moment it was reported. An engineer on call who takes the call owns it."""
    from mdss.accounts import roles
    from mdss.calendars.services import clock_plan, clock_start

    if channel == Channel.PORTAL:
        require_portal(actor, customer)  # the customer's own login, for its organisation
    else:
        require_action(actor, A.CREATE)
    now = now_or(now)
    reported_at = reported_at or now
    errors: list[FieldError] = []
    reporter_name = require_text(errors, "reporter_name", reporter_name)
    symptom = require_text(errors, "symptom", symptom, _("Describe the fault as reported."))
    if channel not in Channel.values or (channel == Channel.REOPENED and reopens is None):
        errors.append(FieldError("channel", "invalid_choice", _("Choose a channel.")))
    if urgency not in Urgency.values:
        errors.append(FieldError("urgency", "invalid_choice", _("Choose an urgency.")))
    if reported_at > now + CLOCK_SKEW:
        errors.append(FieldError("reported_at", "future", _("This time has not come yet.")))
    elif reported_at < now - LATE_LOGGING:
        errors.append(
            FieldError(
                "reported_at",
                "too_old",
                _("A call is logged within %(n)s days of coming in.") % {"n": LATE_LOGGING.days},
            )
        )
    if device is not None:
        if device.customer_id != customer.pk:
            errors.append(
                FieldError("device", "other_customer", _("This device is not at this customer."))
            )
        elif device.status != "in_service":
            errors.append(
                FieldError(
                    "device",
                    "not_in_service",
                    _("This device is %(status)s.") % {"status": device.get_status_display()},
                )
            )
    raise_if(errors)
    on_call = actor.has_role(roles.SERVICE_ENGINEER) and not actor.has_role(roles.SERVICE_MANAGER)
    local_day = timezone.localtime(reported_at, local_tz()).date()
    warranty = getattr(device, "warranty_until", None)
    # The contact deadline is known before the row is written, so the row carries it.
    plan = clock_plan(CONTACT_CLOCK, reported_at)
    # One transaction; the request, its clock and their events are written together
    # when the block ends (audit.batch: one statement on PostgreSQL).
    with audit.batch() as writes:
        request = ServiceRequest(
            number=next_number("FW", on=local_day),
            due_at=plan.due_at,
            channel=channel,
            customer=customer,
            province_id=customer.province_id,
            device=device,
            reporter_name=reporter_name,
            reporter_phone=(reporter_phone or "").strip(),
            symptom=symptom,
            urgency=urgency,
            urgency_rank=URGENCY_RANK[Urgency(urgency)],
            reported_at=reported_at,
            engineer=actor if on_call else None,
            under_warranty=bool(warranty and warranty >= local_day),
            reopens=reopens,
            created_by=actor,
        )
        writes.insert(_insert_request, request)
        # The engineer on call, or the dispatcher who took the call, answers for the
        # contact until an engineer is assigned; else the least-loaded dispatcher.
        if request.engineer is not None:
            responsible = request.engineer
        elif actor.has_role(roles.SERVICE_MANAGER) and channel != Channel.PORTAL:
            responsible = actor
        else:
            responsible = dispatcher_for(request, CONTACT_CLOCK)
        clock = clock_start(
            subject=request,
            code=CONTACT_CLOCK,
            responsible=responsible,
            actor=actor,
            plan=plan,
            writes=writes,
        )
        audit.record(
            actor=actor,
            action="service.created",
            obj=request,
            changes={
                "channel": channel,
                "customer": customer.pk,
                "device": getattr(device, "pk", None),
                "urgency": urgency,
                "reported_at": reported_at,
                "symptom": symptom,
                "reopens": getattr(reopens, "number", None),
            },
        )
        if responsible != actor:
            _notify(
                responsible,
                request,
                _("Service request %(no)s: contact the customer by %(due)s")
                % {"no": request.number, "due": _local(clock.due_at)},
            )
    return request


def request_contact(
    *, actor, request: ServiceRequest, note: str = "", at: datetime | None = None
) -> ServiceRequest:
    """The first contact with the customer (A5): the contact clock is met or missed."""
    from mdss.calendars.services import clock_stop_for

    require_action(actor, A.CONTACT)
    at = now_or(at)
    with transaction.atomic():
        request = locked(request, S.CONTACTED, actor, A.CONTACT)
        move(request, S.CONTACTED, contacted_at=at, contact_note=(note or "").strip())
        clock_stop_for(subject=request, code=CONTACT_CLOCK, actor=actor, at=at)
        track_due(request)
        audit.record(actor=actor, action="service.contacted", obj=request, changes={"note": note})
    return request


def request_triage(
    *, actor, request: ServiceRequest, triage: str, note: str = "", at: datetime | None = None
) -> ServiceRequest:
    """Simple: phone guidance. Complex: on site within 24 hours (A6), the clock starts
    now; the engineer already on the job goes if qualified, else the dispatcher
    chooses one."""
    from mdss.calendars.services import clock_start
    from mdss.training.selectors import is_qualified

    require_action(actor, A.TRIAGE)
    request = fresh(request)
    if triage not in Triage.values:
        raise_if([FieldError("triage", "invalid_choice", _("Simple or complex?"))])
    if triage == Triage.SIMPLE and request.status == S.GUIDANCE:
        raise Conflict(_("Phone guidance is already under way."))
    at = now_or(at)
    if triage == Triage.SIMPLE:
        to = S.GUIDANCE
    else:
        engineer = request.engineer
        qualified = engineer is not None and (
            request.device is None
            or is_qualified(
                engineer, request.device.model, timezone.localtime(at, local_tz()).date()
            ).ok
        )
        to = S.DISPATCHED if qualified else S.TO_DISPATCH
    with transaction.atomic():
        request = locked(request, to, actor, A.TRIAGE)
        fields = {"triage": triage}
        if to == S.DISPATCHED:
            fields["dispatched_at"] = at
        move(request, to, **fields)
        if triage == Triage.COMPLEX:
            responsible = (
                request.engineer if to == S.DISPATCHED else dispatcher_for(request, ONSITE_CLOCK)
            )
            clock_start(
                subject=request, code=ONSITE_CLOCK, responsible=responsible, actor=actor, at=at
            )
        track_due(request)
        audit.record(
            actor=actor,
            action="service.triaged",
            obj=request,
            changes={"triage": triage, "status": to, "note": note},
        )
        if to == S.TO_DISPATCH:
            _notify(
                dispatcher_for(request, ONSITE_CLOCK),
                request,
                _("Service request %(no)s needs an engineer on site by %(due)s")
                % {"no": request.number, "due": _local(request.due_at)},
            )
    return request


def request_resolve_by_phone(
    *, actor, request: ServiceRequest, guidance: str, outcome: str, at: datetime | None = None
) -> ServiceRequest:
    """Phone guidance solved it (A6): what was advised and what came of it. The
    follow-up clock (A9) starts; the customer confirms by phone or in the portal."""
    from .confirmations import start_follow_up_clock

    require_action(actor, A.RESOLVE_BY_PHONE)
    errors: list[FieldError] = []
    guidance = require_text(errors, "guidance", guidance, _("Say what the customer was told."))
    outcome = require_text(errors, "outcome", outcome, _("Say what came of it."))
    raise_if(errors)
    at = now_or(at)
    with transaction.atomic():
        request = locked(request, S.COMPLETED, actor, A.RESOLVE_BY_PHONE)
        move(
            request,
            S.COMPLETED,
            guidance=guidance,
            outcome=outcome,
            resolution=Resolution.PHONE,
            completed_at=at,
        )
        start_follow_up_clock(request, actor, at)
        audit.record(
            actor=actor,
            action="service.resolved_by_phone",
            obj=request,
            changes={"guidance": guidance, "outcome": outcome},
        )
    return request


def _cancel_clocks(request: ServiceRequest, actor, reason: str) -> None:
    from mdss.calendars.services import clock_cancel_for

    for code in CLOCKS:
        clock_cancel_for(subject=request, code=code, actor=actor, reason=reason)


def request_cancel(*, actor, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Withdrawn, a duplicate, or logged by mistake: the running clocks are cancelled."""
    require_action(actor, A.CANCEL)
    errors: list[FieldError] = []
    reason = require_text(errors, "reason", reason, _("Say why it is cancelled."))
    raise_if(errors)
    with transaction.atomic():
        request = locked(request, S.CANCELLED, actor, A.CANCEL)
        move(request, S.CANCELLED, cancel_reason=reason)
        _cancel_clocks(request, actor, reason)
        track_due(request)
        audit.record(actor=actor, action="service.cancelled", obj=request, reason=reason)
    return request


def request_close(*, actor, request: ServiceRequest, at: datetime | None = None) -> ServiceRequest:
    """The case is done: repaired or guided, confirmed and followed up."""
    require_action(actor, A.CLOSE)
    at = now_or(at)
    with transaction.atomic():
        request = locked(request, S.CLOSED, actor, A.CLOSE)
        move(request, S.CLOSED, closed_at=at)
        audit.record(actor=actor, action="service.closed", obj=request)
    return request


def reopen_days() -> int:
    return int(getattr(settings, "SERVICE_REOPEN_DAYS", 30))


def request_reopen(
    *, actor, request: ServiceRequest, reason: str, now: datetime | None = None
) -> ServiceRequest:
    """The fault came back within the window: a new request linked to this one, with
    its own clocks; the closed record stays as it was."""
    require_action(actor, A.REOPEN)
    request = fresh(request)
    now = now_or(now)
    errors: list[FieldError] = []
    reason = require_text(errors, "reason", reason, _("Say what came back."))
    raise_if(errors)
    if request.status != S.CLOSED:
        raise Conflict(_("Only a closed request is reopened."))
    days = reopen_days()
    if request.closed_at and now - request.closed_at > timedelta(days=days):
        raise Conflict(
            _("Closed more than %(n)s days ago: log a new request instead.") % {"n": days}
        )
    if request.reopenings.exclude(status__in=[S.CLOSED, S.CANCELLED]).exists():
        raise Conflict(_("A reopening of this request is still open."))
    with transaction.atomic():
        again = request_create(
            actor=actor,
            customer=request.customer,
            device=request.device,
            channel=Channel.REOPENED,
            reporter_name=request.reporter_name,
            reporter_phone=request.reporter_phone,
            symptom=reason,
            urgency=request.urgency,
            reported_at=now,
            now=now,
            reopens=request,
        )
        audit.record(
            actor=actor,
            action="service.reopened",
            obj=request,
            reason=reason,
            changes={"reopening": again.number},
        )
    return again


def request_quote(*, actor, request: ServiceRequest, amount, note: str = "") -> ServiceRequest:
    """Quote work on a unit out of warranty (parts and labour the customer pays); a
    new quote replaces the last, the audit trail keeps each."""
    from decimal import Decimal, InvalidOperation

    from ..choices import OPEN_STATUSES
    from .common import locked_in

    require_action(actor, A.QUOTE)
    errors: list[FieldError] = []
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not Decimal("0.01") <= amount <= Decimal("9999999999.99"):
        errors.append(FieldError("amount", "range", _("An amount above 0 in yuan.")))
    raise_if(errors)
    with transaction.atomic():
        request = locked_in(request, *OPEN_STATUSES, actor=actor, action=A.QUOTE)
        if request.under_warranty:
            raise Conflict(_("The unit is under warranty: the work is not charged."))
        before = request.quote_amount
        request.quote_amount = amount
        request.quote_note = (note or "").strip()
        request.save(update_fields=["quote_amount", "quote_note", "updated_at"])
        audit.record(
            actor=actor,
            action="service.quoted",
            obj=request,
            changes={"amount": [before, amount], "note": request.quote_note},
        )
    return request
