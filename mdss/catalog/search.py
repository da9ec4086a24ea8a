"""Products in the global search (core/search.py): models/specifications by code,
product or trade name, or a scanned UDI-DI; every member of staff sees the catalog."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.core.search import SearchHit, SearchProvider, list_url


def _may_search(user) -> bool:
    from mdss.core.permissions import is_staff_member

    return is_staff_member(user) and user.has_perm("catalog.view_productmodel")


def _find(user, text: str, limit: int) -> list[SearchHit]:
    from .selectors import model_list

    return [
        SearchHit(
            label=f"{m.product.name} {m.code}",
            url=reverse("catalog:model_detail", args=[m.pk]),
            detail=m.product.manufacturer.name,
        )
        for m in model_list(search=text)[:limit]
    ]


PROVIDERS = [
    SearchProvider(
        kind="products",
        title=_("Products"),
        may_search=_may_search,
        find=_find,
        more_url=lambda text: list_url("catalog:model_list", text),
        order=50,
    )
]
