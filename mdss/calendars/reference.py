"""The statutory calendar as published in the chinese-calendar package."""

from __future__ import annotations

from datetime import date

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def statutory_days() -> tuple[list[int], list[tuple[date, bool, str]]]:
    """(years covered, [(day, is working day, name)]) for holidays and make-up days."""
    from chinese_calendar import constants

    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    days: list[tuple[date, bool, str]] = []
    for day, name in constants.holidays.items():
        days.append((day, False, HOLIDAY_NAMES_ZH.get(str(name), str(name))))
    for day, name in constants.workdays.items():
        days.append((day, True, HOLIDAY_NAMES_ZH.get(str(name), str(name)) + "调休"))
    return years, sorted(days)


def statutory_calendar() -> tuple[list[int], dict[date, bool]]:
    """Arguments for engine.WorkCalendar straight from the package (tests, benchmarks)."""
    years, days = statutory_days()
    return years, {day: working for day, working, _name in days}
