"""The sidebar: each app registers its pages with the permission they need.

A user sees a link only if they may open the page, so the sidebar is the user's
role made visible; a user with no role sees no business pages at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    section: str | Promise
    label: str | Promise
    url_name: str
    icon: str  # Bootstrap Icons name, without "bi-"
    permission: str | None = None  # "app_label.codename"
    roles: tuple[str, ...] = ()  # any of these role codes
    needs_role: bool = True  # False: shown to every logged-in user (profile)
    staff_only: bool = False
    order: int = 100
    extra_active_prefixes: tuple[str, ...] = field(default_factory=tuple)
    # A last say, for everyone (superusers too): e.g. the portal only for customers
    # who hold a portal account.
    visible: Callable | None = None


_REGISTRY: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _REGISTRY:
            _REGISTRY.append(item)


def user_may_see(user, item: NavItem) -> bool:
    if not user.is_authenticated:
        return False
    if item.visible is not None and not item.visible(user):
        return False
    if user.is_superuser:
        return True
    if item.staff_only and not user.is_staff:
        return False
    # Business pages are for staff roles; customer pages name the customer role in ``roles``.
    if item.needs_role and not item.roles and not (user.role_codes - {"customer"}):
        return False
    if item.roles and not user.has_role(*item.roles):
        return False
    return not (item.permission and not user.has_perm(item.permission))


def nav_for_user(user, current_path: str) -> list[dict]:
    """Sections with their visible items, in order; the best-matching item is active
    (the longest URL that prefixes the path, so /pricing/changes/ does not also light
    up /pricing/)."""
    sections: dict[str, list[dict]] = {}
    best: dict | None = None
    for item in sorted(_REGISTRY, key=lambda i: i.order):
        if not user_may_see(user, item):
            continue
        url = reverse(item.url_name)
        entry = {"label": item.label, "url": url, "icon": item.icon, "active": False}
        matches = (
            current_path == url
            or (url != "/" and current_path.startswith(url))
            or any(current_path.startswith(p) for p in item.extra_active_prefixes)
        )
        if matches and (best is None or len(url) > len(best["url"])):
            best = entry
        sections.setdefault(str(item.section), []).append(entry)
    if best is not None:
        best["active"] = True
    return [{"title": title, "items": items} for title, items in sections.items()]
