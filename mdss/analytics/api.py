"""/api/v1/analytics: the statistics pages' figures, with the same filters and from
the same selectors, so a figure here equals the one on the page. A role that may not
see them is 403, a bad filter 422 naming the parameter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Query, Router, Schema

from mdss.core.api import ErrorOut
from mdss.core.dates import local_today

from . import cache, selectors
from .filters import AnalyticsFilterForm, build
from .forms import BridgeForm
from .permissions import require

router = Router(tags=["analytics"])
ERRORS = {403: ErrorOut, 422: ErrorOut}


class FilterIn(Schema):
    start: date | None = None
    end: date | None = None
    grain: str | None = None
    province: int | None = None
    customer_kind: str | None = None
    customer_grade: str | None = None
    category: str | None = None
    rep: int | None = None
    model: int | None = None
    engineer: int | None = None
    kind: str | None = None
    channel: str | None = None


class PeriodOut(Schema):
    start: date
    end: date


class SalesTotalsOut(Schema):
    amount: Decimal
    quantity: int
    customers: int
    before: PeriodOut
    before_amount: Decimal
    last_year: PeriodOut
    last_year_amount: Decimal
    mom: float | None
    yoy: float | None


class SalesTrendOut(Schema):
    start: date
    label: str
    amount: Decimal
    quantity: int
    last_year: Decimal
    mom: float | None
    yoy: float | None


class SalesRowOut(Schema):
    key: int | str | None
    label: str
    amount: Decimal
    quantity: int
    share: float | None


class SalesOut(Schema):
    period: PeriodOut
    totals: SalesTotalsOut
    trend: list[SalesTrendOut]
    by_province: list[SalesRowOut]
    by_customer_kind: list[SalesRowOut]
    by_customer_grade: list[SalesRowOut]
    by_category: list[SalesRowOut]
    by_model: list[SalesRowOut]
    by_customer: list[SalesRowOut]
    by_rep: list[SalesRowOut]


def _filters(params: FilterIn):
    values = AnalyticsFilterForm.from_api(params.dict())
    return build(values, local_today())


@router.get("/sales", response={200: SalesOut, **ERRORS}, summary="Sales statistics (D1)")
def sales(request, params: Query[FilterIn]):
    require(request.auth, "sales")
    f = _filters(params)
    data = cache.sales_figures(request.auth, f)
    return {
        "period": f.period,
        "totals": data["totals"],
        "trend": data["trend"],
        **{f"by_{d}": rows for d, rows in data["by"].items()},
    }


class BridgeIn(FilterIn):
    base_start: date | None = None
    base_end: date | None = None
    current_start: date | None = None
    current_end: date | None = None


class BridgeLineOut(Schema):
    base: Decimal
    current: Decimal
    change: Decimal
    change_percent: float | None
    new: Decimal
    lost: Decimal
    volume: Decimal
    price: Decimal


class BridgeRowOut(BridgeLineOut):
    key: int | str | None
    label: str


class FlagOut(BridgeRowOut):
    trend: str


class BridgeOut(Schema):
    base: PeriodOut
    current: PeriodOut
    total: BridgeLineOut
    new_customers: int
    lost_customers: int
    province: list[BridgeRowOut]
    customer_kind: list[BridgeRowOut]
    category: list[BridgeRowOut]
    rep: list[BridgeRowOut]
    customers_up: list[BridgeRowOut]
    customers_down: list[BridgeRowOut]
    flags: list[FlagOut]


@router.get("/bridge", response={200: BridgeOut, **ERRORS}, summary="Why sales changed (D2)")
def bridge(request, params: Query[BridgeIn]):
    require(request.auth, "sales")
    data = params.dict()
    periods = {k: data.pop(k) for k in ("base_start", "base_end", "current_start", "current_end")}
    f = _filters(FilterIn(**data))
    form = BridgeForm({k: v for k, v in periods.items() if v}, today=local_today())
    if not form.is_valid():
        from mdss.core.errors import FieldError, ValidationFailed

        raise ValidationFailed(
            errors=[
                FieldError(field, error.code or "invalid", message)
                for field, errors in form.errors.as_data().items()
                for error in errors
                for message in error.messages
            ]
        )
    base, current = form.periods()
    return cache.bridge_figures(request.auth, f, base, current)


class TimeOut(Schema):
    n: int
    median: float | None
    p90: float | None


class TimesOut(Schema):
    contact_minutes: TimeOut
    onsite_minutes: TimeOut
    completion_minutes: TimeOut
    parts_minutes: TimeOut


class QualityOut(Schema):
    requests: int
    completed: int
    first_time_fix: float | None
    rating: float | None
    satisfied: float | None
    rated: int
    sla: float | None
    contact_sla: float | None
    onsite_sla: float | None
    followup_sla: float | None


class SummaryOut(QualityOut):
    times: TimesOut


class QualityRowOut(QualityOut):
    key: int | str | None
    label: str
    short: list[str]


class TrendOut(Schema):
    start: date
    label: str
    figures: QualityOut | None


class ShortfallsOut(Schema):
    province: list[QualityRowOut]
    model: list[QualityRowOut]
    engineer: list[QualityRowOut]


class ServiceOut(Schema):
    period: PeriodOut
    summary: SummaryOut
    trend: list[TrendOut]
    by_kind: list[QualityRowOut]
    by_channel: list[QualityRowOut]
    by_model: list[QualityRowOut]
    by_province: list[QualityRowOut]
    shortfalls: ShortfallsOut


@router.get("/service", response={200: ServiceOut, **ERRORS}, summary="Service statistics (D3)")
def service(request, params: Query[FilterIn]):
    require(request.auth, "service")
    f = _filters(params)
    data = cache.service_figures(request.auth, f)
    return {
        "period": f.period,
        "summary": data["summary"],
        "trend": data["trend"],
        **{f"by_{d}": rows for d, rows in data["by"].items()},
        "shortfalls": data["shortfalls"],
    }


class ComplaintCategoryOut(Schema):
    key: str
    label: str
    total: int
    by_severity: dict[str, int]


class ComplaintTrendOut(Schema):
    label: str
    count: int


class ComplaintsOut(Schema):
    period: PeriodOut
    total: int
    major: int
    by_category: list[ComplaintCategoryOut]
    trend: list[ComplaintTrendOut]


@router.get(
    "/complaints", response={200: ComplaintsOut, **ERRORS}, summary="Complaint statistics (D3)"
)
def complaints(request, params: Query[FilterIn]):
    require(request.auth, "service")
    f = _filters(params)
    figures = selectors.complaint_figures(request.auth, f)
    figures.pop("severities")
    figures.pop("grid")
    return {"period": f.period, **figures}


class ResourceOut(Schema):
    key: int | None
    label: str
    requests: int
    visits: int
    hours_on_site: float
    hours_travel: float
    visits_per_month: float
    engineers: int
    top_model: str
    qualified: int | None
    workload: float
    queue: int
    suggested: int
    gap: int


class PartDemandOut(Schema):
    province: str
    province_id: int | None
    part: str
    part_id: int
    quantity: int
    mean_daily: float
    reorder_point: int
    target_level: int


class ResourcesOut(Schema):
    period: PeriodOut
    provinces: list[ResourceOut]
    parts: list[PartDemandOut]


@router.get(
    "/resources", response={200: ResourcesOut, **ERRORS}, summary="Engineers and parts (D4)"
)
def resources(request, params: Query[FilterIn]):
    require(request.auth, "resources")
    f = _filters(params)
    data = cache.resource_figures(request.auth, f, local_today())
    return {"period": f.period, "provinces": data["rows"], "parts": data["parts"]}
