"""Expiry warnings shared by every app that keeps dated documents (certificates,
licences, qualifications, authorisations)."""


def warning_level(days_left: int, thresholds) -> int | None:
    """The tightest threshold (e.g. 90, 30, 7 days) that ``days_left`` has reached;
    a sweep warns once per level by remembering the last level announced."""
    reached = [d for d in thresholds if days_left <= d]
    return min(reached) if reached else None
