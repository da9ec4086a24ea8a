"""The deadline engine, with the statutory calendar from chinese-calendar (no database)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdss.calendars import engine
from mdss.calendars.reference import statutory_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = engine.WorkCalendar(*statutory_calendar())


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # National Day, then a make-up Saturday
        (date(2025, 9, 30), 3, date(2025, 10, 11)),  # 2025: eight days off, make-up Saturday 10-11
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # make-up Saturday before Spring Festival
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # Spring Festival 02-15 … 02-23
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # an ordinary Friday → Monday
        (date(2026, 11, 28), 0, date(2026, 11, 28)),
    ],
)
def test_add_working_days(start, days, expected):
    assert CAL.add_working_days(start, days) == (expected, False)


def test_a_year_without_a_calendar_falls_back_to_weekdays_and_is_provisional():
    assert CAL.add_working_days(date(2027, 1, 1), 1) == (date(2027, 1, 4), True)
    assert CAL.add_working_days(date(2027, 3, 5), 3) == (date(2027, 3, 10), True)
    # Crossing from a published year into an unpublished one is provisional too.
    result, provisional = CAL.add_working_days(date(2026, 12, 30), 3)
    assert provisional and result == date(2027, 1, 4)


def test_years_before_the_calendar_fall_back_too():
    assert CAL.add_working_days(date(2001, 1, 5), 1) == (date(2001, 1, 8), True)


def test_working_day_flags():
    assert CAL.is_working_day(date(2026, 10, 10))  # make-up Saturday
    assert not CAL.is_working_day(date(2026, 10, 1))
    assert not CAL.is_working_day(date(2026, 11, 29))  # Sunday
    assert CAL.is_working_day(date(2027, 1, 1))  # fallback knows no holidays


def test_an_empty_calendar_is_monday_to_friday():
    empty = engine.WorkCalendar([], {})
    assert empty.add_working_days(date(2026, 10, 1), 1) == (date(2026, 10, 2), True)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2003, 1, 1), max_value=date(2028, 12, 31)),
    days=st.integers(min_value=1, max_value=400),
)
def test_property_result_is_a_working_day_with_exactly_n_working_days_in_between(start, days):
    result, _provisional = CAL.add_working_days(start, days)
    assert CAL.is_working_day(result)
    assert result > start
    counted = sum(
        CAL.is_working_day(start + timedelta(n)) for n in range(1, (result - start).days + 1)
    )
    assert counted == days
    assert CAL.working_days_between(start, result) == days


def test_clock_hours_count_round_the_clock():
    start = datetime(2026, 10, 1, 23, 30, tzinfo=SHANGHAI)
    due, provisional = CAL.due(engine.CLOCK_HOURS, start, 3600, SHANGHAI)
    assert due == datetime(2026, 10, 2, 0, 30, tzinfo=SHANGHAI) and not provisional


def test_working_days_end_at_the_end_of_the_local_day():
    start = datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
    due, _ = CAL.due(engine.WORKING_DAYS, start, 3, SHANGHAI)
    assert due == datetime(2026, 10, 10, 23, 59, 59, 999999, tzinfo=SHANGHAI)


def test_working_days_use_the_local_date_not_utc():
    # 2026-09-30 17:00 UTC is already 10-01 01:00 in Shanghai.
    start = datetime(2026, 9, 30, 17, 0, tzinfo=ZoneInfo("UTC"))
    due, _ = CAL.due(engine.WORKING_DAYS, start, 1, SHANGHAI)
    assert due.date() == date(2026, 10, 8)


class TestBusinessHours:
    hours = engine.BusinessHours.parse("08:30-12:00,13:30-17:30")

    def at(self, *args):
        return datetime(*args, tzinfo=SHANGHAI)

    def test_lunch_is_skipped(self):
        due, _ = CAL.add_business_seconds(
            self.at(2026, 11, 27, 11, 0), 2 * 3600, self.hours, SHANGHAI
        )
        assert due == self.at(2026, 11, 27, 14, 30)

    def test_evenings_and_weekends_are_skipped(self):
        due, _ = CAL.add_business_seconds(self.at(2026, 11, 27, 17, 0), 3600, self.hours, SHANGHAI)
        assert due == self.at(2026, 11, 30, 9, 0)

    def test_a_request_at_night_starts_counting_next_morning(self):
        due, _ = CAL.add_business_seconds(self.at(2026, 11, 26, 22, 0), 1800, self.hours, SHANGHAI)
        assert due == self.at(2026, 11, 27, 9, 0)

    def test_exactly_a_whole_day_ends_at_the_close_of_business(self):
        due, _ = CAL.add_business_seconds(
            self.at(2026, 11, 26, 8, 30), 7.5 * 3600, self.hours, SHANGHAI
        )
        assert due == self.at(2026, 11, 26, 17, 30)

    def test_holidays_are_skipped(self):
        due, _ = CAL.add_business_seconds(self.at(2026, 9, 30, 17, 0), 3600, self.hours, SHANGHAI)
        assert due == self.at(2026, 10, 8, 9, 0)

    def test_between_is_the_inverse_of_add(self):
        start = self.at(2026, 9, 28, 10, 15)
        for seconds in (60, 3600, 7.5 * 3600, 40 * 3600):
            due, _ = CAL.add_business_seconds(start, seconds, self.hours, SHANGHAI)
            assert CAL.business_seconds_between(start, due, self.hours, SHANGHAI) == pytest.approx(
                seconds
            )

    def test_bad_intervals_are_refused(self):
        with pytest.raises(ValueError):
            engine.BusinessHours.parse("09:00-12:00,11:00-13:00")
        with pytest.raises(ValueError):
            engine.BusinessHours.parse("12:00-09:00")


def test_remaining_in_each_unit():
    now = datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)
    due = datetime(2026, 10, 10, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert CAL.remaining(engine.WORKING_DAYS, now, due, SHANGHAI) == 1
    assert CAL.remaining(engine.CLOCK_HOURS, now, now + timedelta(hours=2), SHANGHAI) == 7200


def test_the_bulk_form_gives_the_same_answers():
    pairs = [
        (date(2026, 9, 30), 3),
        (date(2026, 12, 30), 3),
        (date(2001, 1, 5), 1),
        (date(2026, 2, 14), 1),
        (date(2026, 5, 1), 0),
    ]
    assert CAL.add_working_days_many(pairs) == [CAL.add_working_days(s, n) for s, n in pairs]


@pytest.mark.parametrize(
    ("last_done", "since", "months", "due"),
    [
        # never visited: due by the end of the quarter the obligation began in
        (None, date(2026, 5, 10), 3, date(2026, 6, 30)),
        # visited in Q2: due by the end of Q3
        (date(2026, 6, 1), date(2026, 5, 10), 3, date(2026, 9, 30)),
        # visited in Q4: due by the end of Q1 of the next year
        (date(2026, 11, 27), date(2025, 1, 1), 3, date(2027, 3, 31)),
        # a visit before the obligation began does not count
        (date(2026, 1, 5), date(2026, 4, 1), 3, date(2026, 6, 30)),
        # two-month and half-year periods
        (date(2026, 3, 15), date(2026, 1, 1), 2, date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 1, 1), 6, date(2027, 6, 30)),
    ],
)
def test_cadence_due_dates_cross_periods_and_years(last_done, since, months, due):
    assert engine.cadence_due(last_done, since, months) == due


def test_a_period_must_divide_the_year():
    assert engine.period_bounds(date(2026, 8, 9), 3) == (date(2026, 7, 1), date(2026, 9, 30))
    with pytest.raises(ValueError):
        engine.period_bounds(date(2026, 8, 9), 5)


# --- years known by law only (holidays.py) --------------------------------------------


def test_the_statutory_holidays_of_a_year_follow_the_2024_regulation():
    from mdss.calendars.holidays import statutory_holidays

    days = statutory_holidays(2027)
    assert {date(2027, 1, 1), date(2027, 5, 1), date(2027, 5, 2)} <= days
    assert {date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)} <= days
    # 春节 2027 is 6 February: its eve and the first three days.
    assert {date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)} <= days
    assert date(2027, 4, 5) in days  # 清明 (solar term)
    assert date(2027, 6, 9) in days  # 端午
    assert date(2027, 9, 15) in days  # 中秋
    assert len(days) == 13


def test_computed_holidays_are_those_the_published_calendars_gave_off():
    """Against the years chinese-calendar publishes under the 2024 rules: every day the
    law fixes was a day off."""
    import chinese_calendar

    from mdss.calendars.holidays import statutory_holidays

    for year in (2025, 2026):
        for day in statutory_holidays(year):
            assert chinese_calendar.is_holiday(day), day


def test_a_year_known_only_by_law_keeps_its_holidays_and_stays_provisional():
    from mdss.calendars.engine import WorkCalendar
    from mdss.calendars.holidays import provisional_overrides

    calendar = WorkCalendar([2026], {}, provisional_years=[2027])
    assert calendar.add_working_days(date(2026, 12, 31), 1) == (date(2027, 1, 1), True)
    calendar = WorkCalendar([2026], provisional_overrides(2027), provisional_years=[2027])
    # 1 January is a holiday by law, then the weekend.
    assert calendar.add_working_days(date(2026, 12, 31), 1) == (date(2027, 1, 4), True)
    # 国庆 1–3 October 2027 (Friday to Sunday).
    assert calendar.add_working_days(date(2027, 9, 30), 1) == (date(2027, 10, 4), True)
    assert calendar.add_working_days_many([(date(2027, 9, 30), 1)]) == [(date(2027, 10, 4), True)]
    assert not calendar.is_working_day(date(2027, 4, 5))  # 清明
    # Inside the published year nothing changes and nothing is provisional.
    assert calendar.add_working_days(date(2026, 3, 2), 1) == (date(2026, 3, 3), False)
