"""Who sees quality records, and who may do what to them.

Seeing: quality, management and the service and sales managers see every feedback,
incident, adverse event and recall (they answer for them to the authority and the
customers). An engineer or a rep sees the feedback they recorded and the incidents
in which they own an action; customers see none of it. Traceability is for those
roles and the warehouse (which holds the stock).

Acting: quality runs the process: sends feedback to the manufacturer, contains and
analyses incidents, verifies and closes them with an e-signature, reports adverse
events and runs recalls. Anyone in service or sales records a product problem; the
service manager also opens incidents and reports suspected adverse events; an
action's owner marks it done; the managers record recall notices to their customers.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied

from .choices import (
    AE_TRANSITIONS,
    FEEDBACK_TRANSITIONS,
    INCIDENT_TRANSITIONS,
    RECALL_TRANSITIONS,
    AeStatus,
    FeedbackStatus,
    IncidentStatus,
    RecallStatus,
)
from .choices import QualityAction as A

QUALITY = (roles.QUALITY,)
SEES_ALL = (roles.QUALITY, roles.MANAGEMENT, roles.SERVICE_MANAGER, roles.SALES_MANAGER)
REPORTERS = (*SEES_ALL, roles.SERVICE_ENGINEER, roles.SALES_REP)
TRACERS = (*SEES_ALL, roles.WAREHOUSE_KEEPER)

ACTION_ROLES = {
    A.FEEDBACK_CREATE: REPORTERS,
    A.FEEDBACK_SEND: QUALITY,
    A.FEEDBACK_ANSWER: QUALITY,
    A.FEEDBACK_CLOSE: QUALITY,
    A.INCIDENT_CREATE: (roles.QUALITY, roles.MANAGEMENT, roles.SERVICE_MANAGER),
    A.CONTAIN: (roles.QUALITY, roles.SERVICE_MANAGER),
    A.ANALYSE: QUALITY,
    A.CAPA_ADD: QUALITY,
    # The owner marks their own action done (checked on the action).
    A.CAPA_DONE: (*REPORTERS, roles.WAREHOUSE_KEEPER),
    A.VERIFY: QUALITY,
    A.INCIDENT_CLOSE: QUALITY,
    A.AE_CREATE: (roles.QUALITY, roles.SERVICE_MANAGER, roles.MANAGEMENT),
    A.AE_NOTIFY: QUALITY,
    A.AE_SUBMIT: QUALITY,
    A.AE_CLOSE: QUALITY,
    A.RECALL_CREATE: QUALITY,
    A.RECALL_ACTIVATE: QUALITY,
    A.RECALL_NOTICE: (roles.QUALITY, roles.SALES_MANAGER, roles.SERVICE_MANAGER),
    A.RECALL_ACK: (roles.QUALITY, roles.SALES_MANAGER, roles.SERVICE_MANAGER),
    A.RECALL_ACTION: (roles.QUALITY, roles.SERVICE_MANAGER),
    A.RECALL_CLOSE: QUALITY,
    A.TRACE: TRACERS,
    A.EVALUATE: (roles.QUALITY, roles.MANAGEMENT, roles.SERVICE_MANAGER),
    A.EVALUATION_REVIEW: (roles.MANAGEMENT, roles.SERVICE_MANAGER),
    A.AUDIT_CREATE: (roles.QUALITY, roles.SERVICE_MANAGER),
    A.AUDIT_CHECK: (roles.QUALITY, roles.SERVICE_MANAGER),
    A.FINDING_ADD: (roles.QUALITY, roles.SERVICE_MANAGER),
    # The finding's owner marks it rectified (checked on the finding).
    A.FINDING_DONE: (roles.QUALITY, roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER),
    A.AUDIT_CLOSE: (roles.QUALITY, roles.SERVICE_MANAGER),
}
# Record audits: quality, the service manager and management see them; an engineer
# the findings they own.
AUDIT_READERS = (roles.QUALITY, roles.MANAGEMENT, roles.SERVICE_MANAGER)
# Evaluations: the service manager, management and quality see all; an engineer
# sees their own.
EVALUATION_READERS = (roles.QUALITY, roles.MANAGEMENT, roles.SERVICE_MANAGER)

# The actions each state allows (buttons, ``allowed_actions`` and the services).
FEEDBACK_STATE_ACTIONS = {
    FeedbackStatus.OPEN: (A.FEEDBACK_SEND, A.FEEDBACK_CLOSE),
    FeedbackStatus.SENT: (A.FEEDBACK_ANSWER,),
    FeedbackStatus.ANSWERED: (A.FEEDBACK_CLOSE,),
}
INCIDENT_STATE_ACTIONS = {
    IncidentStatus.OPEN: (A.CONTAIN,),
    IncidentStatus.CONTAINED: (A.ANALYSE,),
    IncidentStatus.ANALYSED: (A.CAPA_ADD, A.CAPA_DONE, A.ANALYSE),
    IncidentStatus.VERIFYING: (A.VERIFY, A.INCIDENT_CLOSE),
}
AE_STATE_ACTIONS = {
    AeStatus.DRAFT: (A.AE_NOTIFY, A.AE_SUBMIT, A.AE_CLOSE),
    AeStatus.SUBMITTED: (A.AE_NOTIFY, A.AE_CLOSE),
}
RECALL_STATE_ACTIONS = {
    RecallStatus.DRAFT: (A.RECALL_ACTIVATE,),
    RecallStatus.ACTIVE: (A.RECALL_NOTICE, A.RECALL_ACK, A.RECALL_ACTION, A.RECALL_CLOSE),
}
TRANSITIONS = {
    "feedback": FEEDBACK_TRANSITIONS,
    "incident": INCIDENT_TRANSITIONS,
    "ae": AE_TRANSITIONS,
    "recall": RECALL_TRANSITIONS,
}


def has(user, *codes) -> bool:
    return user.is_active and (user.is_superuser or user.has_role(*codes))


def sees_all(viewer) -> bool:
    return has(viewer, *SEES_ALL)


def may_read(viewer) -> bool:
    return has(viewer, *REPORTERS)


def may_act(actor, action: str) -> bool:
    return has(actor, *ACTION_ROLES[action])


def require_role(actor, action: str) -> None:
    """403 unless the role may ``action`` (before anything is read or validated)."""
    if not may_act(actor, action):
        raise PermissionDenied(_("Your role may not %(action)s.") % {"action": A(action).label})


def require_owner_or(actor, action: str, owner_id, *role_codes) -> None:
    """403 unless the role may ``action`` and the actor owns the record or holds one
    of ``role_codes`` (marking a CAPA action or a finding done)."""
    require_role(actor, action)
    if owner_id != actor.pk and not has(actor, *role_codes):
        raise PermissionDenied(_("Only its owner may report it done."))


def require_reader(viewer) -> None:
    if not may_read(viewer):
        raise PermissionDenied(_("Quality records are for quality, service, sales and management."))


def require_sees_all(viewer) -> None:
    if not sees_all(viewer):
        raise PermissionDenied(
            _("Adverse events and recalls are for quality, management and the managers.")
        )


def evaluation_scope(viewer) -> Q | None:
    if has(viewer, *EVALUATION_READERS):
        return None
    if has(viewer, roles.SERVICE_ENGINEER):
        return Q(engineer=viewer)
    raise PermissionDenied(_("Evaluations are for the service manager, management and quality."))


def feedback_scope(viewer) -> Q | None:
    """None: all feedback; else what the viewer recorded."""
    return None if sees_all(viewer) else Q(recorded_by=viewer)


def incident_scope(viewer) -> Q | None:
    """None: all incidents; else those in which the viewer owns an action."""
    if sees_all(viewer):
        return None
    return Q(actions__owner=viewer)


def possible(state_actions: dict, obj) -> list[str]:
    return [str(a) for a in state_actions.get(obj.status, ())]


def incident_actions_for(user, incident, actions=None) -> list[str]:
    """What ``user`` may do on ``incident`` now; marking an action done is the owner's
    (or quality's) and needs an open action."""
    result = []
    for action in possible(INCIDENT_STATE_ACTIONS, incident):
        if not may_act(user, action):
            continue
        if action == A.CAPA_DONE:
            open_ = [a for a in (actions or incident.actions.all()) if a.done_at is None]
            if not any(a.owner_id == user.pk or has(user, *QUALITY) for a in open_):
                continue
        result.append(action)
    return result


def actions_for(user, obj, state_actions: dict) -> list[str]:
    return [a for a in possible(state_actions, obj) if may_act(user, a)]
