"""Contracts in the global search (core/search.py): by number, within the viewer's
contract scope (reps their own, managers the team's, legal and management all)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.core.search import SearchHit, SearchProvider, list_url


def _may_search(user) -> bool:
    return user.has_perm("contracts.view_contract")


def _find(user, text: str, limit: int) -> list[SearchHit]:
    from .selectors import contract_list_for_user

    rows = (
        contract_list_for_user(user)
        .filter(number__icontains=text)
        .only("number", "status", "customer__name", "rep__full_name")
        .order_by("-number")[:limit]
    )
    return [
        SearchHit(
            label=c.number,
            url=reverse("contracts:detail", args=[c.pk]),
            detail=f"{c.customer.name} · {c.get_status_display()}",
        )
        for c in rows
    ]


PROVIDERS = [
    SearchProvider(
        kind="contracts",
        title=_("Contracts"),
        may_search=_may_search,
        find=_find,
        more_url=lambda text: list_url("contracts:ledger", text),
        order=20,
    )
]
