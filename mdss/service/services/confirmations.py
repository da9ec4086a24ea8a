"""The customer's confirmation of the result (确认, A7): on the engineer's phone with
a drawn signature, by phone for guidance that solved it, or in the portal with the
customer's password. A refusal sends the job back with the reason; the follow-up
clock (A9), started at completion, is cancelled and starts again at the next."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.audit.esign import content_hash
from mdss.core.errors import FieldError

from ..choices import FOLLOWUP_CLOCK, ConfirmationMethod, Resolution
from ..choices import RequestStatus as S
from ..choices import ServiceAction as A
from ..models import Confirmation, ServiceRequest
from ..permissions import require_action, require_portal
from .common import dispatcher_for, fresh, locked, move, now_or, raise_if, require_text, track_due

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 300_000


def start_follow_up_clock(request: ServiceRequest, actor, at: datetime) -> None:
    """3 working days from completion (A9); the dispatcher answers for it."""
    from mdss.calendars.services import clock_start

    clock_start(
        subject=request,
        code=FOLLOWUP_CLOCK,
        responsible=dispatcher_for(request, FOLLOWUP_CLOCK),
        actor=actor,
        at=at,
    )
    track_due(request)


def confirmed_content(request: ServiceRequest) -> dict:
    """What the customer vouches for: the outcome and every repair record with its
    parts. Its hash is stored with the confirmation, so a later change shows."""
    visits = request.visits.order_by("checked_in_at", "id").prefetch_related("parts__part")
    return {
        "number": request.number,
        "resolution": request.resolution,
        "guidance": request.guidance,
        "outcome": request.outcome,
        "visits": [
            {
                "arrived": v.checked_in_at,
                "left": v.checked_out_at,
                "fault_symptom": v.fault_symptom,
                "fault_cause": v.fault_cause,
                "repair_method": v.repair_method,
                "test_result": v.test_result,
                "parts": [
                    [p.part.number, p.quantity, p.new_lot_serial, p.removed_lot_serial]
                    for p in v.parts.all()
                ],
            }
            for v in visits
        ],
    }


def _signature_errors(png: bytes | None) -> list[FieldError]:
    if not png:
        return [FieldError("signature", "required", _("The customer signs on the screen."))]
    if not png.startswith(PNG_MAGIC):
        return [FieldError("signature", "not_png", _("The signature must be a PNG image."))]
    if len(png) > MAX_SIGNATURE_BYTES:
        return [
            FieldError(
                "signature",
                "too_large",
                _("The signature image is larger than %(n)s KB.")
                % {"n": MAX_SIGNATURE_BYTES // 1000},
            )
        ]
    return []


def request_confirm(
    *,
    actor,
    request: ServiceRequest,
    accepted: bool,
    signer_name: str,
    method: str = ConfirmationMethod.SIGNATURE,
    signature_png: bytes | None = None,
    reason: str = "",
    password: str = "",
    at: datetime | None = None,
) -> Confirmation:
    request = fresh(request)
    portal = method == ConfirmationMethod.PORTAL
    if portal:
        require_portal(actor, request.customer)
    else:
        require_action(actor, A.CONFIRM)
    errors: list[FieldError] = []
    signer_name = require_text(
        errors, "signer_name", signer_name, _("Who confirms for the customer?")
    )
    if method not in ConfirmationMethod.values:
        errors.append(
            FieldError("method", "invalid_choice", _("Choose how the customer confirms."))
        )
    elif method == ConfirmationMethod.SIGNATURE and accepted:
        errors += _signature_errors(signature_png)
    elif method == ConfirmationMethod.VERBAL and request.resolution != Resolution.PHONE:
        errors.append(
            FieldError(
                "method", "signature_needed", _("Work on site is confirmed with a signature.")
            )
        )
    if not accepted:
        reason = require_text(
            errors, "reason", reason, _("Say what the customer is not satisfied with.")
        )
    raise_if(errors)
    if portal:
        from mdss.audit import esign

        esign.authenticate(actor, password)  # before the transaction: a failure counts
    at = now_or(at)
    back = S.GUIDANCE if request.resolution == Resolution.PHONE else S.DISPATCHED
    to = S.CONFIRMED if accepted else back
    with transaction.atomic():
        request = locked(request, to, None if portal else actor, A.CONFIRM)
        content = confirmed_content(request)
        signature = None
        if portal:
            from mdss.audit import esign

            meaning = _("Service result accepted") if accepted else _("Service result refused")
            signature = esign.sign(
                signer=actor,
                password=password,
                meaning=str(meaning),
                obj=request,
                content=content,
                comment=reason or "",
            )
        confirmation = Confirmation.objects.create(
            request=request,
            accepted=accepted,
            method=method,
            signer_name=signer_name,
            signature_png=signature_png if method == ConfirmationMethod.SIGNATURE else None,
            reason=(reason or "").strip(),
            confirmed_at=at,
            content_hash=content_hash(content),
            recorded_by=actor,
            signature=signature,
        )
        if accepted:
            move(request, S.CONFIRMED, confirmed_at=at)
        else:
            from mdss.calendars.services import clock_cancel_for

            move(request, back, completed_at=None)
            clock_cancel_for(
                subject=request,
                code=FOLLOWUP_CLOCK,
                actor=actor,
                reason=_("The customer refused the result: %(reason)s") % {"reason": reason},
            )
            track_due(request)
        audit.record(
            actor=actor,
            action="service.confirmed" if accepted else "service.refused",
            obj=request,
            reason=confirmation.reason,
            changes={
                "signer_name": signer_name,
                "method": method,
                "content_hash": confirmation.content_hash,
                "confirmation": confirmation.pk,
            },
        )
        if not accepted and request.engineer_id:
            from mdss.notifications.services import notify

            notify(
                recipient=request.engineer,
                kind="service.refused",
                subject=_("%(no)s: the customer did not accept the result")
                % {"no": request.number},
                body=confirmation.reason,
                link=f"/service/{request.pk}/",
            )
    return confirmation
