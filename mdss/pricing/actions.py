"""What can be done to a price-list change or a price-adjustment request, and by whom.

Each action names the permission of ``permissions.ACTION_ROLES`` it needs and the
status it moves to (possible where the transition map of ``choices`` allows it).
Both workflows also depend on who the user is to the record (the drafter submits,
nobody decides their own request, the superior decides first), which
``*_actions_for`` adds. The detail pages render their buttons from it, the API
returns it as ``allowed_actions``; each action has its own POST endpoint calling one
service, which checks the same rules again.
"""

from django.utils.translation import gettext_lazy as _

from mdss.core.actions import Action, Actions
from mdss.core.dates import local_today

from .choices import ADJUSTMENT_TRANSITIONS, CHANGE_TRANSITIONS, AdjustmentStatus, ChangeStatus
from .permissions import decides_adjustment_step, may_act


def _not_expired(adjustment) -> bool:
    return adjustment.valid_until >= local_today()


CHANGE_ACTIONS = Actions(
    Action("submit", _("Submit to management"), "propose", to=ChangeStatus.SUBMITTED),
    Action("approve", _("Sign and approve"), "approve_prices", to=ChangeStatus.APPROVED),
    Action("reject", _("Reject"), "approve_prices", to=ChangeStatus.REJECTED),
    transitions=CHANGE_TRANSITIONS,
    may_act=may_act,
)

ADJUSTMENT_ACTIONS = Actions(
    Action("submit", _("Submit to the superior"), "request", to=AdjustmentStatus.SUBMITTED),
    Action(
        "approve",
        _("Sign and approve"),
        "decide_adjustment",
        to=AdjustmentStatus.APPROVED,
        when=_not_expired,
    ),
    Action(
        "reject",
        _("Reject"),
        "decide_adjustment",
        to=AdjustmentStatus.REJECTED,
        when=_not_expired,
    ),
    transitions=ADJUSTMENT_TRANSITIONS,
    may_act=may_act,
)


def change_actions_for(user, change) -> list[str]:
    # The drafter submits; nobody approves or rejects their own change.
    own = change.requested_by_id == user.pk
    return [a for a in CHANGE_ACTIONS.for_user(user, change) if (a == "submit") == own]


def adjustment_actions_for(user, adjustment) -> list[str]:
    own = adjustment.requested_by_id == user.pk
    return [
        a
        for a in ADJUSTMENT_ACTIONS.for_user(user, adjustment)
        if (own if a == "submit" else decides_adjustment_step(user, adjustment))
    ]
