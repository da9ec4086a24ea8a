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
