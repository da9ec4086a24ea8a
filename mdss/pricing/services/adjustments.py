"""Price-adjustment requests (价格调整申请表, S13): the only way to sell below list.

draft → submitted → (superior approves) → approved, or → awaiting_management when the
price is below the floor → (management approves) → approved; rejected at either step.
Every approval is an e-signature over the customer, model, quantity and price.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import esign
from mdss.audit import services as audit
from mdss.catalog.compliance import require_sellable
from mdss.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mdss.core.numbers import next_number
from mdss.core.workflow import lock_for_transition
from mdss.customers.selectors import customer_get_for_user
from mdss.notifications.services import notify

from .. import selectors
from ..choices import ADJUSTMENT_TRANSITIONS, AdjustmentStatus
from ..models import PriceAdjustment
from ..permissions import require_pricing_action
from .changes import _money

DEFAULT_VALID_DAYS = 30


def _approver_of(requester):
    """The superior decides; with no superior on file, management does."""
    return requester.superior


def adjustment_create(
    *,
    actor,
    customer_id: int,
    model,
    quantity: int,
    requested_price,
    reason: str,
    valid_until: date | None = None,
    today: date,
) -> PriceAdjustment:
    require_pricing_action(actor, "request")
    customer = customer_get_for_user(actor, customer_id)  # 404 outside the rep's customers
    if quantity < 1:
        raise ValidationFailed.single(
            "quantity", "min_value", _("The quantity must be at least 1.")
        )
    if not (reason or "").strip():
        raise ValidationFailed.single(
            "reason", "required", _("Say why this deal needs a price off the list.")
        )
    price = _money(requested_price, "requested_price")
    require_sellable(model, today)
    entry = selectors.price_of(model.pk)
    if entry is None:
        raise ValidationFailed.single(
            "model", "no_price", _("This model has no price in the active price list.")
        )
    if price == entry.list_price:
        raise ValidationFailed.single(
            "requested_price",
            "same_as_list",
            _("The requested price is the list price %(price)s: no request is needed.")
            % {"price": entry.list_price},
        )
    valid_until = valid_until or today + timedelta(days=DEFAULT_VALID_DAYS)
    if valid_until < today:
        raise ValidationFailed.single(
            "valid_until", "future", _("The validity must not end in the past.")
        )
    discount = ((entry.list_price - price) / entry.list_price * 100).quantize(Decimal("0.01"))
    with transaction.atomic():
        adjustment = PriceAdjustment.objects.create(
            number=next_number("JT", on=today),
            requested_by=actor,
            customer=customer,
            model=model,
            quantity=quantity,
            list_price=entry.list_price,
            floor_price=entry.floor_price,
            requested_price=price,
            discount_percent=discount,
            reason=reason.strip(),
            valid_until=valid_until,
        )
        audit.record(
            actor=actor,
            action="pricing.adjustment_created",
            obj=adjustment,
            reason=adjustment.reason,
            changes={
                "customer": customer.pk,
                "model": model.pk,
                "quantity": quantity,
                "requested_price": price,
                "list_price": entry.list_price,
            },
        )
    return adjustment


def _locked(adjustment: PriceAdjustment, to: str) -> PriceAdjustment:
    return lock_for_transition(adjustment, to, ADJUSTMENT_TRANSITIONS)


def adjustment_submit(*, adjustment: PriceAdjustment, actor) -> PriceAdjustment:
    from mdss.accounts.models import User

    with transaction.atomic():
        adjustment = _locked(adjustment, AdjustmentStatus.SUBMITTED)
        require_pricing_action(actor, "request")
        if actor.pk != adjustment.requested_by_id:
            raise PermissionDenied(_("Only the requester submits the request."))
        adjustment.status = AdjustmentStatus.SUBMITTED
        adjustment.superior = _approver_of(actor)
        adjustment.save(update_fields=["status", "superior", "updated_at"])
        audit.record(actor=actor, action="pricing.adjustment_submitted", obj=adjustment)
        approvers = (
            [adjustment.superior]
            if adjustment.superior
            else list(User.objects.filter(groups__name=roles.MANAGEMENT, is_active=True))
        )
        for approver in approvers:
            notify(
                recipient=approver,
                kind="pricing.adjustment_submitted",
                subject=_("Price adjustment %(number)s waits for your approval")
                % {"number": adjustment.number},
                body=f"{adjustment.customer} · {adjustment.model} × {adjustment.quantity} · "
                f"{adjustment.requested_price} ({adjustment.deviation_display})",
                link=f"/pricing/adjustments/{adjustment.pk}/",
            )
    return adjustment


def _check_decider(adjustment: PriceAdjustment, actor, today: date) -> str:
    """Which step the actor may decide: 'superior' or 'management'."""
    if actor.pk == adjustment.requested_by_id:
        raise PermissionDenied(_("Nobody approves or rejects their own request."))
    require_pricing_action(actor, "decide_adjustment")
    if adjustment.valid_until < today:
        raise InvalidTransition(
            _("The request expired on %(date)s.") % {"date": adjustment.valid_until}
        )
    is_management = actor.is_superuser or actor.has_role(roles.MANAGEMENT)
    if adjustment.status == AdjustmentStatus.SUBMITTED:
        if adjustment.superior_id == actor.pk or (adjustment.superior_id is None and is_management):
            return "superior"
        raise PermissionDenied(_("Only the requester's superior decides this request."))
    if adjustment.status == AdjustmentStatus.AWAITING_MANAGEMENT and is_management:
        return "management"
    raise PermissionDenied(_("Only management decides prices below the floor."))


def _content(adjustment: PriceAdjustment) -> dict:
    return {
        "number": adjustment.number,
        "customer": adjustment.customer_id,
        "model": adjustment.model_id,
        "quantity": adjustment.quantity,
        "requested_price": adjustment.requested_price,
        "valid_until": adjustment.valid_until,
    }


def adjustment_approve(
    *, adjustment: PriceAdjustment, actor, password: str, comment: str = "", today: date
) -> PriceAdjustment:
    # Who may sign is settled before the password is asked for (the step, under lock).
    if actor.pk == adjustment.requested_by_id:
        raise PermissionDenied(_("Nobody approves or rejects their own request."))
    require_pricing_action(actor, "decide_adjustment")
    esign.authenticate(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        # APPROVED may follow both waiting states, so this lock also checks the state.
        adjustment = _locked(adjustment, AdjustmentStatus.APPROVED)
        step = _check_decider(adjustment, actor, today)
        below_floor = adjustment.requested_price < adjustment.floor_price
        to = (
            AdjustmentStatus.AWAITING_MANAGEMENT
            if step == "superior"
            and below_floor
            and not (actor.is_superuser or actor.has_role(roles.MANAGEMENT))
            else AdjustmentStatus.APPROVED
        )
        signature = esign.sign(
            signer=actor,
            password=password,
            obj=adjustment,
            content=_content(adjustment),
            meaning="price adjustment approved" + (" (below floor)" if below_floor else ""),
            comment=comment,
        )
        if step == "superior":
            adjustment.superior_signature = signature
        if to == AdjustmentStatus.APPROVED and below_floor:
            adjustment.management_signature = signature
        adjustment.status = to
        adjustment.decided_by = actor
        adjustment.decided_at = timezone.now()
        adjustment.decision_comment = comment.strip()
        adjustment.save()
        audit.record(
            actor=actor,
            action=f"pricing.adjustment_{'approved' if to == 'approved' else 'escalated'}",
            obj=adjustment,
            reason=adjustment.decision_comment,
            changes={"step": step},
        )
        notify(
            recipient=adjustment.requested_by,
            kind="pricing.adjustment_decided",
            subject=(
                _("Price adjustment %(number)s was approved")
                if to == AdjustmentStatus.APPROVED
                else _("Price adjustment %(number)s now waits for management")
            )
            % {"number": adjustment.number},
            link=f"/pricing/adjustments/{adjustment.pk}/",
        )
    return adjustment


def adjustment_reject(
    *, adjustment: PriceAdjustment, actor, comment: str, today: date
) -> PriceAdjustment:
    if not (comment or "").strip():
        raise ValidationFailed.single("comment", "required", _("Say why the request is rejected."))
    with transaction.atomic():
        adjustment = _locked(adjustment, AdjustmentStatus.REJECTED)
        _check_decider(adjustment, actor, today)
        adjustment.status = AdjustmentStatus.REJECTED
        adjustment.decided_by = actor
        adjustment.decided_at = timezone.now()
        adjustment.decision_comment = comment.strip()
        adjustment.save(
            update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="pricing.adjustment_rejected",
            obj=adjustment,
            reason=adjustment.decision_comment,
        )
        notify(
            recipient=adjustment.requested_by,
            kind="pricing.adjustment_decided",
            subject=_("Price adjustment %(number)s was rejected") % {"number": adjustment.number},
            body=adjustment.decision_comment,
            link=f"/pricing/adjustments/{adjustment.pk}/",
        )
    return adjustment
