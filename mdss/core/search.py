"""Global search (issue 15): one box in the top bar finds customers, contracts,
devices, people and products, each kind within what the user may see.

core knows no business table: each app contributes providers in its own
``search.py`` module, a ``PROVIDERS`` list found through the app registry
(``discovery.app_modules("search")``), so a new app plugs in without editing core
or its ``apps.py``. A provider

- says whether the user may search its kind at all (``may_search``: the permission
  of the kind's pages; a kind the user may not open is not shown, not even empty),
- answers ``find(user, text, limit)`` with at most ``limit`` hits from the app's own
  scope selectors, in one query (two at most), so a search costs a fixed number of
  queries whatever the data (tests assert it),
- names the kind's list filtered by the text (``more_url``) where it has one.

The text is stripped and cut to ``MAX_LENGTH`` characters; an empty text finds
nothing without asking the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.utils.functional import Promise

MAX_LENGTH = 100
DROPDOWN_LIMIT = 5  # hits per kind in the top bar's dropdown
PAGE_LIMIT = 20  # hits per kind on the search page and in the API


@dataclass(frozen=True)
class SearchHit:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchProvider:
    kind: str  # machine-readable: customers, contracts, devices, people, products
    title: str | Promise
    may_search: Callable[[object], bool]
    find: Callable[[object, str, int], list[SearchHit]]
    more_url: Callable[[str], str] | None = None  # the kind's list filtered by the text
    order: int = 100


@dataclass
class SearchGroup:
    kind: str
    title: str
    hits: list[SearchHit] = field(default_factory=list)
    more_url: str = ""  # set when there are more hits than shown and a list to show them


def clean_query(raw) -> str:
    """The text to search for: stripped, at most MAX_LENGTH characters, "" for junk."""
    if not isinstance(raw, str):
        return ""
    return raw.strip()[:MAX_LENGTH].strip()


@cache
def providers() -> tuple[SearchProvider, ...]:
    from .discovery import app_modules

    found = [p for module in app_modules("search") for p in getattr(module, "PROVIDERS", ())]
    return tuple(sorted(found, key=lambda p: (p.order, p.kind)))


def providers_for(user) -> list[SearchProvider]:
    """The kinds ``user`` may search (none for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [p for p in providers() if p.may_search(user)]


def search(user, raw, *, limit: int = PAGE_LIMIT) -> list[SearchGroup]:
    """The groups with at least one hit, in the providers' order; each kind asks for
    one row more than it shows, to know whether to offer its "more" link."""
    text = clean_query(raw)
    if not text:
        return []
    groups = []
    for provider in providers_for(user):
        hits = list(provider.find(user, text, limit + 1))
        if not hits:
            continue
        more = len(hits) > limit and provider.more_url is not None
        groups.append(
            SearchGroup(
                kind=provider.kind,
                title=str(provider.title),
                hits=hits[:limit],
                more_url=provider.more_url(text) if more else "",
            )
        )
    return groups


def list_url(name: str, text: str, param: str = "q") -> str:
    """``name``'s list page filtered by ``text`` (a "more" link)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse(name)}?{urlencode({param: text})}"
