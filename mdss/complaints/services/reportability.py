"""Product complaints that could be adverse events: the reportability questions, the
hand-over to quality (complaints/handover.py) and the manufacturer's notification.
A complaint cannot close while its hand-over is open."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.errors import Conflict, FieldError, ValidationFailed

from ..choices import ComplaintAction as A
from ..choices import HandoverStatus, NoticeMethod
from ..handover import handover_opened
from ..models import Complaint, Handover, ManufacturerNotice
from ..permissions import require_action
from .common import locked, notify_role, now_or, raise_if, require_text, save

CLOCK_SKEW = timedelta(minutes=5)


def complaint_assess(
    *,
    actor,
    complaint: Complaint,
    possible_adverse_event: bool,
    death: bool = False,
    serious_injury: bool = False,
    malfunction: bool = False,
    note: str = "",
    at: datetime | None = None,
) -> Complaint:
    """Could this be an adverse event (death, serious injury, or a malfunction that
    could cause either)? Yes: quality takes it over (a hand-over opens) and the
    manufacturer is to be told. A "no" while quality holds the hand-over is refused:
    quality decides by closing it."""
    require_action(actor, A.ASSESS)
    at = now_or(at)
    note = (note or "").strip()
    if not possible_adverse_event:
        death = serious_injury = malfunction = False
    elif not (death or serious_injury or malfunction):
        raise ValidationFailed.single(
            "possible_adverse_event",
            "which",
            _("Say which: death, serious injury, or a malfunction that could cause them."),
        )
    with transaction.atomic():
        complaint = locked(complaint, actor, A.ASSESS)
        reportable = bool(possible_adverse_event)
        if not reportable and complaint.handover_open:
            raise Conflict(_("Quality holds this complaint: quality closes the hand-over."))
        save(
            complaint,
            possible_adverse_event=reportable,
            ae_death=death,
            ae_serious_injury=serious_injury,
            ae_malfunction=malfunction,
            assessment_note=note,
            assessed_by=actor,
            assessed_at=at,
        )
        audit.record(
            actor=actor,
            action="complaint.assessed",
            obj=complaint,
            changes={
                "possible_adverse_event": reportable,
                "death": death,
                "serious_injury": serious_injury,
                "malfunction": malfunction,
                "note": note,
            },
        )
        if reportable and not complaint.handovers.exists():
            handover = Handover.objects.create(complaint=complaint, opened_by=actor, note=note)
            save(complaint, handover_open=True)
            audit.record(
                actor=actor,
                action="complaint.handed_over",
                obj=complaint,
                changes={"handover": handover.pk},
            )
            notify_role(
                roles.QUALITY,
                complaint,
                _("Complaint %(no)s may be an adverse event: quality takes it over")
                % {"no": complaint.number},
                kind="complaint.handover",
            )
            transaction.on_commit(
                lambda: handover_opened.send(
                    sender=Complaint, complaint=complaint, handover=handover
                ),
                robust=True,
            )
    return complaint


def handover_close(
    *, actor, complaint: Complaint, reference: str, note: str = "", at: datetime | None = None
) -> Handover:
    """Quality has filed (or decided against) the adverse-event report: the
    hand-over closes with that report's reference, and the complaint may close."""
    require_action(actor, A.HANDOVER_CLOSE)
    errors: list[FieldError] = []
    reference = require_text(
        errors,
        "reference",
        reference,
        _("Give the adverse-event report's number, or the decision not to report."),
    )
    raise_if(errors)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.HANDOVER_CLOSE)
        handover = complaint.handovers.select_for_update().get(status=HandoverStatus.OPEN)
        handover.status = HandoverStatus.CLOSED
        handover.reference = reference[:60]
        handover.note = (note or "").strip()[:2000] or handover.note
        handover.closed_at = now_or(at)
        handover.closed_by = actor
        handover.save()
        save(complaint, handover_open=False)
        audit.record(
            actor=actor,
            action="complaint.handover_closed",
            obj=complaint,
            changes={"handover": handover.pk, "reference": handover.reference},
        )
    return handover


def complaint_notify_manufacturer(
    *,
    actor,
    complaint: Complaint,
    manufacturer,
    method: str,
    contact: str,
    notified_at: datetime | None = None,
    reference: str = "",
    now: datetime | None = None,
) -> ManufacturerNotice:
    """Record who told the manufacturer of a reportable complaint, when and how."""
    require_action(actor, A.NOTIFY_MANUFACTURER)
    now = now_or(now)
    notified_at = notified_at or now
    errors: list[FieldError] = []
    contact = require_text(errors, "contact", contact, _("Whom at the manufacturer?"))
    if manufacturer is None:
        errors.append(FieldError("manufacturer", "required", _("Choose the manufacturer.")))
    if method not in NoticeMethod.values:
        errors.append(FieldError("method", "invalid_choice", _("Choose how.")))
    if notified_at > now + CLOCK_SKEW:
        errors.append(FieldError("notified_at", "future", _("This time has not come yet.")))
    raise_if(errors)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.NOTIFY_MANUFACTURER)
        if notified_at < complaint.received_at:
            raise ValidationFailed.single(
                "notified_at", "before_receipt", _("This is before the complaint arrived.")
            )
        notice = ManufacturerNotice.objects.create(
            complaint=complaint,
            manufacturer=manufacturer,
            notified_at=notified_at,
            method=method,
            contact=contact[:100],
            reference=(reference or "").strip()[:60],
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="complaint.manufacturer_notified",
            obj=complaint,
            changes={
                "manufacturer": manufacturer.pk,
                "method": method,
                "contact": contact,
                "notified_at": notified_at,
                "reference": notice.reference,
            },
        )
    return notice
