"""Small statistics on plain numbers (no ORM), so each rule is tested on known data.

Percentiles interpolate linearly between the two nearest ranks, as PostgreSQL's
``percentile_cont`` does: the median of 1, 2, 3, 4 is 2.5; the 90th percentile of
1…10 is 9.1."""

from __future__ import annotations

from decimal import Decimal


def percentile(values, p: float) -> float | None:
    """The ``p``-th quantile (0 ≤ p ≤ 1) of ``values``; None when there are none."""
    if not 0 <= p <= 1:
        raise ValueError("p must lie between 0 and 1")
    ordered = sorted(values)
    if not ordered:
        return None
    position = p * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def change_percent(current, before) -> float | None:
    """Growth of ``current`` over ``before`` in percent; None when there is no base."""
    if not before:
        return None
    return round(float((Decimal(current) - Decimal(before)) * 100 / Decimal(before)), 1)


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; None for an empty whole."""
    return round(part * 100 / whole, 1) if whole else None
