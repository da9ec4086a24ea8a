"""Who sees risks, and who may do what to them.

Seeing: management, quality and the sales and service managers see the whole
register (they answer for the risks of sales and service); anyone else sees the
risks they own or hold a measure in. Customers see none.

Acting: the four who see all record risks; a risk's owner, quality and management
assess it, add measures and review it; a measure's owner (or quality, management)
reports it done; management and quality close a risk and decide on the signals;
management alone changes the matrix (signed).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied

from .choices import RiskAction as A

SEES_ALL = (roles.MANAGEMENT, roles.QUALITY, roles.SALES_MANAGER, roles.SERVICE_MANAGER)
STEWARDS = (roles.MANAGEMENT, roles.QUALITY)
ACTION_ROLES = {
    A.CREATE: SEES_ALL,
    A.CLOSE: STEWARDS,
    A.MATRIX: (roles.MANAGEMENT,),
    A.SIGNAL_DECIDE: STEWARDS,
}
# Done on one risk by its owner or a steward.
OWNER_ACTIONS = (A.ASSESS, A.MEASURE_ADD, A.REVIEW)


def has(user, *codes) -> bool:
    return user.is_active and (user.is_superuser or user.has_role(*codes))


def is_staff(user) -> bool:
    return has(user, *(c for c, r in roles.ROLES.items() if r.is_staff_role))


def sees_all(viewer) -> bool:
    return has(viewer, *SEES_ALL)


def require_reader(viewer) -> None:
    if not is_staff(viewer):
        raise PermissionDenied(_("The risk register is for staff."))


def risk_scope(viewer) -> Q | None:
    """None: every risk; else those the viewer owns or holds a measure in."""
    require_reader(viewer)
    if sees_all(viewer):
        return None
    return Q(owner=viewer) | Q(measures__owner=viewer)


def may(user, action: str, risk=None) -> bool:
    if action in ACTION_ROLES:
        return has(user, *ACTION_ROLES[action])
    if action in OWNER_ACTIONS:
        return has(user, *STEWARDS) or (risk is not None and risk.owner_id == user.pk)
    return False


def require(user, action: str, risk=None) -> None:
    """403 unless ``user`` may ``action`` (on ``risk``), before anything is read."""
    if not may(user, action, risk):
        raise PermissionDenied(_("You may not %(action)s here.") % {"action": A(action).label})


def actions_for(user, risk) -> list[str]:
    from .choices import RiskStatus

    if risk.status != RiskStatus.OPEN:
        return []
    return [str(a) for a in (A.ASSESS, A.MEASURE_ADD, A.REVIEW, A.CLOSE) if may(user, a, risk)]
