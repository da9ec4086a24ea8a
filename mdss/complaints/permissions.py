"""Who sees complaints, and who may do what to them.

Seeing: quality and management see every complaint (quality owns the process,
management decides on major ones). Anyone else sees the complaints they handle, sit
on the team of, or recorded; sales staff those of the customers they may see; the
service manager those about service; a customer (portal) its organisation's. The
person complained about never sees the case through these rules (A15: fair
handling), and may not act on it whatever their role.

Acting: quality and management act on any complaint; the service or sales manager
who handles one acts on it as its handler. Forming the special team, resolving a
major complaint and closing the hand-over to quality are quality's and
management's; closing a major complaint needs quality's e-signature (services).
``actions_for`` combines role, ownership and state and drives every button and the
API's ``allowed_actions``.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied
from mdss.customers.permissions import customer_scope
from mdss.customers.portal import portal_customer

from .choices import Category, Concerns, Severity
from .choices import ComplaintAction as A
from .choices import ComplaintStatus as S

ALL_COMPLAINTS = (roles.QUALITY, roles.MANAGEMENT)
HANDLERS = (roles.QUALITY, roles.MANAGEMENT, roles.SERVICE_MANAGER, roles.SALES_MANAGER)
READERS = (*HANDLERS, roles.SALES_REP, roles.SERVICE_ENGINEER)

ACTION_ROLES = {
    A.CREATE: READERS,
    A.ASSIGN: ALL_COMPLAINTS,
    A.CONTACT: HANDLERS,
    A.CLASSIFY: HANDLERS,
    A.ANSWER: HANDLERS,
    A.FORM_TEAM: ALL_COMPLAINTS,
    A.RESOLVE: ALL_COMPLAINTS,
    A.FEEDBACK: HANDLERS,
    A.CLOSE: HANDLERS,
    A.REOPEN: HANDLERS,
    A.ASSESS: HANDLERS,
    A.NOTIFY_MANUFACTURER: HANDLERS,
    A.HANDOVER_CLOSE: (roles.QUALITY,),
    A.NOTE: READERS,
    A.TASK: READERS,
}
# A service or sales manager does these only on the complaints they handle.
HANDLER_OWN = {
    A.CONTACT,
    A.CLASSIFY,
    A.ANSWER,
    A.FEEDBACK,
    A.CLOSE,
    A.REOPEN,
    A.ASSESS,
    A.NOTIFY_MANUFACTURER,
}
# Working in the team's workspace: the handler, the team and quality/management.
WORKSPACE = {A.NOTE, A.TASK}
# Recorded at any time while the complaint is open (they keep the state).
ANYTIME = (A.ASSIGN, A.ASSESS, A.NOTE, A.TASK)
STATE_ACTIONS = {
    S.NEW: (A.CONTACT, A.CLASSIFY, *ANYTIME),
    S.CONTACTED: (A.CLASSIFY, A.ANSWER, A.FORM_TEAM, *ANYTIME, A.NOTIFY_MANUFACTURER),
    S.INVESTIGATING: (A.RESOLVE, *ANYTIME, A.NOTIFY_MANUFACTURER),
    S.RESOLVED: (A.FEEDBACK, *ANYTIME, A.NOTIFY_MANUFACTURER),
    S.FED_BACK: (A.CLOSE, *ANYTIME, A.NOTIFY_MANUFACTURER),
    S.CLOSED: (A.REOPEN,),
}
PRODUCT_RELATED = Q(concerns=Concerns.PRODUCT) | Q(category=Category.PRODUCT_QUALITY)


def is_product_related(complaint) -> bool:
    return complaint.concerns == Concerns.PRODUCT or complaint.category == Category.PRODUCT_QUALITY


def sees_all(viewer) -> bool:
    return viewer.is_superuser or viewer.has_role(*ALL_COMPLAINTS)


def may_read(viewer) -> bool:
    return viewer.is_superuser or viewer.has_role(*READERS)


def complaint_scope(viewer) -> Q | None:
    """None: every complaint; else a filter on Complaint."""
    if sees_all(viewer):
        return None
    from .models import TeamMember

    on_team = TeamMember.objects.filter(user=viewer).values("complaint_id")
    scope = Q(handler=viewer) | Q(pk__in=on_team) | Q(created_by=viewer)
    if viewer.has_role(roles.CUSTOMER):
        customer = portal_customer(viewer)
        if customer is not None:
            scope |= Q(customer=customer)
    if viewer.has_role(roles.SALES_REP, roles.SALES_MANAGER):
        customers = customer_scope(viewer, "customer__")
        scope |= customers if customers is not None else Q(customer__isnull=False)
    if viewer.has_role(roles.SERVICE_MANAGER):
        scope |= Q(category=Category.SERVICE) | Q(concerns=Concerns.SERVICE)
    return scope & ~Q(person=viewer)


def may_act(actor, action: str) -> bool:
    return actor.is_superuser or actor.has_role(*ACTION_ROLES[action])


def may_act_on(actor, complaint, action: str) -> bool:
    """The role may do ``action``, the actor is not the person complained about, and
    a manager acts only on the complaints they handle (the workspace: on their team)."""
    if not may_act(actor, action) or complaint.person_id == actor.pk:
        return False
    if sees_all(actor) or complaint.handler_id == actor.pk:
        return True
    if action in WORKSPACE:
        return any(m.user_id == actor.pk for m in complaint.team.all())
    return action not in HANDLER_OWN


def require_action(actor, action: str, complaint=None) -> None:
    """403 unless ``actor`` may do ``action`` (on ``complaint``, when there is one)."""
    if not may_act(actor, action):
        raise PermissionDenied(_("Your role may not %(action)s.") % {"action": A(action).label})
    if complaint is None:
        return
    if complaint.person_id == actor.pk:
        raise PermissionDenied(_("You are the person complained about: others handle this."))
    if not may_act_on(actor, complaint, action):
        raise PermissionDenied(_("This complaint is handled by someone else."))


def require_portal(actor, customer) -> None:
    """The customer's own login acting for its organisation in the portal (403 else)."""
    if not (actor.has_role(roles.CUSTOMER) and customer and portal_customer(actor) == customer):
        raise PermissionDenied(_("Only the customer's own portal login may do this."))


def possible_actions(complaint) -> list[str]:
    """What the complaint's state (and severity, team, assessment) allows now."""
    actions = [str(a) for a in STATE_ACTIONS.get(complaint.status, ())]
    if complaint.severity != Severity.GENERAL and A.ANSWER in actions:
        actions.remove(A.ANSWER)  # a major or unclassified complaint is not answered
    if complaint.severity != Severity.MAJOR and A.FORM_TEAM in actions:
        actions.remove(A.FORM_TEAM)
    if not complaint.reportable and A.NOTIFY_MANUFACTURER in actions:
        actions.remove(A.NOTIFY_MANUFACTURER)
    if complaint.handover_open:
        actions.append(str(A.HANDOVER_CLOSE))
    return actions


def actions_for(user, complaint) -> list[str]:
    """The actions ``user`` may take on ``complaint`` now (the complaint in scope)."""
    return [a for a in possible_actions(complaint) if may_act_on(user, complaint, a)]


# What the customer may do in the portal: rate the result fed back to it.
def portal_actions_for(user, complaint) -> list[str]:
    if complaint.customer_id is None or portal_customer(user) != complaint.customer:
        return []
    return ["rate"] if complaint.status == S.RESOLVED else []
