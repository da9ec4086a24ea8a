"""Row-level scope of customers (X1): a rep sees own customers, a manager the team's
(own department and direct reports), management and administrators all.

The same rule covers everything hanging off a customer (contacts, qualifications,
activities, visits, feedback) through ``prefix``, and plans through their owner.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied


def scope_terms(viewer) -> tuple[tuple[str, int], ...] | None:
    """The rule itself: the (lookup on Customer, value) pairs any one of which puts a
    customer in the viewer's scope, or None for everything."""
    if viewer.is_superuser or viewer.has_role(roles.MANAGEMENT):
        return None
    terms = [("owner_id", viewer.pk)]
    if viewer.has_role(roles.SALES_MANAGER):
        terms.append(("owner__superior_id", viewer.pk))
        if viewer.department_id:
            terms.append(("owner__department_id", viewer.department_id))
    return tuple(terms)


def terms_filter(terms, prefix: str = "") -> Q:
    scope = Q()
    for lookup, value in terms:
        scope |= Q(**{f"{prefix}{lookup}": value})
    return scope


def customer_scope(viewer, prefix: str = "") -> Q | None:
    """A filter on Customer (or on ``prefix``-related rows), or None for everything."""
    terms = scope_terms(viewer)
    return None if terms is None else terms_filter(terms, prefix)


def scoped(queryset, viewer, prefix: str = ""):
    scope = customer_scope(viewer, prefix)
    return queryset if scope is None else queryset.filter(scope)


def is_manager(viewer) -> bool:
    """Who decides on feedback and gives customers to other reps."""
    return viewer.is_superuser or viewer.has_role(roles.SALES_MANAGER, roles.MANAGEMENT)


def may_own(viewer, owner) -> bool:
    """Whether ``viewer`` may make ``owner`` the owning rep of a customer."""
    if owner == viewer or viewer.is_superuser or viewer.has_role(roles.MANAGEMENT):
        return True
    if not viewer.has_role(roles.SALES_MANAGER):
        return False
    return owner.superior_id == viewer.pk or (
        viewer.department_id is not None and owner.department_id == viewer.department_id
    )


SALES = (roles.SALES_REP, roles.SALES_MANAGER, roles.MANAGEMENT)
# Who may do what to customer records they can see. Seeing is not acting: a rep sees
# the feedback of their customers and says what was done about it, but only a sales
# manager or management closes it with the decision on the sales strategy.
ACTION_ROLES = {
    "view": None,  # the scope alone
    "act_on_feedback": SALES,  # saying what was done
    "decide_feedback": (roles.SALES_MANAGER, roles.MANAGEMENT),  # closing with the decision
}

ACTION_LABELS = {
    "view": _("view"),
    "act_on_feedback": _("act on feedback"),
    "decide_feedback": _("decide on feedback"),
}


def may_act(actor, action: str) -> bool:
    allowed = ACTION_ROLES[action]
    return allowed is None or actor.is_superuser or actor.has_role(*allowed)


def require_customers_action(actor, action: str) -> None:
    if not may_act(actor, action):
        raise PermissionDenied(
            _("Your role may see this but not do this (%(action)s).")
            % {"action": ACTION_LABELS[action]}
        )
