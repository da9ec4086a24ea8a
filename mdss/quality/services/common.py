"""What every quality transition shares: the locked state check, the state writer,
the copy of the running deadline, notifications and text checks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed
from mdss.core.workflow import check_transition

from ..choices import QualityAction
from ..permissions import possible, require_role


def locked(obj, actor, action: str, state_actions: dict, transitions: dict, to=None):
    """``obj`` re-read under a row lock; 403 unless the role may ``action``; 409
    unless its state allows ``action`` and ``to`` may follow."""
    require_role(actor, action)
    row = type(obj).objects.select_for_update().get(pk=obj.pk)
    if action not in possible(state_actions, row):
        raise InvalidTransition(
            _("%(obj)s is %(status)s: “%(action)s” cannot be done now.")
            % {
                "obj": row.number,
                "status": row.get_status_display(),
                "action": QualityAction(action).label,
            }
        )
    if to is not None:
        check_transition(row, to, transitions)
    return row


def move(obj, to: str, **fields) -> None:
    """The only place a quality record's ``status`` is written after creation."""
    obj.status = to
    save(obj, status=to, **fields)


def save(obj, **fields) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save(update_fields=["updated_at", *fields])


def track_due(obj, codes) -> None:
    """Copy the due time of the record's earliest running clock onto it."""
    from mdss.calendars.selectors import clocks_for

    due = (
        clocks_for(obj)
        .filter(code__in=codes, status="running")
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due != obj.due_at:
        obj.due_at = due
        obj.save(update_fields=["due_at"])


def require_text(errors: list, name: str, value, message=None, max_length: int = 4000) -> str:
    value = (value or "").strip()
    if not value:
        errors.append(FieldError(name, "required", message or _("This field is required.")))
    elif len(value) > max_length:
        errors.append(
            FieldError(
                name,
                "max_length",
                _("At most %(n)s characters (%(m)s given).") % {"n": max_length, "m": len(value)},
            )
        )
    return value


def bounded(errors: list, name: str, value, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        errors.append(
            FieldError(
                name,
                "max_length",
                _("At most %(n)s characters (%(m)s given).") % {"n": max_length, "m": len(value)},
            )
        )
    return value


def raise_if(errors: list) -> None:
    if errors:
        raise ValidationFailed(errors=errors)


def now_or(at):
    return at or timezone.now()


def notify_role(role: str, subject: str, body: str, link: str, kind: str) -> None:
    from mdss.accounts.models import User
    from mdss.notifications.services import notify_many

    notify_many(
        User.objects.filter(groups__name=role, is_active=True),
        kind=kind,
        subject=subject,
        body=body[:500],
        link=link,
    )


def notify(recipient, subject: str, body: str, link: str, kind: str) -> None:
    from mdss.notifications.services import notify as send

    if recipient is not None:
        send(recipient=recipient, kind=kind, subject=subject, body=body[:500], link=link)
