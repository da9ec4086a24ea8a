from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from mdss.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed

from ..permissions import keeps_records, may_keep_for, people_scope


def clean_errors(instance, exclude=None) -> list[FieldError]:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except DjangoValidationError as exc:
        return list(ValidationFailed.from_django(exc).errors)
    return []


def require_keeper(actor, person=None) -> None:
    """Trainers/HR and management for everyone; managers for their team."""
    if not keeps_records(actor) or (person is not None and not may_keep_for(actor, person)):
        raise PermissionDenied(_("Only trainers, HR and the person's manager keep these records."))


def require_visible(actor, person) -> None:
    from mdss.accounts.models import User

    scope = people_scope(actor)
    if scope is not None and not User.objects.filter(scope, pk=person.pk).exists():
        raise NotFound()


def required(value, field: str, message) -> list[FieldError]:
    return [] if (value or "").strip() else [FieldError(field, "required", message)]
