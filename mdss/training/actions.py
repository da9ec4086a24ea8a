"""What can be done to a training session, an assessment, a retraining or an
external-training request, and by whom.

Each action names the permission of ``permissions.ACTION_ROLES`` it needs and either
the status it moves to (possible where the transition map of ``choices`` allows it)
or the statuses it works in. Who the user is to the record (the person's manager,
the requester, the requester's superior) is added by ``*_actions_for``. The detail
pages render their buttons from it, the API returns it as ``allowed_actions``; each
action has its own POST endpoint calling one service, which checks the same rules.
"""

from django.utils.translation import gettext_lazy as _

from mdss.core.actions import Action, Actions

from .choices import (
    ASSESSMENT_TRANSITIONS,
    EXTERNAL_TRANSITIONS,
    RETRAINING_TRANSITIONS,
    SESSION_TRANSITIONS,
    AssessmentStatus,
    ExternalStatus,
    RetrainingStatus,
    SessionStatus,
)
from .permissions import decides_external, may_act, may_keep_for

SESSION_ACTIONS = Actions(
    Action("edit", _("Edit"), "keep", sources=frozenset({SessionStatus.PLANNED})),
    Action("hold", _("Held"), "keep", to=SessionStatus.HELD),
    Action("cancel", _("Cancel the session"), "keep", to=SessionStatus.CANCELLED),
    transitions=SESSION_TRANSITIONS,
    may_act=may_act,
)

ASSESSMENT_ACTIONS = Actions(
    # The score decides between passed and failed; both follow a scheduled one.
    Action("record", _("Record the result"), "keep", to=AssessmentStatus.PASSED),
    transitions=ASSESSMENT_TRANSITIONS,
    may_act=may_act,
)

RETRAINING_ACTIONS = Actions(
    Action("complete", _("Record the retraining"), "keep", to=RetrainingStatus.COMPLETED),
    transitions=RETRAINING_TRANSITIONS,
    may_act=may_act,
)

EXTERNAL_ACTIONS = Actions(
    Action("approve", _("Approve"), "decide_external", to=ExternalStatus.APPROVED),
    Action("reject", _("Reject"), "decide_external", to=ExternalStatus.REJECTED),
    Action("attended", _("I attended"), "request", to=ExternalStatus.ATTENDED),
    Action("reimburse", _("Record the reimbursement"), "reimburse", to=ExternalStatus.REIMBURSED),
    transitions=EXTERNAL_TRANSITIONS,
    may_act=may_act,
)


def session_actions_for(user, session) -> list[str]:
    return SESSION_ACTIONS.for_user(user, session)


def assessment_actions_for(user, assessment) -> list[str]:
    allowed = ASSESSMENT_ACTIONS.for_user(user, assessment)
    return allowed if allowed and may_keep_for(user, assessment.user) else []


def retraining_actions_for(user, retraining) -> list[str]:
    allowed = RETRAINING_ACTIONS.for_user(user, retraining)
    return allowed if allowed and may_keep_for(user, retraining.user) else []


def external_actions_for(user, request) -> list[str]:
    def concerns(action: str) -> bool:
        if action in ("approve", "reject"):
            return decides_external(user, request)
        if action == "attended":
            return request.requester_id == user.pk
        return True

    return [a for a in EXTERNAL_ACTIONS.for_user(user, request) if concerns(a)]
