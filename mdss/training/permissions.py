"""Who sees and keeps whose training records (X1): everybody their own; sales and
service managers their team (own department and direct reports); trainers/HR,
management and administrators everybody."""

from django.db.models import Q

from mdss.accounts import roles

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
