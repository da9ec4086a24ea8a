"""Suspected adverse events (可疑不良事件): the report with the national form's fields,
the statutory clock from the moment we learnt of it (death 7 days, serious injury or
a malfunction that could cause one 20 days, a cluster 12 hours; policy targets), the
manufacturer's notification log, and the submission to the national system (outside
MDSS: its date and receipt number). A report opened by a complaint's hand-over closes
that hand-over when it is submitted or closed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.dates import local_today, local_tz
from mdss.core.errors import FieldError, ValidationFailed
from mdss.core.numbers import next_number

from ..choices import (
    AE_CLOCKS,
    AE_CLUSTER_CLOCK,
    AE_DEATH_CLOCK,
    AE_SERIOUS_CLOCK,
    AE_TRANSITIONS,
    AeOutcome,
    SendMethod,
    Sex,
)
from ..choices import AeStatus as S
from ..choices import QualityAction as A
from ..models import AdverseEvent, AeManufacturerNotice
from ..permissions import AE_STATE_ACTIONS, require_role
from .common import bounded, locked, move, notify_role, now_or, raise_if, require_text, track_due

MAX_AGE = 150
MAX_LATE = timedelta(days=3653)  # an event learnt of more than ten years ago is a typo


def statutory_clock(outcome: str, cluster: bool) -> str | None:
    """The report's deadline: the shortest that applies."""
    if cluster:
        return AE_CLUSTER_CLOCK
    if outcome == AeOutcome.DEATH:
        return AE_DEATH_CLOCK
    if outcome in (AeOutcome.SERIOUS_INJURY, AeOutcome.POTENTIAL):
        return AE_SERIOUS_CLOCK
    return None


def _locked(event, actor, action, to=None):
    return locked(event, actor, action, AE_STATE_ACTIONS, AE_TRANSITIONS, to)


def _registration_number(model, on_date: date) -> str:
    from mdss.catalog.models import RegistrationCertificate

    return (
        RegistrationCertificate.objects.filter(
            models_covered=model, voided_at__isnull=True, approved_on__lte=on_date
        )
        .order_by("-approved_on")
        .values_list("number", flat=True)
        .first()
        or ""
    )


def _officer(actor):
    """Who answers for the report's clock: the quality officer recording it, else the
    first active quality officer (the sweep escalates to their superior)."""
    from mdss.accounts.models import User

    if actor is not None and actor.has_role(roles.QUALITY):
        return actor
    return User.objects.filter(groups__name=roles.QUALITY, is_active=True).order_by("pk").first()


def ae_create(
    *,
    actor,
    reporter_name: str,
    event_on: date,
    aware_at: datetime,
    outcome: str,
    narrative: str,
    model=None,
    cluster: bool = False,
    reporter_org: str = "",
    reporter_phone: str = "",
    patient_age: int | None = None,
    patient_sex: str = Sex.UNKNOWN,
    device=None,
    udi: str = "",
    lot: str = "",
    serial: str = "",
    preliminary_cause: str = "",
    complaint=None,
    service_request=None,
    handover=None,
    now: datetime | None = None,
) -> AdverseEvent:
    """Record a suspected adverse event; its statutory clock starts at ``aware_at``."""
    from mdss.calendars.services import clock_start

    if handover is None:
        require_role(actor, A.AE_CREATE)
    now = now_or(now)
    errors: list[FieldError] = []
    reporter_name = require_text(errors, "reporter_name", reporter_name, max_length=100)
    reporter_org = bounded(errors, "reporter_org", reporter_org, 200)
    reporter_phone = bounded(errors, "reporter_phone", reporter_phone, 30)
    narrative = require_text(errors, "narrative", narrative, _("Describe what happened."))
    preliminary_cause = bounded(errors, "preliminary_cause", preliminary_cause, 2000)
    udi, lot, serial = (
        bounded(errors, "udi", udi, 200),
        bounded(errors, "lot", lot, 100),
        bounded(errors, "serial", serial, 100),
    )
    if outcome not in AeOutcome.values:
        errors.append(FieldError("outcome", "invalid_choice", _("Choose the outcome.")))
    if patient_sex not in Sex.values:
        errors.append(FieldError("patient_sex", "invalid_choice", _("Choose one.")))
    if patient_age is not None and not 0 <= patient_age <= MAX_AGE:
        errors.append(
            FieldError("patient_age", "range", _("Between 0 and %(n)s.") % {"n": MAX_AGE})
        )
    if aware_at is None:
        errors.append(FieldError("aware_at", "required", _("When did we learn of it?")))
    elif aware_at > now:
        errors.append(FieldError("aware_at", "future", _("This time has not come yet.")))
    elif aware_at < now - MAX_LATE:
        errors.append(
            FieldError("aware_at", "too_old", _("More than ten years ago: check the date."))
        )
    if event_on is None:
        errors.append(FieldError("event_on", "required", _("When did it happen?")))
    elif event_on > local_today():
        errors.append(FieldError("event_on", "future", _("This day has not come yet.")))
    elif aware_at is not None and event_on > aware_at.astimezone(local_tz()).date():
        errors.append(
            FieldError("event_on", "after_aware", _("The event comes before we learn of it."))
        )
    if device is not None:
        if model is not None and device.model_id != model.pk:
            errors.append(FieldError("device", "other_model", _("This unit is of another model.")))
        model = model or device.model
        lot, serial, udi = lot or device.lot, serial or device.serial, udi or device.udi
    raise_if(errors)
    with transaction.atomic():
        event = AdverseEvent.objects.create(
            number=next_number("AE"),
            complaint=complaint,
            service_request=service_request,
            handover=handover,
            reporter_name=reporter_name,
            reporter_org=reporter_org,
            reporter_phone=reporter_phone,
            patient_age=patient_age,
            patient_sex=patient_sex,
            event_on=event_on,
            aware_at=aware_at,
            outcome=outcome,
            cluster=bool(cluster),
            model=model,
            device=device,
            registration_number=_registration_number(model, event_on) if model else "",
            udi=udi,
            lot=lot,
            serial=serial,
            narrative=narrative,
            preliminary_cause=preliminary_cause,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="quality.ae_recorded",
            obj=event,
            changes={
                "outcome": outcome,
                "cluster": bool(cluster),
                "model": getattr(model, "pk", None),
                "lot": lot,
                "serial": serial,
                "complaint": getattr(complaint, "pk", None),
            },
        )
        code = statutory_clock(outcome, cluster)
        if code:
            clock_start(
                subject=event, code=code, responsible=_officer(actor), actor=actor, at=aware_at
            )
            track_due(event, AE_CLOCKS)
        notify_role(
            roles.QUALITY,
            _("Suspected adverse event %(no)s: report due %(due)s")
            % {
                "no": event.number,
                "due": f"{event.due_at:%Y-%m-%d %H:%M}" if event.due_at else "—",
            },
            narrative,
            f"/quality/adverse-events/{event.pk}/",
            kind="quality.ae",
        )
    return event


def ae_from_handover(*, complaint, handover) -> AdverseEvent | None:
    """The draft report a complaint's hand-over opens (complaints.handover signal)."""
    existing = AdverseEvent.objects.filter(handover=handover).first()
    if existing is not None:
        return existing
    handover.refresh_from_db()
    if handover.status != "open":
        return None  # quality decided on the complaint's page before this ran
    if complaint.ae_death:
        outcome = AeOutcome.DEATH
    elif complaint.ae_serious_injury:
        outcome = AeOutcome.SERIOUS_INJURY
    elif complaint.ae_malfunction:
        outcome = AeOutcome.POTENTIAL
    else:
        outcome = AeOutcome.OTHER
    received = complaint.received_at
    return ae_create(
        actor=handover.opened_by,
        reporter_name=complaint.complainant_name,
        reporter_org=complaint.complainant_org,
        reporter_phone=complaint.complainant_phone,
        event_on=min(received.date(), local_today()),
        aware_at=received,
        outcome=outcome,
        narrative=complaint.content,
        preliminary_cause=complaint.assessment_note,
        device=complaint.device,
        complaint=complaint,
        service_request=complaint.service_request,
        handover=handover,
    )


def ae_notify_manufacturer(
    *,
    actor,
    event: AdverseEvent,
    notified_at: datetime,
    method: str,
    reference: str = "",
    now: datetime | None = None,
) -> AeManufacturerNotice:
    require_role(actor, A.AE_NOTIFY)
    errors: list[FieldError] = []
    if method not in SendMethod.values:
        errors.append(FieldError("method", "invalid_choice", _("Choose how.")))
    if notified_at is None:
        errors.append(FieldError("notified_at", "required", _("When?")))
    elif notified_at > now_or(now):
        errors.append(FieldError("notified_at", "future", _("This time has not come yet.")))
    reference = bounded(errors, "reference", reference, 100)
    raise_if(errors)
    with transaction.atomic():
        event = _locked(event, actor, A.AE_NOTIFY)
        notice = AeManufacturerNotice.objects.create(
            event=event,
            notified_at=notified_at,
            method=method,
            reference=reference,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="quality.ae_manufacturer_notified",
            obj=event,
            changes={"at": notified_at, "method": method, "reference": reference},
        )
    return notice


def _close_handover(actor, event: AdverseEvent, reference: str) -> None:
    if event.handover_id is None or event.handover.status != "open":
        return
    from mdss.complaints.services import handover_close

    handover_close(actor=actor, complaint=event.complaint, reference=reference)


def ae_submit(
    *,
    actor,
    event: AdverseEvent,
    submitted_on: date,
    receipt_number: str,
    today: date | None = None,
    at: datetime | None = None,
) -> AdverseEvent:
    """Record the submission to the national system: its date and receipt number.
    The statutory clock stops at the submission (met or late)."""
    from mdss.calendars.services import clock_stop_for

    require_role(actor, A.AE_SUBMIT)
    today = today or local_today()
    errors: list[FieldError] = []
    receipt_number = require_text(
        errors, "receipt_number", receipt_number, _("The national system's receipt number."), 100
    )
    if submitted_on is None:
        errors.append(FieldError("submitted_on", "required", _("When was it submitted?")))
    elif submitted_on > today:
        errors.append(FieldError("submitted_on", "future", _("This day has not come yet.")))
    raise_if(errors)
    with transaction.atomic():
        event = _locked(event, actor, A.AE_SUBMIT, S.SUBMITTED)
        if event.model_id is None:
            raise ValidationFailed.single(
                "model", "required", _("The national form names the device's model.")
            )
        if submitted_on < event.aware_at.date():
            raise ValidationFailed.single(
                "submitted_on", "before_aware", _("Submitted before we learnt of it?")
            )
        move(event, S.SUBMITTED, submitted_on=submitted_on, receipt_number=receipt_number)
        for code in AE_CLOCKS:
            clock_stop_for(subject=event, code=code, actor=actor, at=at)
        track_due(event, AE_CLOCKS)
        audit.record(
            actor=actor,
            action="quality.ae_submitted",
            obj=event,
            changes={"submitted_on": submitted_on, "receipt_number": receipt_number},
        )
        _close_handover(actor, event, f"{event.number} / {receipt_number}")
    return event


def ae_close(
    *, actor, event: AdverseEvent, note: str = "", at: datetime | None = None
) -> AdverseEvent:
    """Close a submitted report once the manufacturer is told, or a draft that is not
    reportable after all (the reason is required and kept)."""
    from mdss.calendars.services import clock_cancel_for

    require_role(actor, A.AE_CLOSE)
    errors: list[FieldError] = []
    note = bounded(errors, "note", note, 2000)
    raise_if(errors)
    with transaction.atomic():
        event = _locked(event, actor, A.AE_CLOSE, S.CLOSED)
        if event.status == S.DRAFT and not note:
            raise ValidationFailed.single(
                "note", "required", _("Say why this event is not reported.")
            )
        if event.status == S.SUBMITTED and not event.notices.exists():
            raise ValidationFailed.single(
                "manufacturer", "not_notified", _("Record when and how the manufacturer was told.")
            )
        was_draft = event.status == S.DRAFT
        move(event, S.CLOSED, closed_at=now_or(at), close_note=note)
        for code in AE_CLOCKS:
            clock_cancel_for(subject=event, code=code, actor=actor, reason="closed")
        track_due(event, AE_CLOCKS)
        audit.record(actor=actor, action="quality.ae_closed", obj=event, changes={"note": note})
        if was_draft:
            _close_handover(
                actor,
                event,
                _("%(no)s not reported: %(note)s") % {"no": event.number, "note": note},
            )
    return event
