"""Who sees service requests, and who may do what to them.

Seeing: the service manager (dispatcher), management and quality see every request
(they dispatch, escalate and audit); an engineer the requests assigned to them or
that they logged; sales staff the requests of the customers they may see (they
answer to the customer too, but change nothing here).

Acting: the dispatcher logs calls, assigns and dispatches engineers, follows up,
closes, reopens and cancels. The engineer on the job contacts, guides, triages,
works on site, asks for parts, completes and has the customer confirm; an engineer
on call may log a call too (it becomes their job). What the state allows is the
transition map (``choices.REQUEST_TRANSITIONS``); ``actions_for`` combines both and
drives every button and the API's ``allowed_actions``.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied
from mdss.customers.permissions import customer_scope
from mdss.customers.portal import portal_customer

from .choices import RequestStatus as S
from .choices import ServiceAction as A

ALL_REQUESTS = (roles.SERVICE_MANAGER, roles.MANAGEMENT, roles.QUALITY)
READERS = (*ALL_REQUESTS, roles.SERVICE_ENGINEER, roles.SALES_REP, roles.SALES_MANAGER)

ACTION_ROLES = {
    A.CREATE: (roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
    A.CONTACT: (roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
    A.TRIAGE: (roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
    A.RESOLVE_BY_PHONE: (roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
    A.DISPATCH: (roles.SERVICE_MANAGER,),
    A.CHECK_IN: (roles.SERVICE_ENGINEER,),
    A.REPAIR_RECORD: (roles.SERVICE_ENGINEER,),
    A.REQUEST_PARTS: (roles.SERVICE_ENGINEER,),
    A.LEAVE: (roles.SERVICE_ENGINEER,),
    A.COMPLETE: (roles.SERVICE_ENGINEER,),
    A.CONFIRM: (roles.SERVICE_ENGINEER, roles.SERVICE_MANAGER),
    A.FOLLOW_UP: (roles.SERVICE_MANAGER,),
    A.CLOSE: (roles.SERVICE_MANAGER,),
    A.REOPEN: (roles.SERVICE_MANAGER,),
    A.CANCEL: (roles.SERVICE_MANAGER,),
    A.IMPROVE: (roles.SERVICE_MANAGER,),
    A.QUOTE: (roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
}
# An engineer does these only on their own jobs; the dispatcher on any.
ENGINEER_OWN = {
    A.CONTACT,
    A.TRIAGE,
    A.RESOLVE_BY_PHONE,
    A.CHECK_IN,
    A.REPAIR_RECORD,
    A.REQUEST_PARTS,
    A.LEAVE,
    A.COMPLETE,
    A.CONFIRM,
    A.QUOTE,
}
# What each state allows, whoever asks.
STATE_ACTIONS = {
    S.NEW: (A.CONTACT, A.DISPATCH, A.CANCEL),
    S.CONTACTED: (A.TRIAGE, A.DISPATCH, A.CANCEL, A.QUOTE),
    S.GUIDANCE: (A.RESOLVE_BY_PHONE, A.TRIAGE, A.DISPATCH, A.CANCEL, A.QUOTE),
    S.TO_DISPATCH: (A.DISPATCH, A.CANCEL, A.QUOTE),
    S.DISPATCHED: (A.CHECK_IN, A.REQUEST_PARTS, A.DISPATCH, A.CANCEL, A.QUOTE),
    S.ON_SITE: (A.REPAIR_RECORD, A.REQUEST_PARTS, A.LEAVE, A.COMPLETE, A.QUOTE),
    S.COMPLETED: (A.CONFIRM,),
    S.CONFIRMED: (A.FOLLOW_UP,),
    S.FOLLOWED_UP: (A.CLOSE,),
    S.CLOSED: (A.REOPEN,),
    S.CANCELLED: (),
}


def may_read(viewer) -> bool:
    return viewer.is_superuser or viewer.has_role(*READERS)


def request_scope(viewer) -> Q | None:
    """None: every request; else a filter on ServiceRequest."""
    if viewer.is_superuser or viewer.has_role(*ALL_REQUESTS):
        return None
    scope = Q(pk__in=[])
    if viewer.has_role(roles.CUSTOMER):
        customer = portal_customer(viewer)
        if customer is not None:
            scope |= Q(customer=customer)
    if viewer.has_role(roles.SERVICE_ENGINEER):
        scope |= Q(engineer=viewer) | Q(created_by=viewer)
    if viewer.has_role(roles.SALES_REP, roles.SALES_MANAGER):
        scope |= customer_scope(viewer, "customer__") or Q()
    return scope


def may_act(actor, action: str) -> bool:
    return actor.is_superuser or actor.has_role(*ACTION_ROLES[action])


def _is_dispatcher(actor) -> bool:
    return actor.is_superuser or actor.has_role(roles.SERVICE_MANAGER)


def may_act_on(actor, request, action: str) -> bool:
    """The role may do ``action`` and, for an engineer's own work, the job is theirs."""
    if not may_act(actor, action):
        return False
    if action in ENGINEER_OWN and not _is_dispatcher(actor):
        return request.engineer_id == actor.pk
    return True


def require_action(actor, action: str, request=None) -> None:
    """403 unless ``actor`` may do ``action`` (on ``request``, when there is one)."""
    if not may_act(actor, action):
        raise PermissionDenied(_("Your role may not %(action)s.") % {"action": A(action).label})
    if request is not None and not may_act_on(actor, request, action):
        raise PermissionDenied(_("This job is assigned to another engineer."))


def require_portal(actor, customer) -> None:
    """The customer's own login acting for its organisation in the portal (403 else)."""
    if not (actor.has_role(roles.CUSTOMER) and portal_customer(actor) == customer):
        raise PermissionDenied(_("Only the customer's own portal login may do this."))


# What the customer may do in the portal, by state.
PORTAL_ACTIONS = {S.COMPLETED: ("confirm",), S.CONFIRMED: ("survey",)}


def portal_actions_for(user, request) -> list[str]:
    if portal_customer(user) != request.customer:
        return []
    return list(PORTAL_ACTIONS.get(request.status, ()))


def possible_actions(request) -> list[str]:
    actions = [str(a) for a in STATE_ACTIONS.get(request.status, ())]
    if request.under_warranty and A.QUOTE in actions:
        actions.remove(A.QUOTE)  # work under warranty is not charged
    return actions


def actions_for(user, request) -> list[str]:
    """The actions ``user`` may take on ``request`` now (the request already in scope)."""
    return [a for a in possible_actions(request) if may_act_on(user, request, a)]
