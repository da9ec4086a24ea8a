"""Checks every customers service makes: permission, scope, and model validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from mdss.core.errors import NotFound, PermissionDenied, ValidationFailed
from mdss.core.errors import model_errors as clean_errors  # noqa: F401 (services import it here)

from ..models import Customer
from ..permissions import customer_scope


def require_perm(actor, perm: str) -> None:
    if not actor.has_perm(f"customers.{perm}"):
        raise PermissionDenied(_("You may not do this with customers."))


# Set by ``selectors.customer_in_scope`` on the instance its scoped query returned:
# the viewer's id. The service's own check is then already answered for that actor.
SCOPE_MARK = "_in_scope_of"


def require_in_scope(actor, customer: Customer) -> None:
    """Services check the scope again: tasks and the API call them too. A customer
    fetched through ``customer_in_scope`` for this same actor was found by the scoped
    query itself, so asking again would repeat that query's answer."""
    if customer.pk is not None and customer.__dict__.get(SCOPE_MARK) == actor.pk:
        return
    scope = customer_scope(actor)
    if scope is not None and not Customer.objects.filter(scope, pk=customer.pk).exists():
        raise NotFound()


def full_clean(instance, exclude=None, **options) -> None:
    try:
        instance.full_clean(exclude=exclude, **options)
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
