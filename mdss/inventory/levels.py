"""Stock levels (A10): the reorder point and target level of a part in a warehouse,
from its demand. Pure functions (no ORM) so the rule is tested on known series.

    reorder point = mean daily demand × lead time + z × σ(daily demand) × √lead time
    target level  = reorder point + mean daily demand × review period

Demand is the last year's issues, scaled by how much the installed base of the
models the part fits grew over that year (more units in service, more repairs).

z is the normal quantile of the service level (95 % → 1.645): the chance of not
running out while an order is on its way, if daily demand is roughly independent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist, fmean, pstdev

REVIEW_DAYS = 30  # a month's demand on top of the reorder point
HISTORY_DAYS = 365


@dataclass(frozen=True)
class Level:
    reorder_point: int
    target_level: int
    mean_daily: float
    sd_daily: float


def compute(daily: list[int], *, lead_time_days: int, service_level: float) -> Level:
    """``daily``: issues per day over the history (zeros included)."""
    if not daily:
        raise ValueError("daily demand is needed")
    return _level(fmean(daily), pstdev(daily), lead_time_days, service_level)


def compute_sparse(
    issues: dict[int, int],
    *,
    days: int = HISTORY_DAYS,
    lead_time_days: int,
    service_level: float,
    factor: float = 1.0,
) -> Level:
    """The same from ``{day: quantity}`` of the days with issues only: mean and
    standard deviation from the sums, without a list of mostly zero days (the
    computation for every part of every warehouse stays linear in the issues).
    ``factor`` scales the demand (the installed base of the models the part fits
    grew or shrank over the year)."""
    total = sum(issues.values())
    squares = sum(q * q for q in issues.values())
    mean = total / days
    sd = math.sqrt(max(squares / days - mean * mean, 0.0))
    return _level(mean * factor, sd * factor, lead_time_days, service_level)


def _level(mean: float, sd: float, lead_time_days: int, service_level: float) -> Level:
    if lead_time_days < 0 or not 0.5 <= service_level < 1:
        raise ValueError("a lead time and a service level in [0.5, 1) are needed")
    z = NormalDist().inv_cdf(service_level)
    reorder = mean * lead_time_days + z * sd * math.sqrt(lead_time_days)
    rop = math.ceil(reorder - 1e-9) if mean else 0
    return Level(
        reorder_point=rop,
        target_level=max(rop, math.ceil(rop + mean * REVIEW_DAYS - 1e-9)) if mean else 0,
        mean_daily=mean,
        sd_daily=sd,
    )
