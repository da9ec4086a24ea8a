"""The one way a service checks a state transition (STYLE.md: a transaction, a row
lock, a check of the allowed transitions)."""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext as _

from .errors import InvalidTransition


def lock_for_transition(
    instance: Model, to: str, transitions: dict, *, field: str = "status"
) -> Model:
    """Re-read ``instance`` with a row lock and make sure ``to`` may follow its state.

    Call inside ``transaction.atomic()``; returns the locked, fresh row.
    """
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    check_transition(locked, to, transitions, field=field)
    return locked


def check_transition(row: Model, to: str, transitions: dict, *, field: str = "status") -> None:
    """409 unless ``to`` may follow ``row``'s state (a row the caller already locked)."""
    current = getattr(row, field)
    labels = dict(type(row)._meta.get_field(field).choices)
    if to not in {str(t) for t in transitions.get(current, ())}:
        raise InvalidTransition(
            _("This %(record)s is %(status)s; it cannot become %(to)s.")
            % {
                "record": type(row)._meta.verbose_name,
                "status": labels.get(current, current),
                "to": labels.get(to, to),
            }
        )
