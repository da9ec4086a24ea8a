"""Figures kept until the facts change: the fact tables change only when the refresh
runs (hourly), so a page's figures for the same viewer's scope, filters and language
are the same until then. The key holds the refresh's time, so the first view after a
refresh computes them anew; nothing is ever invalidated by hand.

Permission checks run before the cache is asked (a cached figure is never a way
round them), and the key holds the scope itself (the reps whose figures a sales
manager sees), not the viewer, so a change of team is seen at once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language

from .filters import Filters
from .models import RefreshState, RegionDecision

TIMEOUT = 2 * 3600


def _scope(viewer, area: str):
    if area != "sales":
        return "all"
    from .permissions import sales_rep_ids

    reps = sales_rep_ids(viewer)
    return "all" if reps is None else reps


def figures(viewer, area: str, page: str, f: Filters, compute: Callable[[], dict], extra=()):
    """``compute()`` once per refresh for this scope, page, filters and language."""
    stamp = RefreshState.objects.filter(name="facts").values_list("refreshed_at", flat=True).first()
    parts = [page, _scope(viewer, area), f.query(), list(extra), get_language(), str(stamp)]
    if page == "bridge":
        parts.append(RegionDecision.objects.order_by("-pk").values_list("pk", flat=True).first())
    key = "analytics:" + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


# Each page's figures, cached: the pages, the overview and the API ask the same.


def sales_figures(viewer, f: Filters) -> dict:
    from .selectors import sales_page

    return figures(viewer, "sales", "sales", f, lambda: sales_page(viewer, f))


def bridge_figures(viewer, f: Filters, base, current) -> dict:
    from .bridge import bridge

    return figures(
        viewer, "sales", "bridge", f, lambda: bridge(viewer, f, base, current),
        extra=(base.start, base.end, current.start, current.end),
    )  # fmt: skip


def service_figures(viewer, f: Filters) -> dict:
    from .selectors import service_page

    return figures(viewer, "service", "service", f, lambda: service_page(viewer, f))


def resource_figures(viewer, f: Filters, today) -> dict:
    from .selectors import part_demand, resources

    return figures(
        viewer, "resources", "resources", f,
        lambda: {"rows": resources(viewer, f, today), "parts": part_demand(viewer, f)},
        extra=(today,),
    )  # fmt: skip


def warm(today) -> bool:
    """After a refresh, compute what management's overview shows by default (the
    sales, bridge, service and resources figures of everyone, for the default period,
    in the default language), so the first person to open it after the hourly refresh
    does not wait for them. Any viewer who sees every figure computes the same (the
    key holds the scope, not the viewer). False when nobody sees every figure."""
    from django.conf import settings
    from django.db.models import Q
    from django.utils import translation

    from mdss.accounts import roles
    from mdss.accounts.models import User

    from .filters import AnalyticsFilterForm, build
    from .forms import BridgeForm

    viewer = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=roles.MANAGEMENT))
        .order_by("pk")
        .first()
    )
    if viewer is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        f = build(AnalyticsFilterForm(None, viewer=viewer).values(), today)
        base, current = BridgeForm(None, today=today).periods()
        sales_figures(viewer, f)
        bridge_figures(viewer, f, base, current)
        service_figures(viewer, f)
        resource_figures(viewer, f, today)
    return True
