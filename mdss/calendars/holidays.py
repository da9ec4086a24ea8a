"""Which days are statutory holidays, by law, for a year whose calendar is not yet
published. Pure: no ORM.

The national holiday regulation (全国年节及纪念日放假办法, as revised in 2024, in force
from 2025) fixes the days off: 元旦 1 January; 春节 New Year's Eve and the first three
days of the first lunar month; 清明 the day of the Qingming solar term; 劳动节 1–2 May;
端午 the 5th of the 5th lunar month; 中秋 the 15th of the 8th lunar month; 国庆 1–3
October. Only the make-up swaps (调休) come from the State Council's yearly notice, so a
provisional year knows its holidays but not its swaps; it stays marked provisional
until the notice is entered.

Lunar dates and solar terms come from lunar-python (MIT).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def _solar(lunar) -> date:
    solar = lunar.getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@cache
def statutory_holidays(year: int) -> frozenset[date]:
    """The days off fixed by law in ``year`` (before any make-up swap)."""
    from lunar_python import Lunar

    spring = _solar(Lunar.fromYmd(year, 1, 1))
    days = {
        date(year, 1, 1),
        spring - timedelta(days=1),  # 除夕, New Year's Eve
        spring,
        spring + timedelta(days=1),
        spring + timedelta(days=2),
        _solar_term(year, "清明"),
        date(year, 5, 1),
        date(year, 5, 2),
        _solar(Lunar.fromYmd(year, 5, 5)),
        _solar(Lunar.fromYmd(year, 8, 15)),
        date(year, 10, 1),
        date(year, 10, 2),
        date(year, 10, 3),
    }
    return frozenset(d for d in days if d.year == year)


def _solar_term(year: int, name: str) -> date:
    from lunar_python import Lunar

    term = Lunar.fromYmd(year, 1, 1).getJieQiTable()[name]
    return date(term.getYear(), term.getMonth(), term.getDay())


def provisional_overrides(year: int) -> dict[date, bool]:
    """The days of ``year`` that differ from Monday–Friday: the statutory holidays that
    fall on weekdays (no make-up working days, which only the notice gives)."""
    return {day: False for day in statutory_holidays(year) if day.weekday() < 5}
