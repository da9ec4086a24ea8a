"""External seminars and courses with cost support (S4):

submitted ── approve (the superior, or management) ──▶ approved ── attended (proof) ──▶ attended
          └─ reject ──▶ rejected                      attended ── reimburse (HR / management) ──▶ reimbursed
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core import uploads
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed
from mdss.core.money import to_decimal
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from ..choices import EXTERNAL_TRANSITIONS, ExternalStatus
from ..models import ExternalTraining
from ..permissions import decides_external, may_act, require_training_action
from ._common import clean_errors


def _link(request) -> str:
    return f"/training/external/{request.pk}/"


def external_request(*, actor, request: ExternalTraining, today: date) -> ExternalTraining:
    request.requester = actor
    errors = clean_errors(request, exclude=["requester", "approver"])
    if request.ends_on and request.starts_on and request.ends_on < request.starts_on:
        errors.append(FieldError("ends_on", "after_start", _("It must end after it starts.")))
    if request.starts_on and request.starts_on < today:
        errors.append(FieldError("starts_on", "future", _("Ask before the course starts.")))
    if request.cost is not None and request.cost < 0:
        errors.append(FieldError("cost", "min_value", _("The cost cannot be negative.")))
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        request.save()
        audit.record(
            actor=actor,
            action="training.external_requested",
            obj=request,
            changes={"course": request.course, "cost": request.cost, "from": request.starts_on},
        )
        approver = actor.superior
        if approver is not None:
            notify(
                recipient=approver,
                kind="training.external",
                subject=_("%(person)s asks to attend %(course)s (¥%(cost)s)")
                % {"person": actor.display_name, "course": request.course, "cost": request.cost},
                link=_link(request),
            )
    return request


def _require_approver(actor, request) -> None:
    if actor.pk == request.requester_id:
        raise PermissionDenied(_("Nobody approves their own request."))
    if not decides_external(actor, request):
        raise PermissionDenied(_("The requester's superior decides."))
    require_training_action(actor, "decide_external")


def _decide(actor, request, to, comment):
    _require_approver(actor, request)
    with transaction.atomic():
        locked = lock_for_transition(request, to, EXTERNAL_TRANSITIONS)
        locked.status, locked.approver, locked.decided_at = to, actor, timezone.now()
        locked.decision_comment = (comment or "").strip()
        locked.save(
            update_fields=["status", "approver", "decided_at", "decision_comment", "updated_at"]
        )
        audit.record(
            actor=actor,
            action=f"training.external_{to}",
            obj=locked,
            changes={"status": to, "comment": locked.decision_comment},
        )
        notify(
            recipient=locked.requester,
            kind="training.external",
            subject=_("%(course)s: %(status)s")
            % {"course": locked.course, "status": locked.get_status_display()},
            body=locked.decision_comment,
            link=_link(locked),
        )
    return locked


def external_approve(*, actor, request: ExternalTraining, comment: str = "") -> ExternalTraining:
    return _decide(actor, request, ExternalStatus.APPROVED, comment)


def external_reject(*, actor, request: ExternalTraining, comment: str) -> ExternalTraining:
    _require_approver(actor, request)  # who may decide, before what they wrote
    if not (comment or "").strip():
        raise ValidationFailed.single("comment", "required", _("Say why it is rejected."))
    return _decide(actor, request, ExternalStatus.REJECTED, comment)


def external_attended(*, actor, request: ExternalTraining, proof) -> ExternalTraining:
    """The requester uploads the certificate of attendance or the invoice."""
    if actor.pk != request.requester_id:
        raise PermissionDenied(_("The participant records the attendance."))
    if not proof:
        raise ValidationFailed.single("proof", "required", _("Attach the attendance proof."))
    uploads.check(proof, field="proof")
    with transaction.atomic():
        locked = lock_for_transition(request, ExternalStatus.ATTENDED, EXTERNAL_TRANSITIONS)
        locked.status, locked.proof = ExternalStatus.ATTENDED, proof
        locked.save(update_fields=["status", "proof", "updated_at"])
        audit.record(actor=actor, action="training.external_attended", obj=locked)
    return locked


def external_reimburse(*, actor, request: ExternalTraining, amount, on: date) -> ExternalTraining:
    """HR or management records the reimbursement (not more than approved)."""
    if not may_act(actor, "reimburse"):
        raise PermissionDenied(_("HR or management records reimbursements."))
    value = to_decimal(amount)
    if value is None or value < 0:
        raise ValidationFailed.single("amount", "min_value", _("An amount of 0 or more, in yuan."))
    if value > request.cost:
        raise ValidationFailed.single(
            "amount",
            "max_value",
            _("More than the approved cost (¥%(cost)s).") % {"cost": request.cost},
        )
    with transaction.atomic():
        locked = lock_for_transition(request, ExternalStatus.REIMBURSED, EXTERNAL_TRANSITIONS)
        locked.status, locked.reimbursed_amount, locked.reimbursed_on = (
            ExternalStatus.REIMBURSED,
            value,
            on,
        )
        locked.save(update_fields=["status", "reimbursed_amount", "reimbursed_on", "updated_at"])
        audit.record(
            actor=actor,
            action="training.external_reimbursed",
            obj=locked,
            changes={"amount": value, "on": on},
        )
    return locked
