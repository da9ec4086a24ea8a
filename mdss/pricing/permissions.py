"""Who may do what to prices (S12, S13). Seeing is not acting: sales managers see
every price-list change but only management approves one; a rep sees their own
price-adjustment request but only a superior or management decides it."""

from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied

MANAGERS = (roles.SALES_MANAGER, roles.MANAGEMENT)
ACTION_ROLES = {
    "view": None,  # the selectors' scope alone
    "propose": MANAGERS,  # drafting and submitting a price-list change
    "approve_prices": (roles.MANAGEMENT,),  # approving or rejecting it (e-signature)
    "request": (roles.SALES_REP, roles.SALES_MANAGER),  # a price-adjustment request
    "decide_adjustment": MANAGERS,  # as the requester's superior, or below the floor
}

ACTION_LABELS = {
    "view": _("view"),
    "propose": _("propose price-list changes"),
    "approve_prices": _("approve price-list changes"),
    "request": _("request price adjustments"),
    "decide_adjustment": _("decide price adjustments"),
}


def may_act(actor, action: str) -> bool:
    allowed = ACTION_ROLES[action]
    return allowed is None or actor.is_superuser or actor.has_role(*allowed)


def require_pricing_action(actor, action: str) -> None:
    """403 unless ``actor``'s role may do ``action`` (the scope is the selectors')."""
    if not may_act(actor, action):
        raise PermissionDenied(
            _("Your role may see this but not do this (%(action)s).")
            % {"action": ACTION_LABELS[action]}
        )


def is_management(user) -> bool:
    return user.is_superuser or user.has_role(roles.MANAGEMENT)


def decides_adjustment_step(user, adjustment) -> bool:
    """Whether the waiting step of ``adjustment`` is ``user``'s to decide: the
    superior's (management when the requester has none), then management's."""
    from .choices import AdjustmentStatus

    if adjustment.requested_by_id == user.pk:
        return False
    if adjustment.status == AdjustmentStatus.SUBMITTED:
        if adjustment.superior_id is None:
            return is_management(user)
        return adjustment.superior_id == user.pk
    if adjustment.status == AdjustmentStatus.AWAITING_MANAGEMENT:
        return is_management(user)
    return False
