"""What every complaint transition shares: the locked state change, the copy of the
running deadline on the complaint, who handles a complaint, and text checks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed
from mdss.core.workflow import check_transition

from ..choices import CLOCKS, COMPLAINT_TRANSITIONS, CONTACT_CLOCK, ComplaintAction
from ..models import Complaint
from ..permissions import HANDLERS, possible_actions, require_action


def locked(complaint: Complaint, actor, action: str, to: str | None = None) -> Complaint:
    """The complaint re-read under a row lock; 403 unless ``actor`` may do ``action``
    on it as it is now; 409 unless its state (and severity, hand-over, assessment)
    allows ``action`` (permissions.possible_actions) and ``to`` may follow."""
    row = Complaint.objects.select_for_update().get(pk=complaint.pk)
    require_action(actor, action, row)
    if action not in possible_actions(row):
        state = row.get_status_display()
        if row.severity:
            state = f"{state} ({row.get_severity_display()})"
        raise InvalidTransition(
            _("This complaint is %(status)s: “%(action)s” cannot be done now.")
            % {"status": state, "action": ComplaintAction(action).label}
        )
    if to is not None:
        check_transition(row, to, COMPLAINT_TRANSITIONS)
    return row


def move(complaint: Complaint, to: str, **fields) -> None:
    """Set the new state and ``fields`` on the locked complaint and save them (the only
    place outside creation where a complaint's ``status`` is written)."""
    complaint.status = to
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.save(update_fields=["status", "updated_at", *fields])


def save(complaint: Complaint, **fields) -> None:
    """Record ``fields`` on the locked complaint without changing its state."""
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.save(update_fields=["updated_at", *fields])


def track_due(complaint: Complaint) -> None:
    """Copy the due time of the complaint's earliest running obligation (or the
    special team's resolution date) onto the complaint: the queue sorts by it."""
    from mdss.calendars.selectors import clocks_for

    due = (
        clocks_for(complaint)
        .filter(code__in=CLOCKS, status="running")
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is None and complaint.is_open and complaint.status == "investigating":
        due = complaint.resolution_due
    if not complaint.is_open:
        due = None
    if due != complaint.due_at:
        complaint.due_at = due
        complaint.save(update_fields=["due_at"])


def may_handle(user) -> bool:
    return user.is_active and user.has_role(*HANDLERS)


def default_handler():
    """The quality officer with the fewest complaint contacts running (the complaint
    line is quality's), else anyone from management."""
    from mdss.accounts.models import User
    from mdss.calendars.hooks import responsible_load

    for role in (roles.QUALITY, roles.MANAGEMENT):
        people = list(User.objects.filter(groups__name=role, is_active=True).order_by("pk"))
        if people:
            load = responsible_load(CONTACT_CLOCK)
            return min(people, key=lambda u: (load.get(u.pk, 0), u.pk))
    return None


def require_text(errors: list, name: str, value: str, message=None) -> str:
    value = (value or "").strip()
    if not value:
        errors.append(FieldError(name, "required", message or _("This field is required.")))
    return value


def raise_if(errors: list) -> None:
    if errors:
        raise ValidationFailed(errors=errors)


def now_or(at):
    return at or timezone.now()


def notify(recipient, complaint: Complaint, subject: str, kind: str = "complaint") -> None:
    from mdss.notifications.services import notify as send

    if recipient is not None:
        send(
            recipient=recipient,
            kind=kind,
            subject=subject,
            body=complaint.content[:500],
            link=f"/complaints/{complaint.pk}/",
        )


def notify_role(role: str, complaint: Complaint, subject: str, kind: str = "complaint") -> None:
    from mdss.accounts.models import User
    from mdss.notifications.services import notify_many

    notify_many(
        User.objects.filter(groups__name=role, is_active=True),
        kind=kind,
        subject=subject,
        body=complaint.content[:500],
        link=f"/complaints/{complaint.pk}/",
    )
