"""Who may open which door: the declared table the permission matrix test checks.

Each page (by URL name) and each API operation ("METHOD /path") names the callers who
get through (``ok``) and those who do not even see the record (``hidden``: 404);
every other logged-in caller is refused (403) and the anonymous one is sent to log in
(302 for pages, 401 for the API). Callers are those of ``permission_world.CALLERS``.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL = frozenset(
    {
        "admin",
        "management",
        "sales_manager",
        "rep",
        "other_rep",
        "legal",
        "service_manager",
        "engineer",
        "warehouse",
        "quality",
        "trainer",
        "customer",
    }
)
STAFF = ALL - {"customer"}


@dataclass(frozen=True)
class Rule:
    ok: frozenset = frozenset()
    hidden: frozenset = frozenset()
    methods: tuple = ("GET",)

    def expect(self, caller: str) -> str:
        if caller == "anonymous":
            return "login"
        if caller in self.ok:
            return "ok"
        if caller in self.hidden:
            return "hidden"
        return "forbidden"


def rule(ok=(), hidden=(), methods=("GET",)) -> Rule:
    return Rule(frozenset(ok), frozenset(hidden), tuple(methods))


# Public doors, and log-out (any session may end itself; it would end the matrix's).
PUBLIC_PAGES = {"accounts:login", "set_language", "healthz", "accounts:logout"}

PAGES: dict[str, Rule] = {}

API: dict[str, Rule] = {}

# Path arguments that are not the plain record of the world (e.g. an action name).
API_ARGS: dict[str, dict[str, str]] = {
    "/api/v1/customers/feedback/{feedback_id}/{action}": {"action": "act"},
}
