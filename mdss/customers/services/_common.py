"""Checks every customers service makes: permission, scope, and model validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from mdss.core.errors import NotFound, PermissionDenied, ValidationFailed

from ..models import Customer
from ..permissions import customer_scope


def require_perm(actor, perm: str) -> None:
    if not actor.has_perm(f"customers.{perm}"):
        raise PermissionDenied(_("You may not do this with customers."))


def require_in_scope(actor, customer: Customer) -> None:
    """Services check the scope again: tasks and the API call them too."""
    scope = customer_scope(actor)
    if scope is not None and not Customer.objects.filter(scope, pk=customer.pk).exists():
        raise NotFound()


def full_clean(instance, exclude=None, **options) -> None:
    try:
        instance.full_clean(exclude=exclude, **options)
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def clean_errors(instance, exclude=None) -> list:
    """The model's field errors as FieldErrors (constraints are the caller's to explain),
    so a service can report them together with its own rules."""
    try:
        full_clean(instance, exclude=exclude, validate_constraints=False)
    except ValidationFailed as exc:
        return list(exc.errors)
    return []
