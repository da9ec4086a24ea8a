"""What other apps ask of SLA clocks, so that none of them reads the clock table.

- ``clocks_due(model, code, now)``: the records of ``model`` whose running clock
  ``code`` has run out (a safety-net sweep, e.g. contract problems).
- ``responsible_load(code)``: running clocks per responsible person (least-loaded
  assignment, e.g. legal review).
- ``on_breach(code, handler)``: ``handler(object_id, clock)`` runs after the sweep that
  marked a clock of ``code`` breached has committed; the app acts on its record (the
  contract problem escalates to management). Apps register in ``AppConfig.ready``.

A test forbids imports of ``calendars.models`` outside this app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from .choices import ClockStatus
from .models import SlaClock

_handlers: dict[str, list[Callable]] = {}


def on_breach(code: str, handler: Callable) -> None:
    """Register ``handler(object_id: int, clock)`` for breaches of ``code``; idempotent."""
    registered = _handlers.setdefault(code, [])
    if handler not in registered:
        registered.append(handler)


def breach_handlers(code: str) -> list[Callable]:
    return list(_handlers.get(code, ()))


def clocks_due(model, code: str, now: datetime) -> list[tuple[int, object]]:
    """(record id, clock) for every running clock ``code`` of ``model`` due by ``now``."""
    rows = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        code=code,
        status=ClockStatus.RUNNING,
        due_at__lte=now,
    ).select_related("target")
    return [(int(clock.object_id), clock) for clock in rows.order_by("due_at", "pk")]


def responsible_load(code: str) -> dict[int, int]:
    """{user id: running clocks of ``code`` they answer for}."""
    return dict(
        SlaClock.objects.filter(code=code, status=ClockStatus.RUNNING)
        .exclude(responsible=None)
        .values("responsible")
        .annotate(n=Count("pk"))
        .values_list("responsible", "n")
    )
