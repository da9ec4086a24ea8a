"""Customers in the global search (core/search.py): by name or credit code, within
the viewer's customer scope (a rep their own, a manager the team's)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.core.search import SearchHit, SearchProvider, list_url


def _may_search(user) -> bool:
    return user.has_perm("customers.view_customer")


def _find(user, text: str, limit: int) -> list[SearchHit]:
    from .selectors import customer_list_for_user, customer_table

    rows = customer_table(
        customer_list_for_user(user).filter(Q(name__icontains=text) | Q(credit_code=text.upper()))
    ).order_by("name", "pk")[:limit]
    return [
        SearchHit(
            label=c.name,
            url=reverse("customers:detail", args=[c.pk]),
            detail=f"{c.get_kind_display()} · {c.region}" if c.region_id else c.get_kind_display(),
        )
        for c in rows
    ]


PROVIDERS = [
    SearchProvider(
        kind="customers",
        title=_("Customers"),
        may_search=_may_search,
        find=_find,
        more_url=lambda text: list_url("customers:list", text),
        order=10,
    )
]
