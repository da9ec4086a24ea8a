"""/api/v1/quality: product feedback, incidents and CAPA, suspected adverse events,
recalls and the trace. Lists page; one POST per transition, each calling one service.
Out of scope is 404, a role that may not act 403, a state that does not allow it 409,
bad input 422 naming the field. Creating POSTs honour ``Idempotency-Key``."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.errors import ValidationFailed

from . import selectors, services
from .choices import (
    AeOutcome,
    AeStatus,
    AuditStatus,
    AuditStrata,
    CapaKind,
    FeedbackSource,
    FeedbackStatus,
    IncidentSource,
    IncidentStatus,
    NoticeChannel,
    RecallLevel,
    RecallStatus,
    SendMethod,
    Sex,
)
from .choices import QualityAction as A
from .permissions import (
    AE_STATE_ACTIONS,
    FEEDBACK_STATE_ACTIONS,
    RECALL_STATE_ACTIONS,
    actions_for,
    incident_actions_for,
    require_reader,
    require_role,
)

router = Router(tags=["quality"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
LIST_ERRORS = {403: ErrorOut, 422: ErrorOut}


def _status(value: str, choices) -> str:
    if value and value != "open" and value not in choices.values:
        raise ValidationFailed.single("status", "invalid_choice", "Not a status of this list.")
    return value


def _ref(model, pk, field):
    return referenced(model, pk, field) if pk else None


# Product feedback ------------------------------------------------------------------


class QualityFeedbackOut(Schema):
    id: int
    number: str
    source: str
    status: str
    received_on: date
    model_id: int
    di: str
    lot: str
    serial: str
    device_id: int | None
    customer_id: int | None
    service_request_id: int | None
    complaint_id: int | None
    description: str
    due_at: datetime | None
    sent_at: datetime | None
    sent_method: str
    sent_to: str
    manufacturer_reference: str
    answered_at: datetime | None
    manufacturer_answer: str
    manufacturer_action: str
    closed_at: datetime | None
    close_note: str
    allowed_actions: list[str] = []


class QualityFeedbackIn(Schema):
    source: FeedbackSource = FeedbackSource.CUSTOMER
    model_id: int
    description: str = Field(max_length=4000)
    received_on: date | None = None
    lot: str = Field("", max_length=100)
    serial: str = Field("", max_length=100)
    di: str = Field("", max_length=50)
    device_id: int | None = None
    customer_id: int | None = None
    complaint_id: int | None = None


class QualitySendIn(Schema):
    method: SendMethod
    sent_to: str = Field(max_length=200)
    reference: str = Field("", max_length=100)


class QualityAnswerIn(Schema):
    answer: str = Field(max_length=4000)
    action: str = Field(max_length=4000)


class QualityNoteIn(Schema):
    note: str = Field("", max_length=2000)


class QualityTrendMonthOut(Schema):
    month: date
    count: int
    per_100: float | None


class QualityTrendOut(Schema):
    series: list[QualityTrendMonthOut]
    installed: int
    window_days: int
    threshold: int
    window_count: int | None
    alert: bool


def _feedback(request, pk: int):
    it = selectors.feedback_get_for_user(request.user, pk)
    it.allowed_actions = actions_for(request.user, it, FEEDBACK_STATE_ACTIONS)
    return it


@router.get("/feedback", response={200: list[QualityFeedbackOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def feedback_list(
    request,
    status: str = "",
    search: str = Query("", max_length=100),
    lot: str = Query("", max_length=100),
):
    """Product feedback, newest first (``status``: ``open`` or one state)."""
    return selectors.feedback_for_user(
        request.user, status=_status(status, FeedbackStatus), q=search, lot=lot
    )


@router.post(
    "/feedback", response={201: QualityFeedbackOut, **ERRORS}, summary="Record product feedback"
)
def feedback_create(request, payload: QualityFeedbackIn):
    from mdss.catalog.models import ProductModel
    from mdss.complaints.models import Complaint
    from mdss.customers.models import Customer
    from mdss.devices.models import InstalledDevice

    require_role(request.user, A.FEEDBACK_CREATE)
    data = payload.dict()
    it = services.feedback_create(
        actor=request.user,
        model=referenced(ProductModel, data.pop("model_id"), "model_id"),
        device=_ref(InstalledDevice, data.pop("device_id"), "device_id"),
        customer=_ref(Customer, data.pop("customer_id"), "customer_id"),
        complaint=_ref(Complaint, data.pop("complaint_id"), "complaint_id"),
        **data,
    )
    return Status(201, _feedback(request, it.pk))


@router.get("/feedback/trend", response={200: QualityTrendOut, **ERRORS})
def feedback_trend(
    request,
    model_id: int | None = Query(None, ge=1, le=2**31),
    lot: str | None = Query(None, max_length=100),
    months: int = Query(12, ge=1, le=36),
):
    """Reports per month on a model (or one lot) and per 100 units in service."""
    from mdss.catalog.models import ProductModel
    from mdss.core.dates import local_today

    require_reader(request.user)  # before the parameters are judged
    if model_id is None:
        raise ValidationFailed.single("model_id", "required", "Which model?")
    model = referenced(ProductModel, model_id, "model_id")
    return selectors.feedback_trend(model, lot=lot, today=local_today(), months=months)


@router.get("/feedback/{int:feedback_id}", response={200: QualityFeedbackOut, **ERRORS})
def feedback_detail(request, feedback_id: int):
    return _feedback(request, feedback_id)


@router.post("/feedback/{int:feedback_id}/send", response={200: QualityFeedbackOut, **ERRORS})
def feedback_send(request, feedback_id: int, payload: QualitySendIn):
    it = selectors.feedback_get_for_user(request.user, feedback_id)
    services.feedback_send(actor=request.user, feedback=it, **payload.dict())
    return _feedback(request, feedback_id)


@router.post("/feedback/{int:feedback_id}/answer", response={200: QualityFeedbackOut, **ERRORS})
def feedback_answer(request, feedback_id: int, payload: QualityAnswerIn):
    it = selectors.feedback_get_for_user(request.user, feedback_id)
    services.feedback_answer(actor=request.user, feedback=it, **payload.dict())
    return _feedback(request, feedback_id)


@router.post("/feedback/{int:feedback_id}/close", response={200: QualityFeedbackOut, **ERRORS})
def feedback_close(request, feedback_id: int, payload: QualityNoteIn):
    it = selectors.feedback_get_for_user(request.user, feedback_id)
    services.feedback_close(actor=request.user, feedback=it, note=payload.note)
    return _feedback(request, feedback_id)


# Incidents and CAPA --------------------------------------------------------------


class QualityCapaOut(Schema):
    id: int
    incident_id: int
    kind: str
    description: str
    owner_id: int
    due_at: datetime | None
    done_at: datetime | None
    result: str
    round: int


class QualityIncidentOut(Schema):
    id: int
    number: str
    source: str
    status: str
    title: str
    description: str
    impact: str
    occurred_on: date
    model_id: int | None
    lot: str
    feedback_id: int | None
    complaint_id: int | None
    service_request_id: int | None
    owner_id: int | None
    due_at: datetime | None
    containment: str
    contained_at: datetime | None
    whys: list[str]
    fishbone: dict[str, str]
    root_cause: str
    verification_round: int
    verify_after: date | None
    verification: str
    verified_at: datetime | None
    lessons: str
    closed_at: datetime | None
    signature_id: int | None
    actions: list[QualityCapaOut] = []
    allowed_actions: list[str] = []

    @staticmethod
    def resolve_actions(obj):
        rows = getattr(obj, "action_rows", None)
        return rows if rows is not None else list(obj.actions.all())


class QualityIncidentIn(Schema):
    source: IncidentSource
    title: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    impact: str = Field("", max_length=2000)
    occurred_on: date
    model_id: int | None = None
    lot: str = Field("", max_length=100)
    feedback_id: int | None = None
    complaint_id: int | None = None
    service_request_id: int | None = None


class QualityContainIn(Schema):
    containment: str = Field(max_length=2000)


class QualityAnalysisIn(Schema):
    whys: list[str] = Field(max_length=5)
    fishbone: dict[str, str] = {}
    root_cause: str = Field(max_length=2000)


class QualityCapaIn(Schema):
    kind: CapaKind
    description: str = Field(max_length=2000)
    assignee_id: int


class QualityVerifyIn(Schema):
    effective: bool
    evidence: str = Field(max_length=2000)


class QualityCloseIn(Schema):
    password: str = Field(max_length=200)
    lessons: str = Field(max_length=4000)


class QualityResultIn(Schema):
    result: str = Field(max_length=2000)


def _incident(request, pk: int):
    it = selectors.incident_get_for_user(request.user, pk)
    it.allowed_actions = incident_actions_for(request.user, it, it.action_rows)
    return it


@router.get("/incidents", response={200: list[QualityIncidentOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def incident_list(request, status: str = "", search: str = Query("", max_length=100)):
    """Incidents, newest first; ``search`` also looks in root causes and lessons."""
    return selectors.incidents_for_user(
        request.user, status=_status(status, IncidentStatus), q=search
    )


@router.post("/incidents", response={201: QualityIncidentOut, **ERRORS}, summary="Open an incident")
def incident_create(request, payload: QualityIncidentIn):
    from mdss.catalog.models import ProductModel
    from mdss.complaints.models import Complaint
    from mdss.service.models import ServiceRequest

    from .models import ProductFeedback

    require_role(request.user, A.INCIDENT_CREATE)
    data = payload.dict()
    it = services.incident_create(
        actor=request.user,
        model=_ref(ProductModel, data.pop("model_id"), "model_id"),
        feedback=_ref(ProductFeedback, data.pop("feedback_id"), "feedback_id"),
        complaint=_ref(Complaint, data.pop("complaint_id"), "complaint_id"),
        service_request=_ref(ServiceRequest, data.pop("service_request_id"), "service_request_id"),
        **data,
    )
    return Status(201, _incident(request, it.pk))


@router.get("/incidents/{int:incident_id}", response={200: QualityIncidentOut, **ERRORS})
def incident_detail(request, incident_id: int):
    return _incident(request, incident_id)


@router.post("/incidents/{int:incident_id}/contain", response={200: QualityIncidentOut, **ERRORS})
def incident_contain(request, incident_id: int, payload: QualityContainIn):
    it = selectors.incident_get_for_user(request.user, incident_id)
    services.incident_contain(actor=request.user, incident=it, containment=payload.containment)
    return _incident(request, incident_id)


@router.post("/incidents/{int:incident_id}/analyse", response={200: QualityIncidentOut, **ERRORS})
def incident_analyse(request, incident_id: int, payload: QualityAnalysisIn):
    it = selectors.incident_get_for_user(request.user, incident_id)
    services.incident_analyse(actor=request.user, incident=it, **payload.dict())
    return _incident(request, incident_id)


@router.post("/incidents/{int:incident_id}/actions", response={201: QualityCapaOut, **ERRORS})
def capa_add(request, incident_id: int, payload: QualityCapaIn):
    from mdss.accounts.models import User

    it = selectors.incident_get_for_user(request.user, incident_id)
    require_role(request.user, A.CAPA_ADD)
    action = services.capa_add(
        actor=request.user,
        incident=it,
        kind=payload.kind,
        description=payload.description,
        owner=referenced(User, payload.assignee_id, "assignee_id"),
    )
    return Status(201, action)


@router.post("/incidents/{int:incident_id}/verify", response={200: QualityIncidentOut, **ERRORS})
def incident_verify(request, incident_id: int, payload: QualityVerifyIn):
    it = selectors.incident_get_for_user(request.user, incident_id)
    services.incident_verify(actor=request.user, incident=it, **payload.dict())
    return _incident(request, incident_id)


@router.post("/incidents/{int:incident_id}/close", response={200: QualityIncidentOut, **ERRORS})
def incident_close(request, incident_id: int, payload: QualityCloseIn):
    it = selectors.incident_get_for_user(request.user, incident_id)
    services.incident_close(actor=request.user, incident=it, **payload.dict())
    return _incident(request, incident_id)


@router.get("/capa", response={200: list[QualityCapaOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def capa_list(request):
    """The caller's open actions, by deadline."""
    require_reader(request.user)
    return selectors.capa_for_owner(request.user)


@router.post("/capa/{int:action_id}/done", response={200: QualityCapaOut, **ERRORS})
def capa_done(request, action_id: int, payload: QualityResultIn):
    action = selectors.capa_get_for_user(request.user, action_id)
    services.capa_done(actor=request.user, action=action, result=payload.result)
    action.refresh_from_db()
    return action


# Suspected adverse events ----------------------------------------------------------


class QualityAeNoticeOut(Schema):
    notified_at: datetime
    method: str
    reference: str


class QualityAeOut(Schema):
    id: int
    number: str
    status: str
    complaint_id: int | None
    service_request_id: int | None
    reporter_name: str
    reporter_org: str
    reporter_phone: str
    patient_age: int | None
    patient_sex: str
    event_on: date
    aware_at: datetime
    outcome: str
    cluster: bool
    model_id: int | None
    device_id: int | None
    registration_number: str
    udi: str
    lot: str
    serial: str
    narrative: str
    preliminary_cause: str
    due_at: datetime | None
    submitted_on: date | None
    receipt_number: str
    closed_at: datetime | None
    close_note: str
    notices: list[QualityAeNoticeOut] = []
    allowed_actions: list[str] = []

    @staticmethod
    def resolve_notices(obj):
        return list(obj.notices.all())


class QualityAeIn(Schema):
    reporter_name: str = Field(max_length=100)
    reporter_org: str = Field("", max_length=200)
    reporter_phone: str = Field("", max_length=30)
    patient_age: int | None = Field(None, ge=0, le=150)
    patient_sex: Sex = Sex.UNKNOWN
    event_on: date
    aware_at: datetime
    outcome: AeOutcome
    cluster: bool = False
    model_id: int | None = None
    device_id: int | None = None
    udi: str = Field("", max_length=200)
    lot: str = Field("", max_length=100)
    serial: str = Field("", max_length=100)
    narrative: str = Field(max_length=4000)
    preliminary_cause: str = Field("", max_length=2000)
    complaint_id: int | None = None
    service_request_id: int | None = None


class QualityAeNotifyIn(Schema):
    notified_at: datetime
    method: SendMethod
    reference: str = Field("", max_length=100)


class QualityAeSubmitIn(Schema):
    submitted_on: date
    receipt_number: str = Field(max_length=100)


def _ae(request, pk: int):
    it = selectors.adverse_event_get_for_user(request.user, pk)
    it.allowed_actions = actions_for(request.user, it, AE_STATE_ACTIONS)
    return it


@router.get("/adverse-events", response={200: list[QualityAeOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def ae_list(request, status: str = ""):
    """Suspected adverse events, open ones first by their statutory deadline."""
    return selectors.adverse_events_for_user(request.user, status=_status(status, AeStatus))


@router.post(
    "/adverse-events",
    response={201: QualityAeOut, **ERRORS},
    summary="Report a suspected adverse event",
)
def ae_create(request, payload: QualityAeIn):
    from mdss.catalog.models import ProductModel
    from mdss.complaints.models import Complaint
    from mdss.devices.models import InstalledDevice
    from mdss.service.models import ServiceRequest

    require_role(request.user, A.AE_CREATE)
    data = payload.dict()
    it = services.ae_create(
        actor=request.user,
        model=_ref(ProductModel, data.pop("model_id"), "model_id"),
        device=_ref(InstalledDevice, data.pop("device_id"), "device_id"),
        complaint=_ref(Complaint, data.pop("complaint_id"), "complaint_id"),
        service_request=_ref(ServiceRequest, data.pop("service_request_id"), "service_request_id"),
        **data,
    )
    return Status(201, _ae(request, it.pk))


@router.get("/adverse-events/{int:event_id}", response={200: QualityAeOut, **ERRORS})
def ae_detail(request, event_id: int):
    return _ae(request, event_id)


@router.post(
    "/adverse-events/{int:event_id}/notify-manufacturer", response={200: QualityAeOut, **ERRORS}
)
def ae_notify(request, event_id: int, payload: QualityAeNotifyIn):
    it = selectors.adverse_event_get_for_user(request.user, event_id)
    services.ae_notify_manufacturer(actor=request.user, event=it, **payload.dict())
    return _ae(request, event_id)


@router.post("/adverse-events/{int:event_id}/submit", response={200: QualityAeOut, **ERRORS})
def ae_submit(request, event_id: int, payload: QualityAeSubmitIn):
    it = selectors.adverse_event_get_for_user(request.user, event_id)
    services.ae_submit(actor=request.user, event=it, **payload.dict())
    return _ae(request, event_id)


@router.post("/adverse-events/{int:event_id}/close", response={200: QualityAeOut, **ERRORS})
def ae_close(request, event_id: int, payload: QualityNoteIn):
    it = selectors.adverse_event_get_for_user(request.user, event_id)
    services.ae_close(actor=request.user, event=it, note=payload.note)
    return _ae(request, event_id)


# Recalls ---------------------------------------------------------------------------


class QualityRecallOut(Schema):
    id: int
    number: str
    level: str
    status: str
    model_id: int
    lots: list[str]
    serials: list[str]
    manufacturer_notice: str
    notice_on: date
    reason: str
    action: str
    activated_at: datetime | None
    closed_at: datetime | None
    close_note: str
    progress: dict[str, int] = {}
    allowed_actions: list[str] = []


class QualityRecallIn(Schema):
    level: RecallLevel
    model_id: int
    lots: list[str] = Field([], max_length=1000)
    serials: list[str] = Field([], max_length=1000)
    manufacturer_notice: str = Field(max_length=100)
    notice_on: date
    reason: str = Field(max_length=4000)
    action: str = Field(max_length=2000)


class QualityRecallNoticeOut(Schema):
    id: int
    customer_id: int
    channel: str
    sent_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str


class QualityRecallNoticeIn(Schema):
    customer_id: int
    channel: NoticeChannel
    sent_at: datetime
    note: str = Field("", max_length=300)


class QualityAckIn(Schema):
    acknowledged_by: str = Field(max_length=100)


class QualityPlanIn(Schema):
    due_on: date


class QualityPlannedOut(Schema):
    requests: list[str]


def _recall(request, pk: int):
    it = selectors.recall_get_for_user(request.user, pk)
    it.progress = services.recall_progress(it)
    it.allowed_actions = actions_for(request.user, it, RECALL_STATE_ACTIONS)
    return it


@router.get("/recalls", response={200: list[QualityRecallOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def recall_list(request, status: str = ""):
    if status and status not in RecallStatus.values:
        raise ValidationFailed.single("status", "invalid_choice", "Not a status of this list.")
    return selectors.recalls_for_user(request.user, status=status)


@router.post("/recalls", response={201: QualityRecallOut, **ERRORS}, summary="Record a recall")
def recall_create(request, payload: QualityRecallIn):
    from mdss.catalog.models import ProductModel

    require_role(request.user, A.RECALL_CREATE)
    data = payload.dict()
    it = services.recall_create(
        actor=request.user, model=referenced(ProductModel, data.pop("model_id"), "model_id"), **data
    )
    return Status(201, _recall(request, it.pk))


@router.get("/recalls/{int:recall_id}", response={200: QualityRecallOut, **ERRORS})
def recall_detail(request, recall_id: int):
    return _recall(request, recall_id)


@router.post("/recalls/{int:recall_id}/activate", response={200: QualityRecallOut, **ERRORS})
def recall_activate(request, recall_id: int):
    it = selectors.recall_get_for_user(request.user, recall_id)
    services.recall_activate(actor=request.user, recall=it)
    return _recall(request, recall_id)


@router.post("/recalls/{int:recall_id}/notices", response={201: QualityRecallNoticeOut, **ERRORS})
def recall_notice(request, recall_id: int, payload: QualityRecallNoticeIn):
    from mdss.customers.models import Customer

    it = selectors.recall_get_for_user(request.user, recall_id)
    require_role(request.user, A.RECALL_NOTICE)
    data = payload.dict()
    notice = services.recall_notice(
        actor=request.user,
        recall=it,
        customer=referenced(Customer, data.pop("customer_id"), "customer_id"),
        **data,
    )
    return Status(201, notice)


@router.post(
    "/recalls/{int:recall_id}/notices/{int:notice_id}/acknowledge",
    response={200: QualityRecallNoticeOut, **ERRORS},
)
def recall_acknowledge(request, recall_id: int, notice_id: int, payload: QualityAckIn):
    it = selectors.recall_get_for_user(request.user, recall_id)
    notice = selectors.recall_notice_get(it, notice_id)
    return services.recall_acknowledge(
        actor=request.user, notice=notice, acknowledged_by=payload.acknowledged_by
    )


@router.post("/recalls/{int:recall_id}/plan-actions", response={200: QualityPlannedOut, **ERRORS})
def recall_plan(request, recall_id: int, payload: QualityPlanIn):
    it = selectors.recall_get_for_user(request.user, recall_id)
    created = services.recall_plan_action(actor=request.user, recall=it, due_on=payload.due_on)
    return {"requests": [r.number for r in created]}


@router.post("/recalls/{int:recall_id}/close", response={200: QualityRecallOut, **ERRORS})
def recall_close(request, recall_id: int, payload: QualityNoteIn):
    it = selectors.recall_get_for_user(request.user, recall_id)
    services.recall_close(actor=request.user, recall=it, note=payload.note)
    return _recall(request, recall_id)


# Trace -----------------------------------------------------------------------------


class QualityTraceUnitOut(Schema):
    id: int
    serial: str
    lot: str
    di: str
    site: str
    status: str
    delivered_on: date | None
    model_id: int
    model: str
    customer_id: int
    customer: str
    delivery_id: int | None
    delivery: str
    contract_id: int | None
    contract: str


class QualityTraceCustomerOut(Schema):
    id: int
    name: str
    units: int
    sites: list[str]


class QualityTraceStockOut(Schema):
    part_id: int
    part: str
    warehouse: str
    location: str
    quarantine: bool
    lot: str
    quantity: int


class QualityTraceOut(Schema):
    unit_count: int
    truncated: bool
    devices: list[QualityTraceUnitOut]
    customers: list[QualityTraceCustomerOut]
    stock: list[QualityTraceStockOut]


@router.get("/trace", response={200: QualityTraceOut, **LIST_ERRORS})
def trace(
    request,
    udi: str = Query("", max_length=200),
    di: str = Query("", max_length=50),
    model_id: int | None = Query(None, ge=1, le=2**31),
    lot: str = Query("", max_length=100),
    serial: str = Query("", max_length=100),
):
    """Every unit, customer, site, delivery, contract and stock location a UDI, a
    UDI-DI, a model, a lot or a serial reaches."""
    return selectors.trace(request.user, udi=udi, di=di, model_id=model_id, lot=lot, serial=serial)


# Service-quality evaluations (Q4) ----------------------------------------------


class QualityEvaluationOut(Schema):
    id: int
    engineer_id: int
    engineer: str
    period_start: date
    period_end: date
    figures: dict
    attitude: float | None
    quality: float | None
    efficiency: float | None
    overall: float | None
    computed_at: datetime
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    review: str

    @staticmethod
    def resolve_engineer(obj):
        return obj.engineer.full_name or obj.engineer.username


class QualityPeriodIn(Schema):
    period_start: date
    period_end: date


class QualityReviewIn(Schema):
    comment: str = Field(max_length=2000)


@router.get("/evaluations", response={200: list[QualityEvaluationOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def evaluation_list(request, period_start: date | None = None, period_end: date | None = None):
    """Evaluations, newest period first and the best first within it; an engineer
    sees their own."""
    return selectors.evaluations_for_user(
        request.user, period_start=period_start, period_end=period_end
    )


@router.post("/evaluations/compute", response={200: list[QualityEvaluationOut], **ERRORS})
def evaluation_compute(request, payload: QualityPeriodIn):
    """Compute every engineer's evaluation for the period (reviewed ones are kept)."""
    services.evaluation_compute(actor=request.user, **payload.dict())
    return list(
        selectors.evaluations_for_user(request.user, **payload.dict()).filter(
            reviewed_at__isnull=True
        )
    )


@router.get("/evaluations/{int:evaluation_id}", response={200: QualityEvaluationOut, **ERRORS})
def evaluation_detail(request, evaluation_id: int):
    return selectors.evaluation_get_for_user(request.user, evaluation_id)


@router.post(
    "/evaluations/{int:evaluation_id}/review", response={200: QualityEvaluationOut, **ERRORS}
)
def evaluation_review(request, evaluation_id: int, payload: QualityReviewIn):
    it = selectors.evaluation_get_for_user(request.user, evaluation_id)
    services.evaluation_review(actor=request.user, evaluation=it, comment=payload.comment)
    return selectors.evaluation_get_for_user(request.user, evaluation_id)


# Service-record audits (Q5) --------------------------------------------------------


class QualityFindingOut(Schema):
    id: int
    item_id: int
    description: str
    owner_id: int
    due_on: date
    done_at: datetime | None
    result: str


class QualityAuditItemOut(Schema):
    id: int
    service_request_id: int
    stratum: str
    checks: dict[str, bool]
    note: str
    checked_at: datetime | None
    findings: list[QualityFindingOut] = []

    @staticmethod
    def resolve_findings(obj):
        return list(obj.findings.all())


class QualityAuditOut(Schema):
    id: int
    number: str
    status: str
    period_start: date
    period_end: date
    percent: int
    strata: str
    seed: int
    population: int
    auditor_id: int | None
    closed_at: datetime | None
    summary: str


class QualityAuditDetailOut(QualityAuditOut):
    items: list[QualityAuditItemOut]
    report: dict

    @staticmethod
    def resolve_items(obj):
        return obj.item_rows


class QualityAuditIn(Schema):
    period_start: date
    period_end: date
    strata: AuditStrata = AuditStrata.ENGINEER
    percent: int | None = Field(None, ge=1, le=100)
    seed: int | None = Field(None, ge=0, lt=2**53)


class QualityCheckIn(Schema):
    checks: dict[str, bool]
    note: str = Field("", max_length=2000)


class QualityFindingIn(Schema):
    description: str = Field(max_length=2000)
    assignee_id: int
    due_on: date


class QualitySummaryIn(Schema):
    summary: str = Field(max_length=4000)


def _audit(request, pk: int):
    it = selectors.audit_get_for_user(request.user, pk)
    it.report = services.audit_report(it)
    return it


@router.get("/audits", response={200: list[QualityAuditOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def audit_list(request, status: str = ""):
    if status and status not in AuditStatus.values:
        raise ValidationFailed.single("status", "invalid_choice", "Not a status of this list.")
    return selectors.audits_for_user(request.user, status=status)


@router.post(
    "/audits", response={201: QualityAuditDetailOut, **ERRORS}, summary="Plan a record audit"
)
def audit_create(request, payload: QualityAuditIn):
    it = services.audit_create(actor=request.user, **payload.dict())
    return Status(201, _audit(request, it.pk))


@router.get("/audits/{int:audit_id}", response={200: QualityAuditDetailOut, **ERRORS})
def audit_detail(request, audit_id: int):
    return _audit(request, audit_id)


@router.post(
    "/audits/{int:audit_id}/items/{int:item_id}/check",
    response={200: QualityAuditItemOut, **ERRORS},
)
def audit_check(request, audit_id: int, item_id: int, payload: QualityCheckIn):
    it = selectors.audit_get_for_user(request.user, audit_id)
    item = selectors.audit_item_get(it, item_id)
    return services.audit_check(actor=request.user, item=item, **payload.dict())


@router.post(
    "/audits/{int:audit_id}/items/{int:item_id}/findings",
    response={201: QualityFindingOut, **ERRORS},
)
def finding_add(request, audit_id: int, item_id: int, payload: QualityFindingIn):
    from mdss.accounts.models import User

    it = selectors.audit_get_for_user(request.user, audit_id)
    item = selectors.audit_item_get(it, item_id)
    require_role(request.user, A.FINDING_ADD)
    finding = services.finding_add(
        actor=request.user,
        item=item,
        description=payload.description,
        owner=referenced(User, payload.assignee_id, "assignee_id"),
        due_on=payload.due_on,
    )
    return Status(201, finding)


@router.post("/audits/{int:audit_id}/close", response={200: QualityAuditDetailOut, **ERRORS})
def audit_close(request, audit_id: int, payload: QualitySummaryIn):
    it = selectors.audit_get_for_user(request.user, audit_id)
    services.audit_close(actor=request.user, record_audit=it, summary=payload.summary)
    return _audit(request, audit_id)


@router.get("/findings", response={200: list[QualityFindingOut], **LIST_ERRORS})
@paginate(PageNumberPagination)
def finding_list(request):
    """The caller's open findings, by due date."""
    require_reader(request.user)
    return selectors.findings_for_owner(request.user)


@router.post("/findings/{int:finding_id}/done", response={200: QualityFindingOut, **ERRORS})
def finding_done(request, finding_id: int, payload: QualityResultIn):
    require_reader(request.user)
    finding = selectors.finding_get_for_user(request.user, finding_id)
    return services.finding_done(actor=request.user, finding=finding, result=payload.result)
