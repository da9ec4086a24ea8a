"""What every service-request transition shares: the locked state change, the copy
of the running deadline on the request, who answers for a clock, and text checks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed
from mdss.core.workflow import check_transition

from ..choices import CLOCKS, OPEN_STATUSES, REQUEST_TRANSITIONS
from ..models import ServiceRequest
from ..permissions import require_action


def locked(request: ServiceRequest, to: str, actor=None, action: str = "") -> ServiceRequest:
    """The request re-read under a row lock, refused (409) unless ``to`` may follow,
    and (403) unless ``actor`` may do ``action`` on it as it is now (the job may have
    gone to another engineer since the caller read it)."""
    # The row lock first, then who may act, then what the state allows.
    row = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if actor is not None:
        require_action(actor, action, row)
    check_transition(row, to, REQUEST_TRANSITIONS)
    return row


def locked_in(request: ServiceRequest, *statuses: str, actor, action: str) -> ServiceRequest:
    """The request under a row lock, refused (409) unless it is in one of ``statuses``
    (an action that records without changing the state), 403 as for ``locked``."""
    fresh = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    require_action(actor, action, fresh)
    if fresh.status not in statuses:
        raise InvalidTransition(
            _("This service request is %(status)s; this cannot be done now.")
            % {"status": fresh.get_status_display()}
        )
    return fresh


def fresh(request: ServiceRequest) -> ServiceRequest:
    """The request as it is now (a caller may hold an older copy)."""
    return ServiceRequest.objects.select_related("device__model", "engineer").get(pk=request.pk)


def move(request: ServiceRequest, to: str, **fields) -> None:
    """Set the new state and ``fields`` on the locked request and save them (the only
    place outside creation where a request's ``status`` is written)."""
    request.status = to
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["status", "updated_at", *fields])


def track_due(request: ServiceRequest) -> None:
    """Copy the due time of the request's running obligation onto the request (the
    job list and the board sort by it)."""
    from mdss.calendars.selectors import clocks_for

    due = (
        clocks_for(request)
        .filter(code__in=CLOCKS, status="running")
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is None and request.kind == "pm" and request.status in OPEN_STATUSES:
        return  # a PM visit keeps its own due date until it is completed
    if due != request.due_at:
        request.due_at = due
        request.save(update_fields=["due_at"])


def dispatcher_for(request: ServiceRequest, code: str):
    """Who answers for a clock nobody on the job holds: the engineer's superior when
    that is a dispatcher, else the dispatcher with the fewest such clocks running."""
    from mdss.accounts.models import User
    from mdss.calendars.hooks import responsible_load

    engineer = request.engineer
    if engineer is not None and engineer.superior_id:
        boss = engineer.superior
        if boss.is_active and boss.has_role(roles.SERVICE_MANAGER):
            return boss
    dispatchers = list(
        User.objects.filter(groups__name=roles.SERVICE_MANAGER, is_active=True).order_by("pk")
    )
    if not dispatchers:
        return None
    load = responsible_load(code)
    return min(dispatchers, key=lambda u: (load.get(u.pk, 0), u.pk))


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
