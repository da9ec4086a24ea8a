"""Who sees which statistics, and whose figures.

- Sales (D1, D2): management sees everything; a sales manager the figures of the
  team (reps reporting to them or in their department, and their own); a rep their
  own. Facts are filed by the contract's rep.
- Service and complaints (D3): management, the service manager and quality, for the
  whole country (the service figures are not personal).
- Resources (D4): management and the service manager.
- Deciding what to do about a growing or declining region, and the overview that
  puts sales, their change, service and engineers on one page: management only.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied

SALES = (roles.MANAGEMENT, roles.SALES_MANAGER, roles.SALES_REP)
SERVICE = (roles.MANAGEMENT, roles.SERVICE_MANAGER, roles.QUALITY)
RESOURCES = (roles.MANAGEMENT, roles.SERVICE_MANAGER)
DECIDE = (roles.MANAGEMENT,)
ANY = tuple(sorted(set(SALES + SERVICE + RESOURCES)))

AREAS = {
    "sales": SALES,
    "service": SERVICE,
    "resources": RESOURCES,
    "decide": DECIDE,
    "overview": DECIDE,  # management's one page: sales, why, service, engineers
}


def has(user, area: str) -> bool:
    return user.is_active and (user.is_superuser or user.has_role(*AREAS[area]))


def require(user, area: str) -> None:
    if not has(user, area):
        raise PermissionDenied(
            {
                "sales": _("Sales statistics are for sales staff and management."),
                "service": _(
                    "Service statistics are for the service manager, quality and management."
                ),
                "resources": _("Resource planning is for the service manager and management."),
                "decide": _("Only management decides what to do about a region."),
                "overview": _("The overview is management's."),
            }[area]
        )


def sales_scope(viewer) -> Q | None:
    """None: every rep's figures; else a filter on the facts' rep."""
    require(viewer, "sales")
    if viewer.is_superuser or viewer.has_role(roles.MANAGEMENT):
        return None
    if not viewer.has_role(roles.SALES_MANAGER):
        return Q(rep_id=viewer.pk)
    from mdss.accounts.models import User

    team = Q(pk=viewer.pk) | Q(superior=viewer)
    if viewer.department_id:
        team |= Q(department_id=viewer.department_id)
    return Q(rep_id__in=User.objects.filter(team).values("pk"))


def sales_rep_ids(viewer) -> list[int] | None:
    """The reps whose figures ``viewer`` sees (None: everyone's), as ids: the same
    rule as ``sales_scope``, read once (the figures cache keys on it)."""
    scope = sales_scope(viewer)
    if scope is None:
        return None
    from mdss.accounts.models import User

    team = Q(pk=viewer.pk)
    if viewer.has_role(roles.SALES_MANAGER) and not viewer.is_superuser:
        team |= Q(superior=viewer)
        if viewer.department_id:
            team |= Q(department_id=viewer.department_id)
    return sorted(User.objects.filter(team).values_list("pk", flat=True))
