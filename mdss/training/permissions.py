"""Who sees and keeps whose training records (X1): everybody their own; sales and
service managers their team (own department and direct reports); trainers/HR,
management and administrators everybody."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied

KEEPERS = (roles.TRAINER, roles.MANAGEMENT)
MANAGERS = (roles.SALES_MANAGER, roles.SERVICE_MANAGER)


def people_scope(viewer, prefix: str = "") -> Q | None:
    """A filter on the person field ``prefix`` (e.g. "user__"), or None for everyone."""
    if viewer.is_superuser or viewer.has_role(*KEEPERS):
        return None
    person = prefix.removesuffix("__") or "pk"
    scope = Q(**{person: viewer.pk})
    if viewer.has_role(*MANAGERS):
        scope |= Q(**{f"{prefix}superior": viewer})
        if viewer.department_id:
            scope |= Q(**{f"{prefix}department_id": viewer.department_id})
    return scope


def scoped(queryset, viewer, prefix: str):
    scope = people_scope(viewer, prefix)
    return queryset if scope is None else queryset.filter(scope)


def keeps_records(viewer) -> bool:
    """Trainers/HR and managers record sessions, assessments and certificates."""
    return viewer.is_superuser or viewer.has_role(*KEEPERS, *MANAGERS)


def may_keep_for(viewer, person) -> bool:
    if viewer.is_superuser or viewer.has_role(*KEEPERS):
        return True
    if not viewer.has_role(*MANAGERS):
        return False
    return person.superior_id == viewer.pk or (
        viewer.department_id is not None and person.department_id == viewer.department_id
    )


def team_of(user) -> str | None:
    if user.has_role(roles.SALES_REP, roles.SALES_MANAGER):
        return "sales"
    if user.has_role(roles.SERVICE_ENGINEER, roles.SERVICE_MANAGER):
        return "service"
    return None


TEAM_ROLES = {"sales": (roles.SALES_REP,), "service": (roles.SERVICE_ENGINEER,)}


# Who may do what to a training record they can see. Seeing is not acting: everybody
# sees their own assessments and the session calendar, but only trainers/HR,
# management and the person's manager keep records; only a superior (a manager or
# management) decides an external-training request, only HR or management records
# its reimbursement. Who the user is to the record (the person's manager, the
# requester, the requester's superior) is checked on top, by the services and by
# ``actions``.
ACTION_ROLES = {
    "view": None,  # the scope alone
    "keep": (*KEEPERS, *MANAGERS),  # sessions, assessments, retraining, certificates
    "request": None,  # asking for external training and recording one's attendance
    "decide_external": (roles.MANAGEMENT, *MANAGERS),  # as the requester's superior
    "reimburse": KEEPERS,  # HR (trainers) or management
}

ACTION_LABELS = {
    "view": _("view"),
    "keep": _("keep training records"),
    "request": _("request external training"),
    "decide_external": _("decide external-training requests"),
    "reimburse": _("record reimbursements"),
}


def may_act(actor, action: str) -> bool:
    allowed = ACTION_ROLES[action]
    return allowed is None or actor.is_superuser or actor.has_role(*allowed)


def require_training_action(actor, action: str) -> None:
    if not may_act(actor, action):
        raise PermissionDenied(
            _("Your role may see this but not do this (%(action)s).")
            % {"action": ACTION_LABELS[action]}
        )


def decides_external(actor, request) -> bool:
    """The requester's superior, or management; never the requester."""
    if actor.pk == request.requester_id:
        return False
    return (
        actor.is_superuser
        or actor.has_role(roles.MANAGEMENT)
        or request.requester.superior_id == actor.pk
    )
