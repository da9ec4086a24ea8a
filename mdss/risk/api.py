"""/api/v1/risk: the register (risks with their assessments, measures and reviews),
the measures, the signals and the matrix. Lists page; one POST per transition, each
calling one service. Out of scope is 404, a role that may not act 403, a state that
does not allow it 409, bad input 422 naming the field."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.errors import ValidationFailed

from . import selectors, services
from .choices import RiskAction as A
from .choices import (
    RiskAssessmentKind,
    RiskCategory,
    RiskMeasureType,
    RiskProcess,
    RiskSignalStatus,
    RiskSource,
    RiskStatus,
    RiskZone,
)
from .permissions import actions_for, require, require_reader

router = Router(tags=["risk"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
LIST_ERRORS = {403: ErrorOut, 422: ErrorOut}
Scale = Field(ge=1, le=5)


class RiskAssessmentOut(Schema):
    id: int
    kind: str
    likelihood: int
    impact: int
    score: int
    zone: str
    matrix_version: int = Field(alias="matrix.version")
    assessed_on: date
    assessed_by_id: int
    note: str


class RiskMeasureOut(Schema):
    id: int
    risk_id: int
    type: str
    description: str
    owner_id: int
    status: str
    due_at: datetime | None
    done_at: datetime | None
    result: str
    capa_id: int | None


class RiskReviewOut(Schema):
    id: int
    reviewed_on: date
    reviewer_id: int
    was_due_on: date | None
    measures_done: bool
    effective: bool
    note: str
    next_review_on: date


class RiskOut(Schema):
    id: int
    number: str
    category: str
    title: str
    description: str
    cause: str
    consequence: str
    owner_id: int
    source: str
    process: str
    model_id: int | None
    region_id: int | None
    status: str
    likelihood: int | None
    impact: int | None
    score: int | None
    zone: str
    next_review_on: date | None
    allowed_actions: list[str] = []


class RiskDetailOut(RiskOut):
    assessments: list[RiskAssessmentOut]
    measures: list[RiskMeasureOut]
    reviews: list[RiskReviewOut]

    @staticmethod
    def resolve_assessments(obj):
        return obj.assessment_rows

    @staticmethod
    def resolve_measures(obj):
        return obj.measure_rows

    @staticmethod
    def resolve_reviews(obj):
        return obj.review_rows


class RiskIn(Schema):
    category: RiskCategory
    title: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    cause: str = Field(max_length=2000)
    consequence: str = Field(max_length=2000)
    owner_id: int
    source: RiskSource
    process: RiskProcess | None = None
    model_id: int | None = None
    region_id: int | None = None
    likelihood: int = Scale
    impact: int = Scale
    note: str = Field("", max_length=2000)


class RiskAssessIn(Schema):
    likelihood: int = Scale
    impact: int = Scale
    note: str = Field(max_length=2000)
    kind: RiskAssessmentKind = RiskAssessmentKind.RESIDUAL


class RiskReviewIn(Schema):
    measures_done: bool
    effective: bool
    note: str = Field(max_length=2000)
    likelihood: int = Scale
    impact: int = Scale


class RiskMeasureIn(Schema):
    type: RiskMeasureType
    description: str = Field(max_length=2000)
    owner_id: int
    capa_id: int | None = None


class RiskResultIn(Schema):
    result: str = Field(max_length=2000)


class RiskReasonIn(Schema):
    reason: str = Field(max_length=2000)


def _risk(request, pk: int):
    it = selectors.risk_get_for_user(request.user, pk)
    it.allowed_actions = actions_for(request.user, it)
    return it


def _choice(name: str, value: str, choices) -> str:
    if value and value not in choices.values:
        raise ValidationFailed.single(name, "invalid_choice", "Not one of the choices.")
    return value


@router.get("/risks", response={200: list[RiskOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def risk_list(
    request,
    status: str = RiskStatus.OPEN,
    category: str = "",
    zone: str = "",
    search: str = Query("", max_length=100),
):
    """The register, the highest score first (``status``: open, closed or empty for
    both)."""
    return selectors.risks_for_user(
        request.user,
        status=_choice("status", status, RiskStatus),
        category=_choice("category", category, RiskCategory),
        zone=_choice("zone", zone, RiskZone),
        q=search,
    )


@router.post("/risks", response={201: RiskDetailOut, **ERRORS}, summary="Record a risk")
def risk_create(request, payload: RiskIn):
    from mdss.accounts.models import Region, User
    from mdss.catalog.models import ProductModel

    require(request.user, A.CREATE)
    data = payload.dict()
    model_id, region_id = data.pop("model_id"), data.pop("region_id")
    it = services.risk_create(
        actor=request.user,
        owner=referenced(User, data.pop("owner_id"), "owner_id"),
        model=referenced(ProductModel, model_id, "model_id") if model_id else None,
        region=referenced(Region, region_id, "region_id") if region_id else None,
        process=data.pop("process") or "",
        **data,
    )
    return Status(201, _risk(request, it.pk))


@router.get("/risks/{int:risk_id}", response={200: RiskDetailOut, **ERRORS})
def risk_detail(request, risk_id: int):
    return _risk(request, risk_id)


@router.post("/risks/{int:risk_id}/assess", response={200: RiskDetailOut, **ERRORS})
def risk_assess(request, risk_id: int, payload: RiskAssessIn):
    it = selectors.risk_get_for_user(request.user, risk_id)
    services.risk_assess(actor=request.user, risk=it, **payload.dict())
    return _risk(request, risk_id)


@router.post("/risks/{int:risk_id}/review", response={200: RiskDetailOut, **ERRORS})
def risk_review(request, risk_id: int, payload: RiskReviewIn):
    it = selectors.risk_get_for_user(request.user, risk_id)
    services.risk_review(actor=request.user, risk=it, **payload.dict())
    return _risk(request, risk_id)


@router.post("/risks/{int:risk_id}/measures", response={201: RiskMeasureOut, **ERRORS})
def measure_add(request, risk_id: int, payload: RiskMeasureIn):
    from mdss.accounts.models import User
    from mdss.quality.models import CapaAction

    it = selectors.risk_get_for_user(request.user, risk_id)
    require(request.user, A.MEASURE_ADD, it)
    measure = services.measure_add(
        actor=request.user,
        risk=it,
        type=payload.type,
        description=payload.description,
        owner=referenced(User, payload.owner_id, "owner_id"),
        capa=referenced(CapaAction, payload.capa_id, "capa_id") if payload.capa_id else None,
    )
    return Status(201, measure)


@router.post("/risks/{int:risk_id}/close", response={200: RiskDetailOut, **ERRORS})
def risk_close(request, risk_id: int, payload: RiskReasonIn):
    it = selectors.risk_get_for_user(request.user, risk_id)
    services.risk_close(actor=request.user, risk=it, reason=payload.reason)
    return _risk(request, risk_id)


@router.get("/measures", response={200: list[RiskMeasureOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def measure_list(request):
    """The caller's open measures, by deadline."""
    require_reader(request.user)
    return selectors.measures_for_owner(request.user)


@router.post("/measures/{int:measure_id}/done", response={200: RiskMeasureOut, **ERRORS})
def measure_done(request, measure_id: int, payload: RiskResultIn):
    measure = selectors.measure_get_for_user(request.user, measure_id)
    return services.measure_done(actor=request.user, measure=measure, result=payload.result)


class RiskSignalOut(Schema):
    id: int
    kind: str
    category: str
    title: str
    evidence: dict
    model_id: int | None
    region_id: int | None
    detected_on: date
    status: str
    risk_id: int | None
    decided_by_id: int | None
    decided_at: datetime | None
    reason: str


class RiskAcceptIn(Schema):
    likelihood: int = Scale
    impact: int = Scale
    note: str = Field("", max_length=2000)
    owner_id: int | None = None
    risk_id: int | None = None


@router.get("/signals", response={200: list[RiskSignalOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def signal_list(request, status: str = RiskSignalStatus.PROPOSED):
    """Signals from the data, newest first (``status``: proposed, accepted, dismissed
    or empty for all)."""
    return selectors.signals_for_user(
        request.user, status=_choice("status", status, RiskSignalStatus)
    )


@router.post("/signals/{int:signal_id}/accept", response={200: RiskSignalOut, **ERRORS})
def signal_accept(request, signal_id: int, payload: RiskAcceptIn):
    from mdss.accounts.models import User

    require(request.user, A.SIGNAL_DECIDE)
    signal = selectors.signal_get_for_user(request.user, signal_id)
    risk = selectors.risk_get_for_user(request.user, payload.risk_id) if payload.risk_id else None
    owner = referenced(User, payload.owner_id, "owner_id") if payload.owner_id else None
    if risk is None and owner is None:
        raise ValidationFailed.single("owner_id", "required", "A new risk needs an owner.")
    services.signal_accept(
        actor=request.user, signal=signal, likelihood=payload.likelihood,
        impact=payload.impact, note=payload.note, owner=owner, risk=risk,
    )  # fmt: skip
    return selectors.signal_get_for_user(request.user, signal_id)


@router.post("/signals/{int:signal_id}/dismiss", response={200: RiskSignalOut, **ERRORS})
def signal_dismiss(request, signal_id: int, payload: RiskReasonIn):
    require(request.user, A.SIGNAL_DECIDE)
    signal = selectors.signal_get_for_user(request.user, signal_id)
    return services.signal_dismiss(actor=request.user, signal=signal, reason=payload.reason)


class RiskMatrixOut(Schema):
    version: int
    zones: list[list[str]]
    note: str
    created_at: datetime
    created_by_id: int | None


class RiskMatrixIn(Schema):
    # Five rows of five zones: checked by the service (after the role), field by field.
    zones: list[list[str]] = Field(max_length=5)
    note: str = Field(max_length=2000)
    password: str = Field(max_length=200)


@router.get("/matrix", response={200: RiskMatrixOut, **ERRORS})
def matrix_get(request):
    """The matrix in force: ``zones[likelihood − 1][impact − 1]``."""
    require_reader(request.user)
    return services.matrix_in_force()


@router.post("/matrix", response={201: RiskMatrixOut, **ERRORS}, summary="Change the matrix")
def matrix_change(request, payload: RiskMatrixIn):
    require(request.user, A.MATRIX)
    return Status(
        201,
        services.matrix_change(
            actor=request.user,
            password=payload.password,
            zones=payload.zones,
            note=payload.note,
        ),
    )
