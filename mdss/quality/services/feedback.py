"""Product quality feedback (Q3): recorded from a customer, an engineer's repair
record or a complaint; sent to the manufacturer within the policy's time; followed
until the manufacturer's answer and action are recorded. Crossing the trend threshold
(``QUALITY_POLICY``: N similar reports on one model and lot within D days) alerts
quality once per crossing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.dates import local_today, local_tz
from mdss.core.errors import FieldError
from mdss.core.numbers import next_number

from ..choices import FEEDBACK_CLOCK, FEEDBACK_TRANSITIONS, FeedbackSource, SendMethod
from ..choices import FeedbackStatus as S
from ..choices import QualityAction as A
from ..models import ProductFeedback
from ..permissions import FEEDBACK_STATE_ACTIONS, require_role
from .common import bounded, locked, move, notify_role, now_or, raise_if, require_text, track_due


def policy() -> dict:
    return settings.QUALITY_POLICY


def _locked(feedback, actor, action, to=None):
    return locked(feedback, actor, action, FEEDBACK_STATE_ACTIONS, FEEDBACK_TRANSITIONS, to)


def feedback_create(
    *,
    actor,
    source: str,
    model,
    description: str,
    received_on: date | None = None,
    lot: str = "",
    serial: str = "",
    di: str = "",
    device=None,
    customer=None,
    service_request=None,
    visit=None,
    complaint=None,
    today: date | None = None,
) -> ProductFeedback:
    """Record a product problem; the clock to send it to the manufacturer starts."""
    from mdss.calendars.services import clock_start

    require_role(actor, A.FEEDBACK_CREATE)
    today = today or local_today()
    received_on = received_on or today
    errors: list[FieldError] = []
    description = require_text(errors, "description", description, _("Describe the problem."))
    lot = bounded(errors, "lot", lot, 100)
    serial = bounded(errors, "serial", serial, 100)
    di = bounded(errors, "di", di, 50)
    if source not in FeedbackSource.values:
        errors.append(FieldError("source", "invalid_choice", _("Choose where it came from.")))
    if model is None:
        errors.append(FieldError("model", "required", _("Which model?")))
    if received_on > today:
        errors.append(FieldError("received_on", "future", _("This day has not come yet.")))
    if device is not None and model is not None and device.model_id != model.pk:
        errors.append(FieldError("device", "other_model", _("This unit is of another model.")))
    raise_if(errors)
    if device is not None:
        lot, serial, di = lot or device.lot, serial or device.serial, di or device.di
        customer = customer or device.customer
    with transaction.atomic():
        feedback = ProductFeedback.objects.create(
            number=next_number("ZF", on=today),
            source=source,
            received_on=received_on,
            model=model,
            di=di,
            lot=lot,
            serial=serial,
            device=device,
            customer=customer,
            service_request=service_request,
            visit=visit,
            complaint=complaint,
            description=description,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="quality.feedback_recorded",
            obj=feedback,
            changes={
                "source": source,
                "model": model.pk,
                "lot": lot,
                "serial": serial,
                "description": description,
            },
        )
        clock_start(subject=feedback, code=FEEDBACK_CLOCK, actor=actor)
        track_due(feedback, (FEEDBACK_CLOCK,))
        _alert_if_threshold(feedback, today)
    return feedback


def similar_count(model_id: int, lot: str, today: date) -> int:
    """Reports on one model and lot (a blank lot is its own group) in the window."""
    since = today - timedelta(days=policy()["feedback_alert_days"] - 1)
    return ProductFeedback.objects.filter(
        model_id=model_id, lot=lot, received_on__gte=since, received_on__lte=today
    ).count()


def _alert_if_threshold(feedback: ProductFeedback, today: date) -> None:
    """Alert quality when this report makes the group reach the threshold (once per
    crossing: the next alert comes when the count reaches it again after falling)."""
    threshold = policy()["feedback_alert_count"]
    if similar_count(feedback.model_id, feedback.lot, today) != threshold:
        return
    lot = feedback.lot or _("no lot")
    subject = _("%(n)s reports on %(model)s lot %(lot)s in %(d)s days") % {
        "n": threshold,
        "model": feedback.model,
        "lot": lot,
        "d": policy()["feedback_alert_days"],
    }
    audit.record(
        actor=None,
        action="quality.feedback_trend_alert",
        obj=feedback,
        changes={"model": feedback.model_id, "lot": feedback.lot, "count": threshold},
    )
    notify_role(
        roles.QUALITY,
        subject,
        feedback.description,
        f"/quality/feedback/trend/?model={feedback.model_id}&lot={feedback.lot}",
        kind="quality.trend",
    )


def feedback_from_visit(*, visit, actor) -> ProductFeedback | None:
    """The engineer flagged a suspected defect on a repair record: one feedback per
    visit (a retry finds the first)."""
    existing = ProductFeedback.objects.filter(visit=visit).first()
    if existing is not None:
        return existing
    request = visit.request
    device = request.device
    if device is None:
        return None
    text = "\n".join(
        part for part in (visit.fault_symptom, visit.fault_cause, visit.repair_method) if part
    )
    return feedback_create(
        actor=actor,
        source=FeedbackSource.ENGINEER,
        model=device.model,
        description=_("Repair record of %(no)s: %(text)s") % {"no": request.number, "text": text},
        received_on=visit.recorded_at.astimezone(local_tz()).date() if visit.recorded_at else None,
        device=device,
        service_request=request,
        visit=visit,
    )


def feedback_send(
    *,
    actor,
    feedback: ProductFeedback,
    method: str,
    sent_to: str,
    reference: str = "",
    at: datetime | None = None,
) -> ProductFeedback:
    """Record what was sent to the manufacturer, when, how and its reference."""
    from mdss.calendars.services import clock_stop_for

    require_role(actor, A.FEEDBACK_SEND)
    at = now_or(at)
    errors: list[FieldError] = []
    if method not in SendMethod.values:
        errors.append(FieldError("method", "invalid_choice", _("Choose how it was sent.")))
    sent_to = require_text(errors, "sent_to", sent_to, _("To whom at the manufacturer?"), 200)
    reference = bounded(errors, "reference", reference, 100)
    raise_if(errors)
    with transaction.atomic():
        feedback = _locked(feedback, actor, A.FEEDBACK_SEND, S.SENT)
        move(
            feedback,
            S.SENT,
            sent_at=at,
            sent_method=method,
            sent_to=sent_to,
            manufacturer_reference=reference,
        )
        clock_stop_for(subject=feedback, code=FEEDBACK_CLOCK, actor=actor, at=at)
        track_due(feedback, (FEEDBACK_CLOCK,))
        audit.record(
            actor=actor,
            action="quality.feedback_sent",
            obj=feedback,
            changes={"method": method, "sent_to": sent_to, "reference": reference},
        )
    return feedback


def feedback_answer(
    *, actor, feedback: ProductFeedback, answer: str, action: str, at: datetime | None = None
) -> ProductFeedback:
    """The manufacturer's answer and the action it takes."""
    require_role(actor, A.FEEDBACK_ANSWER)
    errors: list[FieldError] = []
    answer = require_text(errors, "answer", answer, _("What did the manufacturer answer?"))
    action = require_text(errors, "action", action, _("What will the manufacturer do?"))
    raise_if(errors)
    with transaction.atomic():
        feedback = _locked(feedback, actor, A.FEEDBACK_ANSWER, S.ANSWERED)
        move(
            feedback,
            S.ANSWERED,
            answered_at=now_or(at),
            manufacturer_answer=answer,
            manufacturer_action=action,
        )
        audit.record(
            actor=actor,
            action="quality.feedback_answered",
            obj=feedback,
            changes={"answer": answer, "action": action},
        )
    return feedback


def feedback_close(
    *, actor, feedback: ProductFeedback, note: str = "", at: datetime | None = None
) -> ProductFeedback:
    """Close once answered, or unsent with the reason (a duplicate, not a product
    problem after all)."""
    from mdss.calendars.services import clock_cancel_for

    require_role(actor, A.FEEDBACK_CLOSE)
    errors: list[FieldError] = []
    note = bounded(errors, "note", note, 2000)
    raise_if(errors)
    with transaction.atomic():
        feedback = _locked(feedback, actor, A.FEEDBACK_CLOSE, S.CLOSED)
        if feedback.status == S.OPEN and not note:
            raise_if(
                [
                    FieldError(
                        "note",
                        "required",
                        _("Say why it is closed without going to the manufacturer."),
                    )
                ]
            )
        move(feedback, S.CLOSED, closed_at=now_or(at), close_note=note)
        clock_cancel_for(subject=feedback, code=FEEDBACK_CLOCK, actor=actor, reason="closed")
        track_due(feedback, (FEEDBACK_CLOCK,))
        audit.record(
            actor=actor, action="quality.feedback_closed", obj=feedback, changes={"note": note}
        )
    return feedback
