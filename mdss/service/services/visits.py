"""On site (A6, A7): arrival meets the 24-hour clock; the repair record (symptom,
cause, method, parts with the lots or serials fitted and removed, labour, tests);
parts asked from the warehouse (inventory's requisition and its 24-hour clock);
leaving for a later visit; completion, which starts the follow-up clock (A9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_tz
from mdss.core.errors import Conflict, FieldError

from ..choices import ONSITE_CLOCK, Resolution
from ..choices import RequestStatus as S
from ..choices import ServiceAction as A
from ..models import ReplacedPart, ServiceRequest, Visit
from ..permissions import require_action
from ..signals import defect_suspected
from .common import fresh, locked, locked_in, move, now_or, raise_if, require_text, track_due

MAX_PARTS = 30
MAX_LABOUR_MINUTES = 7 * 24 * 60


@dataclass
class PartFitted:
    part: object  # inventory.Part
    quantity: int = 1
    new_lot_serial: str = ""
    removed_lot_serial: str = ""
    requisition: object | None = None  # inventory.Requisition


def _open_visit(request: ServiceRequest) -> Visit | None:
    return request.visits.filter(checked_out_at__isnull=True).first()


def request_check_in(*, actor, request: ServiceRequest, at: datetime | None = None) -> Visit:
    """The engineer is there: a visit opens; the first arrival meets the on-site clock."""
    from mdss.calendars.services import clock_stop_for

    require_action(actor, A.CHECK_IN)
    at = now_or(at)
    with transaction.atomic():
        request = locked(request, S.ON_SITE, actor, A.CHECK_IN)
        move(request, S.ON_SITE)
        visit = Visit.objects.create(request=request, engineer=actor, checked_in_at=at)
        clock_stop_for(subject=request, code=ONSITE_CLOCK, actor=actor, at=at)
        track_due(request)
        audit.record(
            actor=actor, action="service.checked_in", obj=request, changes={"visit": visit.pk}
        )
    return visit


def _part_errors(request: ServiceRequest, parts: list[PartFitted]) -> list[FieldError]:
    errors = []
    if len(parts) > MAX_PARTS:
        errors.append(FieldError("parts", "max", _("At most %(n)s parts.") % {"n": MAX_PARTS}))
    for n, fitted in enumerate(parts[:MAX_PARTS], start=1):
        if not isinstance(fitted.quantity, int) or not 1 <= fitted.quantity <= 1000:
            errors.append(FieldError(f"parts.{n}.quantity", "range", _("Between 1 and 1000.")))
        if fitted.part.tracking != "none" and not fitted.new_lot_serial.strip():
            errors.append(
                FieldError(
                    f"parts.{n}.new_lot_serial",
                    "required",
                    _("%(part)s is tracked: give the lot or serial fitted.")
                    % {"part": fitted.part.number},
                )
            )
        for name in ("new_lot_serial", "removed_lot_serial"):
            if len(getattr(fitted, name)) > 100:
                errors.append(
                    FieldError(f"parts.{n}.{name}", "max_length", _("At most 100 characters."))
                )
        if (
            fitted.requisition is not None
            and fitted.requisition.service_reference != request.number
        ):
            errors.append(
                FieldError(
                    f"parts.{n}.requisition",
                    "other_request",
                    _("Requisition %(no)s was not made for this request.")
                    % {"no": fitted.requisition.number},
                )
            )
    return errors


def request_repair_record(
    *,
    actor,
    request: ServiceRequest,
    fault_symptom: str,
    repair_method: str,
    fault_cause: str = "",
    fault_code: str = "",
    inspection: str = "",
    labour_minutes: int | None = None,
    test_result: str = "",
    parts: list[PartFitted] | None = None,
    suspected_defect: bool = False,
    at: datetime | None = None,
) -> Visit:
    """What was found and done on this visit (A7), recorded once per visit. A
    suspected product defect is announced (``signals.defect_suspected``) after the
    commit: quality records it as product feedback."""
    require_action(actor, A.REPAIR_RECORD)
    parts = list(parts or [])
    errors: list[FieldError] = []
    fault_symptom = require_text(errors, "fault_symptom", fault_symptom)
    repair_method = require_text(errors, "repair_method", repair_method)
    if labour_minutes is not None and not 0 <= labour_minutes <= MAX_LABOUR_MINUTES:
        errors.append(
            FieldError(
                "labour_minutes",
                "range",
                _("Between 0 and %(n)s minutes.") % {"n": MAX_LABOUR_MINUTES},
            )
        )
    errors += _part_errors(request, parts)
    raise_if(errors)
    at = now_or(at)
    with transaction.atomic():
        request = locked_in(request, S.ON_SITE, actor=actor, action=A.REPAIR_RECORD)
        visit = _open_visit(request)
        if visit is None:
            raise Conflict(_("Check in first."))
        if visit.recorded_at is not None:
            raise Conflict(_("This visit's repair is recorded; a later visit records its own."))
        visit.fault_symptom = fault_symptom
        visit.repair_method = repair_method
        visit.fault_cause = (fault_cause or "").strip()
        visit.fault_code = (fault_code or "").strip()
        visit.inspection = (inspection or "").strip()
        visit.labour_minutes = labour_minutes
        visit.test_result = (test_result or "").strip()
        visit.recorded_at = at
        visit.suspected_defect = bool(suspected_defect)
        visit.save()
        if visit.suspected_defect:
            transaction.on_commit(
                lambda: defect_suspected.send(sender=Visit, visit=visit, actor=actor),
                robust=True,
            )
        ReplacedPart.objects.bulk_create(
            [
                ReplacedPart(
                    visit=visit,
                    part=p.part,
                    quantity=p.quantity,
                    new_lot_serial=p.new_lot_serial.strip(),
                    removed_lot_serial=p.removed_lot_serial.strip(),
                    requisition=p.requisition,
                )
                for p in parts
            ]
        )
        audit.record(
            actor=actor,
            action="service.repair_recorded",
            obj=request,
            changes={
                "visit": visit.pk,
                "fault_symptom": fault_symptom,
                "fault_cause": visit.fault_cause,
                "fault_code": visit.fault_code,
                "repair_method": repair_method,
                "labour_minutes": labour_minutes,
                "test_result": visit.test_result,
                "suspected_defect": visit.suspected_defect,
                "parts": [
                    [p.part.number, p.quantity, p.new_lot_serial, p.removed_lot_serial]
                    for p in parts
                ],
            },
        )
    return visit


def request_parts(
    *,
    actor,
    request: ServiceRequest,
    warehouse,
    lines: list[tuple],
    need_by: date,
    today: date,
    to_location=None,
    note: str = "",
):
    """Ask the warehouse for parts for this job (A8): inventory's requisition, with its
    24-hour clock, referencing the request. Waiting for parts stops none of the
    request's own clocks; the page shows it."""
    from mdss.inventory.services import requisition_submit

    request = fresh(request)
    require_action(actor, A.REQUEST_PARTS, request)
    if request.status not in (S.DISPATCHED, S.ON_SITE):
        raise Conflict(_("Parts are asked for once an engineer is on the job."))
    with transaction.atomic():
        requisition = requisition_submit(
            actor=actor,
            warehouse=warehouse,
            lines=lines,
            need_by=need_by,
            today=today,
            to_location=to_location,
            service_reference=request.number,
            note=note,
        )
        audit.record(
            actor=actor,
            action="service.parts_requested",
            obj=request,
            changes={"requisition": requisition.number},
        )
    return requisition


def request_leave(
    *, actor, request: ServiceRequest, reason: str, at: datetime | None = None
) -> ServiceRequest:
    """Leave without finishing (waiting for parts, a second engineer): the visit
    closes and the job waits for the next one."""
    require_action(actor, A.LEAVE)
    errors: list[FieldError] = []
    reason = require_text(errors, "reason", reason, _("Say why the work goes on later."))
    raise_if(errors)
    at = now_or(at)
    with transaction.atomic():
        request = locked(request, S.DISPATCHED, actor, A.LEAVE)
        visit = _open_visit(request)
        if visit is not None:
            visit.checked_out_at = at
            visit.save(update_fields=["checked_out_at", "updated_at"])
        move(request, S.DISPATCHED)
        audit.record(actor=actor, action="service.left_site", obj=request, reason=reason)
    return request


def request_complete(
    *, actor, request: ServiceRequest, outcome: str = "", at: datetime | None = None
) -> ServiceRequest:
    """The work is done: the visit closes, the customer is asked to confirm, and the
    follow-up must happen within 3 working days (A9)."""
    from .confirmations import start_follow_up_clock

    require_action(actor, A.COMPLETE)
    at = now_or(at)
    with transaction.atomic():
        request = locked(request, S.COMPLETED, actor, A.COMPLETE)
        visit = _open_visit(request)
        if not request.visits.filter(recorded_at__isnull=False).exists():
            raise Conflict(_("Record the repair before completing."))
        if visit is not None:
            visit.checked_out_at = at
            visit.save(update_fields=["checked_out_at", "updated_at"])
        move(
            request,
            S.COMPLETED,
            resolution=Resolution.ONSITE,
            outcome=(outcome or "").strip(),
            completed_at=at,
        )
        start_follow_up_clock(request, actor, at)
        if request.kind == "pm" and request.device_id:
            from mdss.devices.pm import device_pm_done

            device_pm_done(
                actor=actor, device=request.device, on=timezone.localtime(at, local_tz()).date()
            )
        audit.record(
            actor=actor, action="service.completed", obj=request, changes={"outcome": outcome}
        )
    return request
