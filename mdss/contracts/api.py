"""/api/v1/contracts: the ledger, drafting, and one POST per transition; the same
services and scope as the pages (a contract outside yours is a 404)."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.calendars.selectors import local_today
from mdss.catalog.selectors import model_get
from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.errors import PermissionDenied

from . import selectors, services

router = Router(tags=["contracts"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_view(request):
    if not request.user.has_perm("contracts.view_contract"):
        raise PermissionDenied()


class LineOut(Schema):
    id: int
    model_id: int
    quantity: int
    unit_price: Decimal
    list_price: Decimal | None
    adjustment_id: int | None
    requested_delivery: date | None
    amount: Decimal


class ContractOut(Schema):
    id: int
    number: str
    customer_id: int
    rep_id: int
    kind: str
    status: str
    delivery_place: str
    delivery_deadline: date | None
    payment_terms: str
    quality_standard: str
    after_sales_terms: str
    warranty_months: int
    other_clauses: str
    tax_rate: Decimal
    signed_on: date | None
    legal_comment: str
    lines: list[LineOut]
    total: Decimal

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_total(obj):
        return sum((line.amount for line in obj.lines.all()), Decimal("0.00"))


class LedgerOut(Schema):
    id: int
    number: str
    customer_id: int
    customer: str
    rep_id: int
    status: str
    signed_on: date | None
    amount: Decimal

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.name

    @staticmethod
    def resolve_amount(obj):
        return Decimal(obj.amount).quantize(Decimal("0.01"))


class ContractIn(Schema):
    customer_id: int
    kind: str = "purchase"
    delivery_place: str = ""
    delivery_deadline: date | None = None
    payment_terms: str = ""
    quality_standard: str = ""
    after_sales_terms: str = ""
    warranty_months: int = 12
    other_clauses: str = ""


class LineIn(Schema):
    model_id: int
    quantity: int
    unit_price: Decimal
    adjustment_id: int | None = None
    requested_delivery: date | None = None


class CommentIn(Schema):
    comment: str = ""


class ApproveIn(Schema):
    password: str
    comment: str = ""


class TerminateIn(Schema):
    reason: str
    on: date


def _detail(request, contract_id):
    return get_object_or_404(
        selectors.contract_list_for_user(request.user).prefetch_related("lines"), pk=contract_id
    )


@router.get(
    "", response={200: list[LedgerOut], 403: ErrorOut}, summary="The contract ledger in my scope"
)
@paginate(PageNumberPagination)
def ledger(
    request,
    status: str = "",
    rep: int | None = None,
    customer: int | None = None,
    province: int | None = None,
    signed_from: date | None = None,
    signed_to: date | None = None,
    search: str = "",
):
    _require_view(request)
    return selectors.ledger(
        request.user,
        status=status,
        rep=rep,
        customer=customer,
        province=province,
        signed_from=signed_from,
        signed_to=signed_to,
        q=search,
    )


@router.post(
    "", response={201: ContractOut, **ERRORS}, summary="Draft a contract for one of my customers"
)
def contract_create(request, payload: ContractIn):
    data = payload.dict()
    contract = services.contract_create(
        actor=request.user, customer_id=data.pop("customer_id"), **data
    )
    return Status(201, _detail(request, contract.pk))


@router.get("/{int:contract_id}", response={200: ContractOut, **ERRORS})
def contract_detail(request, contract_id: int):
    _require_view(request)
    return _detail(request, contract_id)


@router.post("/{int:contract_id}/lines", response={201: ContractOut, **ERRORS})
def line_add(request, contract_id: int, payload: LineIn):
    from mdss.pricing.models import PriceAdjustment

    contract = _detail(request, contract_id)
    data = payload.dict()
    adjustment = (
        get_object_or_404(PriceAdjustment, pk=data.pop("adjustment_id"))
        if data["adjustment_id"]
        else None
    )
    data.pop("adjustment_id", None)
    services.line_add(
        actor=request.user,
        contract=contract,
        model=model_get(data.pop("model_id")),
        adjustment=adjustment,
        **data,
    )
    return Status(201, _detail(request, contract_id))


@router.post(
    "/{int:contract_id}/submit",
    response={200: ContractOut, **ERRORS},
    summary="To legal review: every missing clause and gate failure is a 422 field error",
)
def submit(request, contract_id: int):
    services.contract_submit(
        actor=request.user, contract=_detail(request, contract_id), today=local_today()
    )
    return _detail(request, contract_id)


@router.post("/{int:contract_id}/legal-approve", response={200: ContractOut, **ERRORS})
def legal_approve(request, contract_id: int, payload: ApproveIn):
    services.legal_approve(
        actor=request.user, contract=_detail(request, contract_id), **payload.dict()
    )
    return _detail(request, contract_id)


@router.post("/{int:contract_id}/legal-return", response={200: ContractOut, **ERRORS})
def legal_return(request, contract_id: int, payload: CommentIn):
    services.legal_return(
        actor=request.user, contract=_detail(request, contract_id), comment=payload.comment
    )
    return _detail(request, contract_id)


@router.post(
    "/{int:contract_id}/sign",
    response={200: ContractOut, **ERRORS},
    summary="Both parties signed (multipart: signed_on, customer_signed_on, scan)",
)
def sign(
    request,
    contract_id: int,
    signed_on: Form[date],
    customer_signed_on: Form[date],
    scan: File[UploadedFile],
):
    services.contract_sign(
        actor=request.user,
        contract=_detail(request, contract_id),
        signed_on=signed_on,
        customer_signed_on=customer_signed_on,
        scan=scan,
        today=local_today(),
    )
    return _detail(request, contract_id)


@router.post("/{int:contract_id}/terminate", response={200: ContractOut, **ERRORS})
def terminate(request, contract_id: int, payload: TerminateIn):
    services.contract_terminate(
        actor=request.user, contract=_detail(request, contract_id), **payload.dict()
    )
    return _detail(request, contract_id)


class InstalmentIn(Schema):
    due_on: date
    amount: Decimal
    note: str = ""


class PaymentIn(Schema):
    received_on: date
    amount: Decimal
    reference: str = ""


class DeliveryItemIn(Schema):
    line_id: int
    quantity: int
    units: list[str] = []
    site: str = ""


class DeliveryIn(Schema):
    delivered_on: date
    carrier: str = ""
    tracking_number: str = ""
    items: list[DeliveryItemIn]
    documents: dict[int, list[str]] = {}


class DeliveryOut(Schema):
    id: int
    number: str
    delivered_on: date
    devices: list[int]

    @staticmethod
    def resolve_devices(obj):
        return [d.pk for item in obj.items.all() for d in item.devices.all()]


@router.put(
    "/{int:contract_id}/instalments",
    response={200: ContractOut, **ERRORS},
    summary="The payment plan (adds up to the total; part of the terms legal signs)",
)
def instalments(request, contract_id: int, payload: list[InstalmentIn]):
    services.instalments_set(
        actor=request.user,
        contract=_detail(request, contract_id),
        rows=[(i.due_on, i.amount, i.note) for i in payload],
    )
    return _detail(request, contract_id)


@router.post(
    "/{int:contract_id}/payments", response={200: ContractOut, **ERRORS}, summary="Money received"
)
def payment(request, contract_id: int, payload: PaymentIn):
    services.payment_record(
        actor=request.user,
        contract=_detail(request, contract_id),
        today=local_today(),
        **payload.dict(),
    )
    return _detail(request, contract_id)


@router.post(
    "/{int:contract_id}/deliveries",
    response={201: DeliveryOut, **ERRORS},
    summary="A delivery: items with scanned units, and the documents per model (Q2)",
)
def delivery(request, contract_id: int, payload: DeliveryIn):
    data = payload.dict()
    delivery = services.delivery_record(
        actor=request.user,
        contract=_detail(request, contract_id),
        delivered_on=data["delivered_on"],
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
        items=data["items"],
        documents=data["documents"],
        today=local_today(),
    )
    from .models import Delivery

    return Status(201, Delivery.objects.prefetch_related("items__devices").get(pk=delivery.pk))
