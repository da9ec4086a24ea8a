"""What can be done to a contract, an amendment or a problem, and by whom.

Each action names the permission of ``permissions.ACTION_ROLES`` it needs and either
the status it moves to (possible where the transition map of ``choices`` allows it)
or the statuses it works in. The detail pages render their buttons from
``actions_for`` and the API returns it as ``allowed_actions``; each action has its
own POST endpoint calling one service, which checks the same rules again.
"""

from django.utils.translation import gettext_lazy as _

from mdss.core.actions import Action, Actions

from .choices import (
    AMENDABLE,
    AMENDMENT_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    DELIVERABLE,
    EDITABLE,
    OPEN_AMENDMENT,
    PAYABLE,
    PROBLEM_RAISABLE,
    PROBLEM_TRANSITIONS,
    RECEIPTABLE,
    AmendmentStatus,
    ContractStatus,
    ProblemStatus,
)
from .permissions import may_act


def _no_open_amendment(contract) -> bool:
    # One amendment at a time; a selector may have counted them already.
    known = getattr(contract, "open_amendments", None)
    if known is not None:
        return not known
    return not contract.amendments.filter(status__in=OPEN_AMENDMENT).exists()


CONTRACT_ACTIONS = Actions(
    Action("edit", _("Edit the terms, products and annexes"), "draft", sources=EDITABLE),
    Action("submit", _("Submit for review"), "draft", to=ContractStatus.IN_REVIEW),
    Action("approve", _("Approve"), "review", to=ContractStatus.APPROVED),
    Action(
        "return",
        _("Return with comments"),
        "review",
        to=ContractStatus.DRAFT,
        # Legal returns what it reviews; the draft itself is not "returned".
        sources=frozenset({ContractStatus.IN_REVIEW, ContractStatus.APPROVED}),
    ),
    Action("sign", _("Record the signature"), "sign", to=ContractStatus.SIGNED),
    Action("deliver", _("Record a delivery"), "deliver", sources=DELIVERABLE),
    Action("confirm_receipt", _("Confirm receipt"), "perform", sources=RECEIPTABLE),
    Action("pay", _("Record a payment"), "perform", sources=PAYABLE),
    Action("raise_problem", _("Record a problem"), "problem", sources=PROBLEM_RAISABLE),
    Action(
        "amend",
        _("Propose an amendment"),
        "amend",
        sources=frozenset(AMENDABLE),
        when=_no_open_amendment,
    ),
    Action("cancel", _("Cancel the contract"), "draft", to=ContractStatus.CANCELLED),
    Action("terminate", _("Terminate the contract"), "terminate", to=ContractStatus.TERMINATED),
    transitions=CONTRACT_TRANSITIONS,
    may_act=may_act,
)

AMENDMENT_ACTIONS = Actions(
    Action("edit", _("Edit"), "amend", sources=frozenset({AmendmentStatus.DRAFT})),
    Action("submit", _("Submit for review"), "amend", to=AmendmentStatus.IN_REVIEW),
    Action("approve", _("Approve"), "review", to=AmendmentStatus.APPROVED),
    Action(
        "return",
        _("Return with comments"),
        "review",
        to=AmendmentStatus.DRAFT,
        sources=frozenset({AmendmentStatus.IN_REVIEW, AmendmentStatus.APPROVED}),
    ),
    Action("sign", _("Record the signature"), "sign", to=AmendmentStatus.EFFECTIVE),
    Action("withdraw", _("Withdraw the amendment"), "amend", to=AmendmentStatus.WITHDRAWN),
    transitions=AMENDMENT_TRANSITIONS,
    may_act=may_act,
)

PROBLEM_ACTIONS = Actions(
    Action("note", _("Add a note"), "problem", sources=frozenset({ProblemStatus.OPEN})),
    Action("resolve", _("Resolved"), "problem", to=ProblemStatus.RESOLVED),
    Action("escalate", _("Escalate to management"), "problem", to=ProblemStatus.ESCALATED),
    Action("decide", _("Decide"), "decide", to=ProblemStatus.DECIDED),
    transitions=PROBLEM_TRANSITIONS,
    may_act=may_act,
)


def contract_actions_for(user, contract) -> list[str]:
    return CONTRACT_ACTIONS.for_user(user, contract)


def amendment_actions_for(user, amendment) -> list[str]:
    return AMENDMENT_ACTIONS.for_user(user, amendment)


def problem_actions_for(user, problem) -> list[str]:
    return PROBLEM_ACTIONS.for_user(user, problem)


def may_set_plan(user, contract, has_plan: bool) -> bool:
    """The payment plan's page and link (not an action of the API's ``allowed_actions``:
    the API sets it with ``PUT …/instalments``): a draft's plan is part of the terms;
    a signed contract without one may get one, once (``services.instalments_set``)."""
    if not may_act(user, "draft"):
        return False
    if contract.status in EDITABLE:
        return True
    return contract.status in PAYABLE and not has_plan
