"""Deadline arithmetic: pure functions, no ORM, no I/O.

A ``WorkCalendar`` knows which days are working days: for the years it covers, the
published calendar (statutory holidays off, make-up days (调休) on); outside them,
Monday to Friday, and any answer that relied on that fallback is *provisional*.

Everything is answered through one counting function ``C(x)``: the number of working
days with ordinal ≤ x. Inside the covered range it is a bisection in a sorted array of
working-day ordinals; outside it, closed-form Monday-to-Friday arithmetic. Adding N
working days is then "the (C(start) + N)-th working day", an inverse of C, so no
answer loops over days.

Units of an SLA target:
- clock hours: round the clock (the hotline is 24 h), amount in seconds;
- working days: the start day is not counted; "within 3 working days" ends at the end
  of the third working day after the start, local time; amount in days;
- business hours: several intervals a day on working days (so lunch can be
  excluded); amount in seconds.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

CLOCK_HOURS = "clock_hours"
WORKING_DAYS = "working_days"
BUSINESS_HOURS = "business_hours"
UNITS = (CLOCK_HOURS, WORKING_DAYS, BUSINESS_HOURS)

END_OF_DAY = time(23, 59, 59, 999999)


# --- Monday-to-Friday arithmetic on ordinals (date.fromordinal(1) is a Monday) -------


def _weekday_count(x: int) -> int:
    """Monday-to-Friday days with ordinal in [1, x]."""
    weeks, rest = divmod(x, 7)
    return weeks * 5 + min(rest, 5)


def _weekday_nth(k: int) -> int:
    """Ordinal of the k-th Monday-to-Friday day (k ≥ 1)."""
    weeks, rest = divmod(k - 1, 5)
    return weeks * 7 + rest + 1


@dataclass(frozen=True)
class BusinessHours:
    """Working intervals of a day, in seconds from local midnight, e.g. 08:30–12:00, 13:30–17:30."""

    intervals: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, text: str) -> BusinessHours:
        """From "08:30-12:00,13:30-17:30"."""
        intervals = []
        for part in text.split(","):
            start, end = part.strip().split("-")
            intervals.append((_seconds(start), _seconds(end)))
        intervals.sort()
        for (_s1, e1), (s2, _e2) in zip(intervals, intervals[1:], strict=False):
            if s2 < e1:
                raise ValueError("business-hour intervals overlap")
        if not intervals or any(s >= e for s, e in intervals):
            raise ValueError("each interval must end after it starts")
        return cls(tuple(intervals))

    @property
    def daily_seconds(self) -> int:
        return sum(e - s for s, e in self.intervals)

    def elapsed_in_day(self, second_of_day: float) -> float:
        """Business seconds of a working day that lie before ``second_of_day``."""
        total = 0.0
        for start, end in self.intervals:
            if second_of_day <= start:
                break
            total += min(second_of_day, end) - start
        return total

    def instant_in_day(self, seconds: float) -> float:
        """Second of the day at which ``seconds`` (0 < s ≤ daily) of business time have passed."""
        for start, end in self.intervals:
            length = end - start
            if seconds <= length:
                return start + seconds
            seconds -= length
        return float(self.intervals[-1][1])


def _seconds(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 3600 + int(minutes) * 60


class WorkCalendar:
    """Working days from published years plus a Monday-to-Friday fallback."""

    __slots__ = (
        "_covered",
        "_sure_last",
        "_first",
        "_last",
        "_working",
        "_count_before",
        "_contiguous",
        "_after",
    )

    def __init__(
        self,
        covered_years: Iterable[int],
        overrides: Mapping[date, bool],
        provisional_years: Iterable[int] = (),
    ):
        """``overrides``: days whose status differs from Mon–Fri (holidays on weekdays →
        False, make-up weekend days → True), for the published ``covered_years`` and
        for ``provisional_years``: years known only by their statutory holidays
        (``holidays.provisional_overrides``), whose answers stay provisional."""
        self._covered = frozenset(covered_years)
        years = self._covered | frozenset(provisional_years)
        self._sure_last = 0
        if not years:
            self._first = self._last = 0
            self._working = array("l")
            self._count_before = 0
            self._contiguous = False
            self._after = array("l")
            return
        first_year, last_year = min(years), max(years)
        # Years without a gap: the array answers every day between them.
        self._contiguous = len(years) == last_year - first_year + 1
        self._first = date(first_year, 1, 1).toordinal()
        self._last = date(last_year, 12, 31).toordinal()
        # Up to here every year is published: an answer before it is never provisional.
        sure = first_year - 1
        while sure + 1 in self._covered:
            sure += 1
        self._sure_last = date(sure, 12, 31).toordinal() if sure >= first_year else 0
        by_ordinal = {
            d.toordinal(): flag
            for d, flag in overrides.items()
            if self._first <= d.toordinal() <= self._last and d.year in years
        }
        working = array("l")
        for ordinal in range(self._first, self._last + 1):
            flag = by_ordinal.get(ordinal)
            if flag is None:
                flag = (ordinal - 1) % 7 < 5
            if flag:
                working.append(ordinal)
        self._working = working
        self._count_before = _weekday_count(self._first - 1)
        # _after[o - first] = how many working days of the range are ≤ o: a dense
        # table (one int per day, ~8,000 for 23 years) that replaces the bisection
        # on the hot path of the bulk form.
        after = array("l", bytes(8 * (self._last - self._first + 1)))
        count = 0
        position = 0
        for ordinal in range(self._first, self._last + 1):
            if position < len(working) and working[position] == ordinal:
                count += 1
                position += 1
            after[ordinal - self._first] = count
        self._after = after

    # -- the counting function and its inverse --------------------------------------

    def _count(self, x: int) -> int:
        """C(x): working days with ordinal ≤ x."""
        if x < self._first or not self._working:
            return _weekday_count(x)
        if x <= self._last:
            return self._count_before + bisect_right(self._working, x)
        return (
            self._count_before + len(self._working) + _weekday_count(x) - _weekday_count(self._last)
        )

    def _nth(self, k: int) -> int:
        """Ordinal of the k-th working day."""
        if not self._working or k <= self._count_before:
            return _weekday_nth(k)
        inside = k - self._count_before
        if inside <= len(self._working):
            return self._working[inside - 1]
        return _weekday_nth(_weekday_count(self._last) + inside - len(self._working))

    # -- public answers ----------------------------------------------------------------

    @property
    def covered_years(self) -> frozenset[int]:
        return self._covered

    def is_provisional(self, first: date, last: date) -> bool:
        """True if any year from ``first`` to ``last`` has no published calendar."""
        covered = self._covered
        return any(year not in covered for year in range(first.year, last.year + 1))

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        return self._count(ordinal) - self._count(ordinal - 1) == 1

    def add_working_days(self, start: date, days: int) -> tuple[date, bool]:
        """The ``days``-th working day after ``start`` (start not counted), and whether
        the answer is provisional. ``days`` = 0 gives ``start``."""
        if days < 0:
            raise ValueError("days must be ≥ 0")
        if days == 0:
            return start, self.is_provisional(start, start)
        ordinal = start.toordinal()
        # Fast path (nearly every call): start and result inside published years.
        if self._contiguous and self._first <= ordinal <= self._last:
            index = bisect_right(self._working, ordinal) + days - 1
            if index < len(self._working) and self._working[index] <= self._sure_last:
                return date.fromordinal(self._working[index]), False
        result = date.fromordinal(self._nth(self._count(ordinal) + days))
        return result, self.is_provisional(start, result)

    def add_working_days_many(self, pairs: Iterable[tuple[date, int]]) -> list[tuple[date, bool]]:
        """``add_working_days`` for many (start, days) pairs: the same answers, with the
        attribute look-ups hoisted out of the loop (re-planning thousands of clocks)."""
        working, first, last, after = self._working, self._first, self._last, self._after
        sure_last = self._sure_last
        size = len(working)
        fast = self._contiguous
        fromordinal = date.fromordinal
        slow = self.add_working_days
        out = []
        append = out.append
        for start, days in pairs:
            ordinal = start.toordinal()
            if fast and days > 0 and first <= ordinal <= last:
                index = after[ordinal - first] + days - 1
                if index < size and working[index] <= sure_last:
                    append((fromordinal(working[index]), False))
                    continue
            append(slow(start, days))
        return out

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative if end is before start."""
        return self._count(end.toordinal()) - self._count(start.toordinal())

    # -- business hours -------------------------------------------------------------------

    def _business_position(self, at: datetime, hours: BusinessHours, tz: tzinfo) -> float:
        """Business seconds from the epoch up to ``at`` (a monotone clock of working time)."""
        local = at.astimezone(tz)
        ordinal = local.toordinal()
        before = self._count(ordinal - 1) * hours.daily_seconds
        if self._count(ordinal) == self._count(ordinal - 1):  # not a working day
            return before
        second = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        return before + hours.elapsed_in_day(second)

    def add_business_seconds(
        self, start: datetime, seconds: float, hours: BusinessHours, tz: tzinfo
    ) -> tuple[datetime, bool]:
        daily = hours.daily_seconds
        target = self._business_position(start, hours, tz) + seconds
        if seconds <= 0:
            return start, self.is_provisional(
                start.astimezone(tz).date(), start.astimezone(tz).date()
            )
        # The k-th working day holds business time in ((k-1)·daily, k·daily].
        k = int(-(-target // daily))
        day = date.fromordinal(self._nth(k))
        second = hours.instant_in_day(target - (k - 1) * daily)
        result = datetime.combine(day, time(0), tzinfo=tz) + timedelta(seconds=second)
        return result, self.is_provisional(start.astimezone(tz).date(), day)

    def business_seconds_between(
        self, start: datetime, end: datetime, hours: BusinessHours, tz: tzinfo
    ) -> float:
        return self._business_position(end, hours, tz) - self._business_position(start, hours, tz)

    # -- one entry point per unit, as SLA clocks use them --------------------------------

    def due(
        self,
        unit: str,
        start: datetime,
        amount: float,
        tz: tzinfo,
        hours: BusinessHours | None = None,
    ) -> tuple[datetime, bool]:
        """When an obligation started at ``start`` with ``amount`` (seconds for hour
        units, days for working days) falls due, and whether that is provisional."""
        if unit == CLOCK_HOURS:
            return start + timedelta(seconds=amount), False
        if unit == WORKING_DAYS:
            day, provisional = self.add_working_days(start.astimezone(tz).date(), int(amount))
            return datetime.combine(day, END_OF_DAY, tzinfo=tz), provisional
        if unit == BUSINESS_HOURS:
            if hours is None:
                raise ValueError("business hours need their intervals")
            return self.add_business_seconds(start, amount, hours, tz)
        raise ValueError(f"unknown unit {unit!r}")

    def remaining(
        self,
        unit: str,
        now: datetime,
        due_at: datetime,
        tz: tzinfo,
        hours: BusinessHours | None = None,
    ) -> float:
        """What is left until ``due_at`` in the unit's own measure (for pausing a clock)."""
        if unit == CLOCK_HOURS:
            return max(0.0, (due_at - now).total_seconds())
        if unit == WORKING_DAYS:
            return max(
                0,
                self.working_days_between(now.astimezone(tz).date(), due_at.astimezone(tz).date()),
            )
        if unit == BUSINESS_HOURS:
            if hours is None:
                raise ValueError("business hours need their intervals")
            return max(0.0, self.business_seconds_between(now, due_at, hours, tz))
        raise ValueError(f"unknown unit {unit!r}")


def amount_in_unit(unit: str, duration: float) -> float:
    """A target's duration (hours for hour units, days for working days) in engine units."""
    return duration * 3600 if unit in (CLOCK_HOURS, BUSINESS_HOURS) else duration


# -- cadences: "at least N per period" rules (quarterly return visits, monthly training) --


def period_bounds(day: date, months: int) -> tuple[date, date]:
    """The calendar period of ``months`` (1, 2, 3, 4, 6 or 12) that holds ``day``.

    Periods are aligned to 1 January, so a quarter is Jan–Mar, Apr–Jun, …, and a
    two-month period Jan–Feb, Mar–Apr, ….
    """
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError(f"a period of {months} months does not divide the year")
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, next_period_start(start, months) - timedelta(days=1)


def next_period_start(start: date, months: int) -> date:
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def cadence_due(last_done: date | None, since: date, months: int) -> date:
    """The last day by which the next occurrence is due under "at least once per period".

    ``since`` is when the obligation began (e.g. a customer became existing): its own
    period is the first that needs an occurrence. After an occurrence on
    ``last_done``, the next is due by the end of the following period. Missed periods
    are not stacked: the due date stays in the past, so the record is overdue until
    the next occurrence.
    """
    if last_done is None or last_done < since:
        return period_bounds(since, months)[1]
    start, _end = period_bounds(last_done, months)
    return period_bounds(next_period_start(start, months), months)[1]
