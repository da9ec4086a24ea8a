"""Portal accounts: which customer organisation a customer login acts for. The
service app (and later complaints) ask ``portal_customer(user)``; the distributor's
managers grant and withdraw accounts (audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.errors import PermissionDenied, ValidationFailed

from .models import PortalAccount

GRANTORS = (roles.SALES_MANAGER, roles.SERVICE_MANAGER, roles.MANAGEMENT)


def portal_customer(user):
    """The customer ``user`` acts for in the portal, or None (staff, no account,
    withdrawn). Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_portal_customer"):
        account = (
            PortalAccount.objects.filter(user=user, is_active=True, user__is_active=True)
            .select_related("customer")
            .first()
        )
        user._portal_customer = account.customer if account else None
    return user._portal_customer


def portal_account_grant(*, actor, user, customer) -> PortalAccount:
    """Let a customer login (role "customer") see and act for ``customer``."""
    if not (actor.is_superuser or actor.has_role(*GRANTORS)):
        raise PermissionDenied(_("Managers grant portal accounts."))
    if not user.has_role(roles.CUSTOMER) or user.has_role(
        *[r for r in roles.ROLES if r != roles.CUSTOMER]
    ):
        raise ValidationFailed.single(
            "user",
            "not_customer",
            _("Only a customer login (and no staff role) gets a portal account."),
        )
    with transaction.atomic():
        account, created = PortalAccount.objects.update_or_create(
            user=user, defaults={"customer": customer, "granted_by": actor, "is_active": True}
        )
        audit.record(
            actor=actor,
            action="customers.portal_granted",
            obj=account,
            changes={"user": user.pk, "customer": customer.pk, "created": created},
        )
    return account


def portal_account_withdraw(*, actor, account: PortalAccount, reason: str) -> PortalAccount:
    if not (actor.is_superuser or actor.has_role(*GRANTORS)):
        raise PermissionDenied(_("Managers grant portal accounts."))
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why it is withdrawn."))
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor, action="customers.portal_withdrawn", obj=account, reason=reason.strip()
        )
    return account
