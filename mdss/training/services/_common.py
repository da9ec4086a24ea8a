from __future__ import annotations

from django.utils.translation import gettext as _

from mdss.core.errors import FieldError, NotFound, PermissionDenied
from mdss.core.errors import model_errors as clean_errors  # noqa: F401 (services import it here)

from ..permissions import keeps_records, may_keep_for, people_scope


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
