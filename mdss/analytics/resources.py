"""How many engineers a region needs (D4): two simple models on the region's demand,
pure functions so each is checked on a known example.

1. Workload. Each on-site visit costs its mean time on site plus the travel time
   (``travel_hours``, the policy's assumption: visits do not record travel). The
   engineers needed are the monthly hours this makes over the productive hours of
   one engineer in a month (working days × hours a day × utilisation, the share
   of the day left after paperwork, training and leave):

       workload engineers = visits a month × (hours on site + travel) / productive hours

2. Queue (Erlang C, M/M/c). Requests that need a visit arrive at random (Poisson)
   during working hours at λ = visits a month / working hours a month, and keep an
   engineer busy for S = hours on site + travel (exponentially distributed). With c
   engineers the offered load is a = λ·S; a request waits for a free engineer with
   the Erlang C probability C(c, a), and the chance it waits longer than t hours is
   C(c, a)·exp(−(c − a)·t / S). The queue model asks for the smallest c that keeps
   the share of visits starting within the on-site target at ``sla`` or more. The
   target is in clock hours (24 h in the policy); a working day holds
   ``hours_per_day`` of them, so t = target × hours_per_day / 24.

The suggestion is the larger of the two, rounded up, and at least one engineer
where there is any demand. Both ignore that engineers are tied to models by
qualification and to places by distance: the page shows the qualified engineers
beside the suggestion for that reason."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Assumptions:
    travel_hours: float = 2.0
    working_days: float = 21.75
    hours_per_day: float = 8.0
    utilisation: float = 0.75
    target_hours: float = 24.0  # the on-site target, clock hours
    sla: float = 0.9  # share of visits to start within the target

    @property
    def working_hours(self) -> float:
        return self.working_days * self.hours_per_day

    @property
    def productive_hours(self) -> float:
        return self.working_hours * self.utilisation


@dataclass(frozen=True)
class Suggestion:
    workload: float  # engineers, unrounded
    queue: int  # engineers
    suggested: int
    load: float  # offered load a (Erlangs)


def erlang_c(c: int, a: float) -> float:
    """The chance an arrival waits, with ``c`` servers and offered load ``a`` < c."""
    if c <= a:
        return 1.0
    # Sum a^k / k! term by term (no factorials of large numbers).
    term, total = 1.0, 1.0
    for k in range(1, c):
        term *= a / k
        total += term
    last = term * a / c * c / (c - a)
    return last / (total + last)


def wait_within(c: int, a: float, service_hours: float, t_hours: float) -> float:
    """The share of arrivals whose wait is at most ``t_hours``."""
    if c <= a:
        return 0.0
    return 1.0 - erlang_c(c, a) * math.exp(-(c - a) * t_hours / service_hours)


def engineers_needed(
    *, visits_per_month: float, hours_on_site: float, assumptions: Assumptions
) -> Suggestion:
    if visits_per_month <= 0:
        return Suggestion(workload=0.0, queue=0, suggested=0, load=0.0)
    service = hours_on_site + assumptions.travel_hours
    workload = visits_per_month * service / assumptions.productive_hours
    rate = visits_per_month / assumptions.working_hours
    load = rate * service
    t = assumptions.target_hours * assumptions.hours_per_day / 24
    c = max(1, math.floor(load) + 1)
    while wait_within(c, load, service, t) < assumptions.sla:
        c += 1
    return Suggestion(
        workload=round(workload, 2),
        queue=c,
        suggested=max(1, math.ceil(workload - 1e-9), c),
        load=round(load, 3),
    )
