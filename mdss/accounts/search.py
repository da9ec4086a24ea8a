"""People in the global search (core/search.py): by name, user name or employee
number, within the directory scope (managers their team, management and HR all)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.core.search import SearchHit, SearchProvider, list_url


def _may_search(user) -> bool:
    from mdss.core.permissions import is_staff_member

    from .permissions import can_use_directory

    return is_staff_member(user) and can_use_directory(user)


def _find(user, text: str, limit: int) -> list[SearchHit]:
    from .models import User
    from .permissions import user_directory_scope

    rows = (
        User.objects.filter(user_directory_scope(user))
        .filter(
            Q(full_name__icontains=text) | Q(username__icontains=text) | Q(employee_no__iexact=text)
        )
        .select_related("department")
        .order_by("-is_active", "full_name", "username")[:limit]
    )
    return [
        SearchHit(
            label=person.display_name,
            url=reverse("accounts:user_detail", args=[person.pk]),
            detail=" · ".join(
                part for part in (person.username, str(person.department or "")) if part
            ),
        )
        for person in rows
    ]


PROVIDERS = [
    SearchProvider(
        kind="people",
        title=_("People"),
        may_search=_may_search,
        find=_find,
        more_url=lambda text: list_url("accounts:user_list", text),
        order=40,
    )
]
