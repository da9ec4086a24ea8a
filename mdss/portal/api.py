"""/api/v1/portal: a customer's own devices and service requests, reporting a fault,
confirming the result (password = electronic signature) and the survey. Only
customer logins with a portal account (403 otherwise); another customer's record is
a 404."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.errors import InvalidTransition
from mdss.service import services
from mdss.service.choices import Channel, ConfirmationMethod, Urgency
from mdss.service.permissions import portal_actions_for

from . import selectors

router = Router(tags=["portal"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PortalDeviceOut(Schema):
    id: int
    model: str
    product: str
    serial: str
    lot: str
    site: str
    installed_on: date | None
    warranty_until: date | None

    @staticmethod
    def resolve_model(obj):
        return obj.model.code

    @staticmethod
    def resolve_product(obj):
        return obj.model.product.name


class PortalRequestOut(Schema):
    id: int
    number: str
    status: str
    device_id: int | None
    symptom: str
    urgency: str
    reported_at: datetime
    engineer: str
    engineer_phone: str
    contacted_at: datetime | None
    completed_at: datetime | None
    outcome: str
    allowed_actions: list[str] = []

    @staticmethod
    def resolve_engineer(obj):
        return obj.engineer.display_name if obj.engineer else ""

    @staticmethod
    def resolve_engineer_phone(obj):
        return obj.engineer.phone if obj.engineer else ""


class PortalRequestIn(Schema):
    device_id: int | None = None
    symptom: str = Field(max_length=2000)
    urgency: Urgency = Urgency.NORMAL
    reporter_name: str = Field(max_length=100)
    reporter_phone: str = Field(max_length=30)


class PortalConfirmIn(Schema):
    accepted: bool
    password: str = Field(max_length=128)
    reason: str = Field("", max_length=2000)


class SurveyIn(Schema):
    attitude: int
    quality: int
    timeliness: int
    satisfied: bool
    comments: str = Field("", max_length=2000)


@router.get("/devices", response={200: list[PortalDeviceOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def devices(request):
    return selectors.devices(selectors.customer_for(request.user))


@router.get("/requests", response={200: list[PortalRequestOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def request_list(request):
    return selectors.requests(selectors.customer_for(request.user))


def _out(request, request_id: int):
    it = selectors.request(selectors.customer_for(request.user), request_id)
    it.allowed_actions = portal_actions_for(request.user, it)
    return it


@router.get("/requests/{int:request_id}", response={200: PortalRequestOut, **ERRORS})
def request_detail(request, request_id: int):
    return _out(request, request_id)


@router.post("/requests", response={201: PortalRequestOut, **ERRORS}, summary="Report a fault")
def request_create(request, payload: PortalRequestIn):
    from mdss.devices.models import InstalledDevice

    customer = selectors.customer_for(request.user)
    device = None
    if payload.device_id:
        device = referenced(InstalledDevice, payload.device_id, "device_id")
        if device.customer_id != customer.pk:  # another customer's unit does not exist here
            device = referenced(InstalledDevice, 0, "device_id")
    it = services.request_create(
        actor=request.user,
        customer=customer,
        device=device,
        channel=Channel.PORTAL,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        symptom=payload.symptom,
        urgency=payload.urgency,
    )
    return Status(201, _out(request, it.pk))


def _acting(request, request_id: int, action: str):
    it = selectors.request(selectors.customer_for(request.user), request_id)
    if action not in portal_actions_for(request.user, it):
        raise InvalidTransition()
    return it


@router.post("/requests/{int:request_id}/confirm", response={200: PortalRequestOut, **ERRORS})
def request_confirm(request, request_id: int, payload: PortalConfirmIn):
    it = _acting(request, request_id, "confirm")
    services.request_confirm(
        actor=request.user,
        request=it,
        method=ConfirmationMethod.PORTAL,
        signer_name=request.user.display_name,
        accepted=payload.accepted,
        reason=payload.reason,
        password=payload.password,
    )
    return _out(request, request_id)


@router.post("/requests/{int:request_id}/survey", response={200: PortalRequestOut, **ERRORS})
def request_survey(request, request_id: int, payload: SurveyIn):
    it = _acting(request, request_id, "survey")
    services.request_follow_up(
        actor=request.user,
        request=it,
        contacted_person=request.user.display_name,
        **payload.dict(),
    )
    return _out(request, request_id)


class PortalComplaintOut(Schema):
    id: int
    number: str
    status: str
    received_at: datetime
    concerns: str
    device_id: int | None
    content: str
    contacted_at: datetime | None
    resolved_at: datetime | None
    facts: str
    root_cause: str
    solution: str
    solution_detail: str
    decision_basis: str
    acceptance: str
    satisfaction: int | None
    allowed_actions: list[str] = []


class PortalComplaintIn(Schema):
    concerns: str = Field("other", max_length=10)
    device_id: int | None = None
    content: str = Field(max_length=4000)
    complainant_name: str = Field(max_length=100)
    complainant_phone: str = Field("", max_length=30)
    complainant_email: str = Field("", max_length=254)


class PortalRateIn(Schema):
    acceptance: str = Field(max_length=10)
    satisfaction: int = Field(ge=1, le=5)
    note: str = Field("", max_length=2000)


def _complaint_out(request, complaint_id: int):
    from mdss.complaints.permissions import portal_actions_for as complaint_actions

    it = selectors.complaint(selectors.customer_for(request.user), complaint_id)
    it.allowed_actions = complaint_actions(request.user, it)
    return it


@router.get("/complaints", response={200: list[PortalComplaintOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def complaint_list(request):
    return selectors.complaints(selectors.customer_for(request.user))


@router.get("/complaints/{int:complaint_id}", response={200: PortalComplaintOut, **ERRORS})
def complaint_detail(request, complaint_id: int):
    return _complaint_out(request, complaint_id)


@router.post(
    "/complaints", response={201: PortalComplaintOut, **ERRORS}, summary="Make a complaint"
)
def complaint_create(request, payload: PortalComplaintIn):
    from mdss.complaints import services as complaints
    from mdss.complaints.choices import Channel as ComplaintChannel
    from mdss.devices.models import InstalledDevice

    customer = selectors.customer_for(request.user)
    data = payload.dict()
    device = None
    if data.pop("device_id"):
        device = referenced(InstalledDevice, payload.device_id, "device_id")
        if device.customer_id != customer.pk:  # another customer's unit does not exist here
            device = referenced(InstalledDevice, 0, "device_id")
    it = complaints.complaint_create(
        actor=request.user,
        customer=customer,
        device=device,
        channel=ComplaintChannel.PORTAL,
        **data,
    )
    return Status(201, _complaint_out(request, it.pk))


@router.post("/complaints/{int:complaint_id}/rate", response={200: PortalComplaintOut, **ERRORS})
def complaint_rate(request, complaint_id: int, payload: PortalRateIn):
    from mdss.complaints import services as complaints

    it = _complaint_out(request, complaint_id)
    if "rate" not in it.allowed_actions:
        raise InvalidTransition()
    complaints.complaint_rate(actor=request.user, complaint=it, **payload.dict())
    return _complaint_out(request, complaint_id)
