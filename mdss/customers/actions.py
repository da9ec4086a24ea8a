"""What can be done to customer feedback, and by whom.

Each action names the permission of ``permissions.ACTION_ROLES`` it needs and the
status it moves to (possible where ``choices.FEEDBACK_TRANSITIONS`` allows it). The
feedback page renders its buttons from ``feedback_actions_for``, the API returns it
as ``allowed_actions``; each action has its own POST endpoint calling one service,
which checks the same rules again. (Customers, plans, campaigns and leads have no
status workflow: their pages keep their edit links.)
"""

from django.utils.translation import gettext_lazy as _

from mdss.core.actions import Action, Actions

from .choices import FEEDBACK_TRANSITIONS, FeedbackStatus
from .permissions import may_act

FEEDBACK_ACTIONS = Actions(
    Action("act", _("Acted on"), "act_on_feedback", to=FeedbackStatus.ACTED_ON),
    Action("close", _("Close"), "decide_feedback", to=FeedbackStatus.CLOSED),
    transitions=FEEDBACK_TRANSITIONS,
    may_act=may_act,
)


def feedback_actions_for(user, feedback) -> list[str]:
    return FEEDBACK_ACTIONS.for_user(user, feedback)
