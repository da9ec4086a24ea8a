"""Expiry warnings shared by every app that keeps dated documents (certificates,
licences, qualifications, authorisations).

``warn_once_per_threshold`` is the daily sweep: each row whose expiry date reached a
new, tighter threshold (e.g. 90, 30, 7 days before) is claimed with a conditional
update of its ``warned_days`` (so two workers never warn twice), audited, and
handed to the app's ``warn`` callback, which says whom to tell and how. The row's
model needs a nullable ``warned_days`` field, reset to None when the date changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db import transaction


def warning_level(days_left: int, thresholds) -> int | None:
    """The tightest threshold (e.g. 90, 30, 7 days) that ``days_left`` has reached;
    a sweep warns once per level by remembering the last level announced."""
    reached = [d for d in thresholds if days_left <= d]
    return min(reached) if reached else None


def warn_once_per_threshold(
    rows,
    *,
    today: date,
    thresholds: Iterable[int],
    action: str,
    warn: Callable[[object, int, int], None],
    date_field: str = "valid_until",
) -> int:
    """Warn about each row of ``rows`` (a queryset: the app's filter, e.g. not voided)
    expiring within the largest threshold, once per threshold reached.

    For each row newly at a threshold: claim it (``warned_days`` set only if it is
    still what was read), record ``action`` in the audit trail, then call
    ``warn(row, threshold_days, days_left)``, all in one transaction per row.
    Returns how many rows were warned about.
    """
    from mdss.audit import services as audit

    thresholds = sorted(set(thresholds))
    horizon = today + timedelta(days=max(thresholds))
    model = rows.model
    due = rows.filter(
        **{
            f"{date_field}__isnull": False,
            f"{date_field}__gte": today,
            f"{date_field}__lte": horizon,
        }
    )
    warned = 0
    for row in due:
        expires = getattr(row, date_field)
        days_left = (expires - today).days
        level = warning_level(days_left, thresholds)
        if level is None or (row.warned_days is not None and row.warned_days <= level):
            continue
        with transaction.atomic():
            claimed = model.objects.filter(pk=row.pk, warned_days=row.warned_days).audited_update(
                warned_days=level
            )
            if not claimed:
                continue
            row.warned_days = level
            audit.record(
                actor=None,
                action=action,
                obj=row,
                changes={date_field: expires, "threshold_days": level},
            )
            warn(row, level, days_left)
            warned += 1
    return warned
