"""Which actions a user may start on a record, derived from the rules once.

An app declares its actions against its transition map (``{status: {next, …}}``) and
its action permissions (``may_act(user, permission)``); pages render their buttons
from ``actions_for(user, obj)`` and API detail responses return it as
``allowed_actions``, so no template or view repeats a ``status ==`` rule. The
services still check everything themselves: this answers "show the button?", the
service answers "may it happen?", and both read the same map.

    CONTRACT_ACTIONS = Actions(
        Action("submit", _("Submit for review"), "draft", to=ContractStatus.IN_REVIEW),
        Action("pay", _("Record a payment"), "perform", sources={SIGNED, IN_PERFORMANCE}),
        transitions=CONTRACT_TRANSITIONS,
        may_act=may_act,
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    name: str
    label: Any  # a lazy translation
    permission: str  # a key of the app's action permissions
    to: str | None = None  # the status it moves to: possible where the map allows it
    sources: frozenset[str] | None = None  # or: the statuses it works in (no move)
    when: Callable[[Any], bool] | None = None  # a further condition on the record

    def possible(self, obj, transitions: dict) -> bool:
        status = obj.status
        if self.to is not None and self.to not in transitions.get(status, ()):
            return False
        if self.sources is not None and status not in self.sources:
            return False
        return self.when is None or bool(self.when(obj))


class Actions:
    def __init__(
        self, *actions: Action, transitions: dict, may_act: Callable[[Any, str], bool]
    ) -> None:
        self.by_name = {a.name: a for a in actions}
        self.transitions = transitions
        self.may_act = may_act

    def __iter__(self) -> Iterable[Action]:
        return iter(self.by_name.values())

    def __getitem__(self, name: str) -> Action:
        return self.by_name[name]

    def possible(self, obj) -> list[str]:
        """What the record's state allows, whoever asks."""
        return [a.name for a in self if a.possible(obj, self.transitions)]

    def for_user(self, user, obj) -> list[str]:
        """What ``user`` may start on ``obj`` now (``obj`` already in their scope)."""
        granted: dict[str, bool] = {}
        allowed = []
        for action in self:
            if action.permission not in granted:
                granted[action.permission] = self.may_act(user, action.permission)
            if granted[action.permission] and action.possible(obj, self.transitions):
                allowed.append(action.name)
        return allowed
