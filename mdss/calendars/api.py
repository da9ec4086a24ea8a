"""/api/v1/calendars: working-day arithmetic and the active policy."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Query, Router, Schema

from mdss.core.api import ErrorOut
from mdss.core.errors import ValidationFailed
from mdss.core.permissions import require_staff

from . import selectors

router = Router(tags=["calendars"])


class AddWorkingDaysIn(Schema):
    start: date
    days: int


class WorkingDateOut(Schema):
    date: date
    provisional: bool


class WorkingDayOut(WorkingDateOut):
    is_working_day: bool


class TargetOut(Schema):
    code: str
    name: str
    requirement: str
    starts_on: str
    stops_on: str
    duration: Decimal
    unit: str
    warn_percent: int


class CadenceOut(Schema):
    code: str
    name: str
    requirement: str
    period_months: int
    min_count: int


class PolicyOut(Schema):
    version: int
    activated_at: datetime | None
    note: str
    business_hours: str
    targets: list[TargetOut]
    cadences: list[CadenceOut]


class YearsOut(Schema):
    published_years: list[int]
    missing_next_year: int | None


@router.get(
    "/add-working-days",
    response={200: WorkingDateOut, 422: ErrorOut},
    summary="The N-th working day after a date (the start day is not counted)",
)
def add_working_days(request, params: Query[AddWorkingDaysIn]):
    if not 0 <= params.days <= 3660:
        raise ValidationFailed.single("days", "range", "days must be between 0 and 3660")
    result, provisional = selectors.work_calendar().add_working_days(params.start, params.days)
    return {"date": result, "provisional": provisional}


@router.get("/working-day", response=WorkingDayOut, summary="Whether a date is a working day")
def working_day(request, day: date):
    calendar = selectors.work_calendar()
    return {
        "date": day,
        "provisional": calendar.is_provisional(day, day),
        "is_working_day": calendar.is_working_day(day),
    }


@router.get("/years", response=YearsOut, summary="Years with a published calendar")
def years(request):
    return {
        "published_years": selectors.published_years(),
        "missing_next_year": selectors.calendar_missing_for(),
    }


@router.get(
    "/policy",
    response={200: PolicyOut, 403: ErrorOut},
    summary="The active policy and its SLA targets",
)
def policy(request):
    require_staff(request)
    active = selectors.active_policy()
    return {
        "version": active.number,
        "activated_at": active.activated_at,
        "note": active.note,
        "business_hours": active.business_hours,
        "targets": list(active.targets.all()),
        "cadences": list(active.cadences.all()),
    }
