"""/api/v1/service: service requests with one POST per transition, the engineer's
jobs, the dispatch board and the improvement actions. Out of scope is 404, a role
that may not act 403, a state that does not allow it 409, bad input 422 naming the
field. Creating a request honours ``Idempotency-Key`` (a hotline system retrying
after a time-out gets the first answer back)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import BaseModel

from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied, ValidationFailed

from . import selectors, services
from .choices import Channel, ConfirmationMethod, Urgency
from .choices import ServiceAction as A
from .filters import RequestFilterForm
from .permissions import actions_for, may_read, require_action

router = Router(tags=["service"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied("Service requests are for service, quality, sales and management.")


class RequestOut(Schema):
    id: int
    number: str
    channel: str
    status: str
    urgency: str
    customer_id: int
    customer: str
    device_id: int | None
    reporter_name: str
    reporter_phone: str
    symptom: str
    reported_at: datetime
    engineer_id: int | None
    due_at: datetime | None
    triage: str
    resolution: str
    contacted_at: datetime | None
    dispatched_at: datetime | None
    completed_at: datetime | None
    confirmed_at: datetime | None
    followed_up_at: datetime | None
    closed_at: datetime | None
    under_warranty: bool
    quote_amount: Decimal | None
    reopens_id: int | None
    allowed_actions: list[str] = []

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.name


class ServiceVisitOut(Schema):
    id: int
    engineer_id: int
    checked_in_at: datetime
    checked_out_at: datetime | None
    fault_symptom: str
    fault_cause: str
    fault_code: str
    repair_method: str
    labour_minutes: int | None
    test_result: str
    recorded_at: datetime | None


class RequestDetailOut(RequestOut):
    guidance: str
    outcome: str
    cancel_reason: str
    visits: list[ServiceVisitOut]

    @staticmethod
    def resolve_visits(obj):
        if getattr(obj, "_state", None) is not None and obj.status == "new":
            return []  # a request not yet contacted has had no visit
        return list(obj.visits.all())


class RequestIn(Schema):
    customer_id: int
    device_id: int | None = None
    channel: Channel = Channel.API
    reporter_name: str = Field(max_length=100)
    reporter_phone: str = Field("", max_length=30)
    symptom: str = Field(max_length=2000)
    urgency: Urgency = Urgency.NORMAL
    reported_at: datetime | None = None


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class TriageIn(Schema):
    triage: str
    note: str = Field("", max_length=2000)


class ResolveIn(Schema):
    guidance: str = Field(max_length=4000)
    outcome: str = Field(max_length=2000)


class DispatchIn(Schema):
    engineer_id: int
    override_reason: str = Field("", max_length=2000)


class PartFittedIn(Schema):
    part_id: int
    quantity: int = 1
    new_lot_serial: str = Field("", max_length=100)
    removed_lot_serial: str = Field("", max_length=100)
    requisition_id: int | None = None


class RepairIn(Schema):
    fault_symptom: str = Field(max_length=2000)
    repair_method: str = Field(max_length=4000)
    fault_cause: str = Field("", max_length=2000)
    fault_code: str = Field("", max_length=30)
    inspection: str = Field("", max_length=4000)
    labour_minutes: int | None = None
    test_result: str = Field("", max_length=2000)
    suspected_defect: bool = False
    parts: list[PartFittedIn] = []


class PartsLineIn(Schema):
    part_id: int
    quantity: int


class PartsIn(Schema):
    warehouse_id: int
    lines: list[PartsLineIn]
    need_by: date
    to_location_id: int | None = None
    note: str = Field("", max_length=300)


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


class CompleteIn(Schema):
    outcome: str = Field("", max_length=2000)


class ConfirmIn(Schema):
    accepted: bool
    signer_name: str = Field(max_length=100)
    method: str = ConfirmationMethod.SIGNATURE
    signature_png_base64: str = Field("", max_length=500_000)
    reason: str = Field("", max_length=2000)


class FollowUpIn(Schema):
    attitude: int
    quality: int
    timeliness: int
    satisfied: bool
    contacted_person: str = Field(max_length=100)
    comments: str = Field("", max_length=2000)
    improvement: str = Field("", max_length=2000)
    improvement_owner_id: int | None = None
    improvement_due: date | None = None


class QuoteIn(Schema):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=2000)


class ImprovementOut(Schema):
    id: int
    request_id: int
    description: str
    owner_id: int
    due_on: date
    status: str
    result: str
    done_at: datetime | None


class ResultIn(Schema):
    result: str = Field(max_length=2000)


class EngineerOut(BaseModel):
    """Plain pydantic: the board's rows are dicts (selectors.board_rows)."""

    id: int
    name: str
    open_jobs: int
    jobs: list[str]


class WaitingOut(BaseModel):
    id: int
    number: str
    status: str
    urgency: str
    customer: str
    province: str
    model: str
    due_at: datetime | None


class BoardOut(BaseModel):
    waiting: list[WaitingOut]
    engineers: list[EngineerOut]


@router.get("/requests", response={200: list[RequestOut], 403: ErrorOut, 422: ErrorOut})
@paginate(PageNumberPagination)
def request_list(request, search: str = "", status: str = "", urgency: str = "", sort: str = ""):
    _require_reader(request)
    params = {"search": search, "status": status, "urgency": urgency, "sort": sort}
    return selectors.requests_for_user(request.user, **RequestFilterForm.from_api(params))


def _detail(request, request_id: int):
    it = selectors.request_get_for_user(request.user, request_id)
    it.allowed_actions = actions_for(request.user, it)
    return it


@router.get("/requests/{int:request_id}", response={200: RequestDetailOut, **ERRORS})
def request_detail(request, request_id: int):
    _require_reader(request)
    return _detail(request, request_id)


def _out(request, request_id: int):
    return request_detail(request, request_id)


@router.post("/requests", response={201: RequestDetailOut, **ERRORS}, summary="Log a request")
def request_create(request, payload: RequestIn):
    from mdss.customers.models import Customer
    from mdss.devices.models import InstalledDevice
    from mdss.devices.selectors import device_with_customer

    require_action(request.user, A.CREATE)  # before the ids are looked up
    device = device_with_customer(payload.device_id) if payload.device_id else None
    if device is not None and device.customer_id == payload.customer_id:
        customer = device.customer  # the usual call: one query finds both
    else:
        customer = referenced(Customer, payload.customer_id, "customer_id")
        if payload.device_id and device is None:
            device = referenced(InstalledDevice, payload.device_id, "device_id")  # 422
    it = services.request_create(
        actor=request.user,
        customer=customer,
        device=device,
        channel=payload.channel,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        symptom=payload.symptom,
        urgency=payload.urgency,
        reported_at=payload.reported_at,
    )
    # The row just written, as the service left it: no second read.
    it.allowed_actions = actions_for(request.user, it)
    return Status(201, it)


class InboundEmailIn(Schema):
    sender: str = Field(max_length=320)
    subject: str = Field("", max_length=500)
    body: str = Field("", max_length=100_000)
    received_at: datetime | None = None


@router.post(
    "/inbound-email",
    response={201: RequestDetailOut, **ERRORS},
    summary="A request from an e-mail (the mail gateway; Message-ID as Idempotency-Key)",
)
def inbound_email(request, payload: InboundEmailIn):
    it = services.request_from_email(actor=request.user, **payload.dict())
    return Status(201, _out(request, it.pk))


def _get(request, request_id: int, action: str):
    """The request in scope (404), then the role and the job (403)."""
    _require_reader(request)
    it = selectors.request_get_for_user(request.user, request_id)
    require_action(request.user, action, it)
    return it


@router.post("/requests/{int:request_id}/contact", response={200: RequestDetailOut, **ERRORS})
def request_contact(request, request_id: int, payload: NoteIn):
    it = _get(request, request_id, A.CONTACT)
    services.request_contact(actor=request.user, request=it, note=payload.note)
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/triage", response={200: RequestDetailOut, **ERRORS})
def request_triage(request, request_id: int, payload: TriageIn):
    it = _get(request, request_id, A.TRIAGE)
    services.request_triage(actor=request.user, request=it, **payload.dict())
    return _out(request, request_id)


@router.post(
    "/requests/{int:request_id}/resolve-by-phone", response={200: RequestDetailOut, **ERRORS}
)
def request_resolve_by_phone(request, request_id: int, payload: ResolveIn):
    it = _get(request, request_id, A.RESOLVE_BY_PHONE)
    services.request_resolve_by_phone(actor=request.user, request=it, **payload.dict())
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/dispatch", response={200: RequestDetailOut, **ERRORS})
def request_dispatch(request, request_id: int, payload: DispatchIn):
    from mdss.accounts.models import User

    it = _get(request, request_id, A.DISPATCH)
    services.request_dispatch(
        actor=request.user,
        request=it,
        engineer=referenced(User, payload.engineer_id, "engineer_id"),
        override_reason=payload.override_reason,
    )
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/check-in", response={200: RequestDetailOut, **ERRORS})
def request_check_in(request, request_id: int):
    it = _get(request, request_id, A.CHECK_IN)
    services.request_check_in(actor=request.user, request=it)
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/repair-record", response={200: RequestDetailOut, **ERRORS})
def request_repair_record(request, request_id: int, payload: RepairIn):
    from mdss.inventory.models import Part, Requisition

    it = _get(request, request_id, A.REPAIR_RECORD)
    data = payload.dict()
    parts = [
        services.PartFitted(
            part=referenced(Part, p.part_id, f"parts.{n}.part_id"),
            quantity=p.quantity,
            new_lot_serial=p.new_lot_serial,
            removed_lot_serial=p.removed_lot_serial,
            requisition=referenced(Requisition, p.requisition_id, f"parts.{n}.requisition_id")
            if p.requisition_id
            else None,
        )
        for n, p in enumerate(payload.parts, start=1)
    ]
    data["parts"] = parts
    services.request_repair_record(actor=request.user, request=it, **data)
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/parts", response={200: RequestDetailOut, **ERRORS})
def request_parts(request, request_id: int, payload: PartsIn):
    from mdss.inventory.models import Location, Part, Warehouse

    it = _get(request, request_id, A.REQUEST_PARTS)
    services.request_parts(
        actor=request.user,
        request=it,
        warehouse=referenced(Warehouse, payload.warehouse_id, "warehouse_id"),
        to_location=referenced(Location, payload.to_location_id, "to_location_id")
        if payload.to_location_id
        else None,
        lines=[
            (referenced(Part, line.part_id, f"lines.{n}.part_id"), line.quantity)
            for n, line in enumerate(payload.lines, start=1)
        ],
        need_by=payload.need_by,
        today=local_today(),
        note=payload.note,
    )
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/leave", response={200: RequestDetailOut, **ERRORS})
def request_leave(request, request_id: int, payload: ReasonIn):
    it = _get(request, request_id, A.LEAVE)
    services.request_leave(actor=request.user, request=it, reason=payload.reason)
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/complete", response={200: RequestDetailOut, **ERRORS})
def request_complete(request, request_id: int, payload: CompleteIn):
    it = _get(request, request_id, A.COMPLETE)
    services.request_complete(actor=request.user, request=it, outcome=payload.outcome)
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/confirm", response={200: RequestDetailOut, **ERRORS})
def request_confirm(request, request_id: int, payload: ConfirmIn):
    it = _get(request, request_id, A.CONFIRM)
    png = None
    if payload.signature_png_base64:
        try:
            png = base64.b64decode(payload.signature_png_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationFailed.single(
                "signature_png_base64", "base64", "The signature is not valid base64."
            ) from exc
    services.request_confirm(
        actor=request.user,
        request=it,
        accepted=payload.accepted,
        signer_name=payload.signer_name,
        method=payload.method,
        signature_png=png,
        reason=payload.reason,
    )
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/follow-up", response={200: RequestDetailOut, **ERRORS})
def request_follow_up(request, request_id: int, payload: FollowUpIn):
    from mdss.accounts.models import User

    it = _get(request, request_id, A.FOLLOW_UP)
    data = payload.dict()
    owner_id = data.pop("improvement_owner_id")
    services.request_follow_up(
        actor=request.user,
        request=it,
        improvement_owner=referenced(User, owner_id, "improvement_owner_id") if owner_id else None,
        **data,
    )
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/close", response={200: RequestDetailOut, **ERRORS})
def request_close(request, request_id: int):
    it = _get(request, request_id, A.CLOSE)
    services.request_close(actor=request.user, request=it)
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/reopen", response={201: RequestDetailOut, **ERRORS})
def request_reopen(request, request_id: int, payload: ReasonIn):
    it = _get(request, request_id, A.REOPEN)
    again = services.request_reopen(actor=request.user, request=it, reason=payload.reason)
    return Status(201, _out(request, again.pk))


@router.post("/requests/{int:request_id}/cancel", response={200: RequestDetailOut, **ERRORS})
def request_cancel(request, request_id: int, payload: ReasonIn):
    it = _get(request, request_id, A.CANCEL)
    services.request_cancel(actor=request.user, request=it, reason=payload.reason)
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/quote", response={200: RequestDetailOut, **ERRORS})
def request_quote(request, request_id: int, payload: QuoteIn):
    it = _get(request, request_id, A.QUOTE)
    services.request_quote(actor=request.user, request=it, amount=payload.amount, note=payload.note)
    return _out(request, request_id)


@router.get("/jobs", response={200: list[RequestOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def my_jobs(request):
    """My open jobs by urgency, then by the deadline that runs out first."""
    require_action(request.user, A.CHECK_IN)
    return selectors.my_jobs(request.user)


@router.get("/board", response={200: BoardOut, 403: ErrorOut})
def board(request, region: int | None = Query(None, ge=1, le=10**9)):
    """Requests waiting for an engineer (first 50 by urgency and deadline) and the
    engineers with their open jobs: in ``region`` (a province), else in the
    dispatcher's provinces, else everywhere."""
    require_action(request.user, A.DISPATCH)
    provinces = [region] if region else selectors.dispatcher_provinces(request.user)
    return selectors.board_rows(provinces)


@router.get("/improvements", response={200: list[ImprovementOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def improvements(request, open_only: bool = True):
    _require_reader(request)
    return selectors.improvements_for_user(request.user, open_only=open_only)


@router.post("/improvements/{int:improvement_id}/done", response={200: ImprovementOut, **ERRORS})
def improvement_done(request, improvement_id: int, payload: ResultIn):
    from django.shortcuts import get_object_or_404

    _require_reader(request)
    action = get_object_or_404(
        selectors.improvements_for_user(request.user, open_only=False), pk=improvement_id
    )
    return services.improvement_complete(actor=request.user, action=action, result=payload.result)
