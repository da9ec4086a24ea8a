"""Reads: the engine calendar (cached per process), the policy, clocks."""

from __future__ import annotations

import threading
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.utils import timezone

from mdss.core.notified import Notified
from mdss.core.prepared import Prepared

from . import engine, holidays
from .choices import ClockStatus
from .models import (
    CalendarDay,
    CalendarRevision,
    CalendarYear,
    PolicyCadence,
    PolicyVersion,
    SlaClock,
    SlaTarget,
)

_cache_lock = threading.Lock()
_cached: tuple[int, engine.WorkCalendar] | None = None


# Kept importable from here for calendars' own callers; other apps use core.dates.
from mdss.core.dates import local_today, local_tz  # noqa: E402, F401


def calendar_revision() -> int:
    return CalendarRevision.objects.filter(pk=1).values_list("value", flat=True).first() or 0


PROVISIONAL_YEARS = 5


def work_calendar(revision: int | None = None) -> engine.WorkCalendar:
    """The engine's calendar; rebuilt only when the revision changed (one cheap read,
    or none when the caller read ``revision`` along with something else)."""
    global _cached
    if revision is None:
        revision = calendar_revision()
    cached = _cached
    if cached is not None and cached[0] == revision:
        return cached[1]
    years = list(CalendarYear.objects.values_list("year", flat=True))
    overrides = dict(
        CalendarDay.objects.filter(date__year__in=years).values_list("date", "is_working_day")
    )
    # After the last published year, the statutory holidays are known by law (only the
    # make-up swaps are not): the next years are built from them, still provisional.
    ahead = range(max(years) + 1, max(years) + 1 + PROVISIONAL_YEARS) if years else range(0)
    for year in ahead:
        overrides.update(holidays.provisional_overrides(year))
    calendar = engine.WorkCalendar(years, overrides, provisional_years=ahead)
    with _cache_lock:
        _cached = (revision, calendar)
    return calendar


def calendar_days(year: int):
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def published_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def calendar_missing_for(today: date | None = None) -> int | None:
    """Next year, if it is 1 November or later and next year is not published."""
    today = today or local_today()
    if (today.month, today.day) < (11, 1):
        return None
    next_year = today.year + 1
    return None if CalendarYear.objects.filter(year=next_year).exists() else next_year


def active_policy() -> PolicyVersion:
    return PolicyVersion.objects.prefetch_related("targets", "cadences").get(is_active=True)


def active_cadences() -> dict[str, PolicyCadence]:
    """The active policy's "at least N per period" rules by code: one query."""
    return {c.code: c for c in PolicyCadence.objects.filter(policy__is_active=True)}


def cadence(code: str) -> PolicyCadence:
    """The active policy's "at least N per period" rule ``code``."""
    return PolicyCadence.objects.select_related("policy").get(policy__is_active=True, code=code)


def policy_versions():
    return (
        PolicyVersion.objects.select_related("created_by")
        .prefetch_related("targets")
        .order_by("-number")
    )


def _target_with_revision(code):
    from django.db.models import Subquery

    revision = CalendarRevision.objects.filter(pk=1).values("value")[:1]
    return (
        SlaTarget.objects.select_related("policy")
        .annotate(calendar_revision=Subquery(revision))
        .filter(policy__is_active=True, code=code)[:2]
    )


_target_and_revision = Prepared(SlaTarget, _target_with_revision)
# Every clock start reads it; it changes when a policy is published or the calendar
# is: kept per database session until PostgreSQL notifies such a change (migration
# 0009_policy_notify, core/notified.py).
KEPT_TARGETS = Notified("mdss_policy")


def sla_target(code: str) -> SlaTarget:
    """The active policy's target ``code`` (its ``calendar_revision`` read along)."""
    kept = KEPT_TARGETS.lookup(
        connections[router.db_for_read(SlaTarget)], code, lambda: _target_and_revision.rows(code)
    )
    found = _target_and_revision.objects(kept.rows) if kept is not None else []
    if len(found) != 1:
        raise (SlaTarget.DoesNotExist if not found else SlaTarget.MultipleObjectsReturned)(code)
    return found[0]


def sla_target_and_calendar(code: str) -> tuple[SlaTarget, engine.WorkCalendar]:
    """The target in force and the work calendar, with one query compiled once: the
    target row carries the calendar's revision (every clock start needs both)."""
    target = sla_target(code)
    return target, work_calendar(revision=target.calendar_revision or 0)


def sla_target_or_none(code: str) -> SlaTarget | None:
    """The target in force, or None where no policy is active (a bare database)."""
    return (
        SlaTarget.objects.select_related("policy").filter(policy__is_active=True, code=code).first()
    )


def clocks_for(subject):
    return (
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
        )
        .select_related("target__policy", "responsible")
        .order_by("started_at", "id")
    )


def running_clocks(subjects) -> dict:
    """{subject pk: its running clock} for a list of one model's rows, in one query
    (an inbox shows each row's deadline)."""
    if not subjects:
        return {}
    rows = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(subjects[0]),
        object_id__in=[str(s.pk) for s in subjects],
        status=ClockStatus.RUNNING,
    ).select_related("target", "responsible")
    return {int(c.object_id): c for c in rows}


def clocks_overdue(now=None):
    """Running clocks past due: an index scan on (due_at) WHERE status = 'running'."""
    return (
        SlaClock.objects.filter(status=ClockStatus.RUNNING, due_at__lte=now or timezone.now())
        .select_related("responsible")
        .order_by("due_at")
    )


def sees_all_clocks(user) -> bool:
    return user.is_superuser or user.has_role("management", "service_manager")


def open_clocks_for(user, *, overdue_at=None, mine: bool = False, sort: str = ""):
    """The deadlines page's rows: open clocks the user answers for (responsible or
    escalated to); management and the service manager see all unless ``mine``. With
    ``overdue_at``, only those due by then (the dashboard's figures count this list).
    Soonest due first, or by ``sort`` (a key of filters.CLOCK_SORTS, validated)."""
    from django.db.models import Q

    from .choices import OPEN_CLOCK_STATUSES

    rows = SlaClock.objects.filter(status__in=OPEN_CLOCK_STATUSES).select_related(
        "target", "responsible"
    )
    if mine or not sees_all_clocks(user):
        rows = rows.filter(Q(responsible=user) | Q(escalated_to=user))
    if overdue_at is not None:  # a paused clock is not overdue (SlaClock.is_overdue)
        rows = rows.filter(status=ClockStatus.RUNNING, due_at__lte=overdue_at)
    if sort:
        from mdss.core.sorting import apply_sort

        from .filters import CLOCK_SORTS

        return apply_sort(rows, sort, CLOCK_SORTS)
    return rows.order_by("due_at")


def clock_counts_for_user(user, now=None) -> dict[str, int]:
    """Open deadlines a person answers for (responsible or escalated to): one query."""
    from django.db.models import Count, Q

    now = now or timezone.now()
    mine = SlaClock.objects.filter(
        Q(responsible=user) | Q(escalated_to=user),
        status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED],
    )
    return mine.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(status=ClockStatus.RUNNING, due_at__lte=now)),
        warned=Count(
            "id", filter=Q(status=ClockStatus.RUNNING, due_at__gt=now, warned_at__isnull=False)
        ),
    )
