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


def load_statutory(CalendarYear, CalendarDay, CalendarRevision) -> int:  # noqa: N803 (model classes)
    """Add the package's years that are not published yet; returns how many were added.

    Takes the model classes so that a data migration can call it with historical
    models. A year an administrator already published is never overwritten.
    """
    years, days = statutory_days()
    known = set(CalendarYear.objects.values_list("year", flat=True))
    new_years = [y for y in years if y not in known]
    if not new_years:
        return 0
    existing_days = set(
        CalendarDay.objects.filter(date__year__in=new_years).values_list("date", flat=True)
    )
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day, is_working_day=working, name=name, source="statutory")
            for day, working, name in days
            if day.year in new_years and day not in existing_days
        ]
    )
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source="statutory") for y in new_years])
    revision, _created = CalendarRevision.objects.get_or_create(pk=1)
    CalendarRevision.objects.filter(pk=1).update(value=revision.value + 1)
    return len(new_years)


def load_default_cadences(policy, PolicyCadence) -> int:  # noqa: N803 (a model class)
    """Add the policy's default cadences that this version lacks (older versions predate them)."""
    from .choices import DEFAULT_CADENCES

    have = set(PolicyCadence.objects.filter(policy=policy).values_list("code", flat=True))
    rows = [
        PolicyCadence(
            policy=policy, code=code, name=name, requirement=req, period_months=months, min_count=n
        )
        for code, name, req, months, n in DEFAULT_CADENCES
        if code not in have
    ]
    PolicyCadence.objects.bulk_create(rows)
    return len(rows)


def load_default_targets(policy, SlaTarget) -> int:  # noqa: N803 (a model class)
    """Add the default targets this version lacks (targets added by later issues)."""
    from .choices import DEFAULT_TARGETS

    have = set(SlaTarget.objects.filter(policy=policy).values_list("code", flat=True))
    rows = [
        SlaTarget(
            policy=policy,
            code=code,
            name=name,
            requirement=req,
            starts_on=starts,
            stops_on=stops,
            duration=duration,
            unit=unit,
            warn_percent=warn,
        )
        for code, name, req, starts, stops, duration, unit, warn in DEFAULT_TARGETS
        if code not in have
    ]
    SlaTarget.objects.bulk_create(rows)
    return len(rows)


def load_default_policy(PolicyVersion, SlaTarget, PolicyCadence=None) -> bool:  # noqa: N803
    """Create policy version 1 with REQUIREMENTS.md's numbers if there is no policy."""
    from django.utils import timezone

    from .choices import DEFAULT_TARGETS

    if PolicyVersion.objects.exists():
        return False
    policy = PolicyVersion.objects.create(
        number=1,
        is_active=True,
        activated_at=timezone.now(),
        note="制度默认值（医疗器械销售和售后服务管理制度）",
    )
    SlaTarget.objects.bulk_create(
        [
            SlaTarget(
                policy=policy,
                code=code,
                name=name,
                requirement=req,
                starts_on=starts,
                stops_on=stops,
                duration=duration,
                unit=unit,
                warn_percent=warn,
            )
            for code, name, req, starts, stops, duration, unit, warn in DEFAULT_TARGETS
        ]
    )
    if PolicyCadence is not None:
        load_default_cadences(policy, PolicyCadence)
    return True


def load_reference_data() -> dict[str, object]:
    """This app's reference data, found by ``core.reference``: the statutory calendar
    and policy version 1."""
    from .services import calendar_load_statutory, policy_load_default

    return {
        "calendar years added": calendar_load_statutory(),
        "default policy created": policy_load_default(),
    }
