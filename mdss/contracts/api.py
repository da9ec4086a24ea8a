"""/api/v1/contracts: the ledger, drafting, and one POST per transition; the same
services and scope as the pages (a contract outside yours is a 404)."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.catalog.selectors import model_get
from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied

from . import actions, selectors, services

router = Router(tags=["contracts"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_view(request):
    if not request.user.has_perm("contracts.view_contract"):
        raise PermissionDenied()


class ContractLineOut(Schema):
    id: int
    model_id: int
    quantity: int
    unit_price: Decimal
    list_price: Decimal | None
    adjustment_id: int | None
    requested_delivery: date | None
    amount: Decimal


class AttachmentOut(Schema):
    id: int
    title: str
    sha256: str


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
    lines: list[ContractLineOut]
    attachments: list[AttachmentOut]
    total: Decimal
    allowed_actions: list[str]

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.contract_actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

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
    ordered: int
    delivered: int
    paid: Decimal
    open_problems: int
    next_deadline: date | None

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


class ContractTermsIn(Schema):
    """A draft's terms to change; fields left out stay as they are."""

    kind: str | None = None
    delivery_place: str | None = None
    delivery_deadline: date | None = None
    payment_terms: str | None = None
    quality_standard: str | None = None
    after_sales_terms: str | None = None
    warranty_months: int | None = None
    other_clauses: str | None = None


class ContractLineIn(Schema):
    model_id: int
    quantity: int
    unit_price: Decimal
    adjustment_id: int | None = None
    requested_delivery: date | None = None


class CommentIn(Schema):
    comment: str = ""


class ContractApproveIn(Schema):
    password: str
    comment: str = ""


class TerminateIn(Schema):
    reason: str
    on: date


def _detail(request, contract_id):
    return get_object_or_404(
        selectors.contract_list_for_user(request.user).prefetch_related("lines", "attachments"),
        pk=contract_id,
    )


@router.get(
    "",
    response={200: list[LedgerOut], 403: ErrorOut, 422: ErrorOut},
    summary="The contract ledger in my scope",
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
    sort: str = Query(
        "", description="number, customer, signed or amount; a leading - sorts descending"
    ),
):
    from .filters import LedgerFilterForm

    _require_view(request)
    filters = LedgerFilterForm.from_api(
        {
            "status": status,
            "rep": rep,
            "customer": customer,
            "province": province,
            "signed_from": signed_from,
            "signed_to": signed_to,
            "search": search,
            "sort": sort,
        }
    )
    return selectors.ledger(request.user, **filters)


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


@router.patch(
    "/{int:contract_id}", response={200: ContractOut, **ERRORS}, summary="Change a draft's terms"
)
def contract_terms(request, contract_id: int, payload: ContractTermsIn):
    contract = _detail(request, contract_id)
    services.contract_update(
        actor=request.user, contract=contract, **payload.dict(exclude_unset=True)
    )
    return _detail(request, contract_id)


@router.post("/{int:contract_id}/lines", response={201: ContractOut, **ERRORS})
def line_add(request, contract_id: int, payload: ContractLineIn):
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
def legal_approve(request, contract_id: int, payload: ContractApproveIn):
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


class CancelIn(Schema):
    reason: str


@router.post(
    "/{int:contract_id}/cancel",
    response={200: ContractOut, **ERRORS},
    summary="Cancel an unsigned contract (draft, in review or approved) with the reason",
)
def cancel(request, contract_id: int, payload: CancelIn):
    services.contract_cancel(
        actor=request.user, contract=_detail(request, contract_id), reason=payload.reason
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


# -- amendments ------------------------------------------------------------------
class AmendmentIn(Schema):
    reason: str
    clauses: dict[str, str | int | None] = {}
    line_changes: list[dict] = []
    new_lines: list[dict] = []
    instalments: list[list[str]] | None = None


class AmendmentOut(Schema):
    id: int
    contract_id: int
    number: str
    seq: int
    status: str
    reason: str
    clauses: dict
    line_changes: list
    new_lines: list
    instalments: list | None
    before: dict | None
    after: dict | None
    legal_comment: str
    signed_on: date | None
    allowed_actions: list[str]

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.amendment_actions_for(context["request"].user, obj)


def _amendment(request, amendment_id):
    return selectors.amendment_get_for_user(request.user, amendment_id)


@router.get(
    "/{int:contract_id}/amendments",
    response={200: list[AmendmentOut], **ERRORS},
    summary="The contract's amendments, oldest first",
)
def amendments(request, contract_id: int):
    _require_view(request)
    contract = _detail(request, contract_id)
    return list(contract.amendments.select_related("contract").order_by("seq"))


@router.post(
    "/{int:contract_id}/amendments",
    response={201: AmendmentOut, **ERRORS},
    summary="Propose an amendment of a signed contract (clauses, line changes, new lines, plan)",
)
def amendment_create(request, contract_id: int, payload: AmendmentIn):
    amendment = services.amendment_create(
        actor=request.user, contract=_detail(request, contract_id), **payload.dict()
    )
    return Status(201, _amendment(request, amendment.pk))


@router.get("/amendments/{int:amendment_id}", response={200: AmendmentOut, **ERRORS})
def amendment_detail(request, amendment_id: int):
    _require_view(request)
    return _amendment(request, amendment_id)


@router.put(
    "/amendments/{int:amendment_id}",
    response={200: AmendmentOut, **ERRORS},
    summary="Change a draft amendment",
)
def amendment_update(request, amendment_id: int, payload: AmendmentIn):
    services.amendment_update(
        actor=request.user, amendment=_amendment(request, amendment_id), **payload.dict()
    )
    return _amendment(request, amendment_id)


@router.post("/amendments/{int:amendment_id}/submit", response={200: AmendmentOut, **ERRORS})
def amendment_submit(request, amendment_id: int):
    services.amendment_submit(
        actor=request.user, amendment=_amendment(request, amendment_id), today=local_today()
    )
    return _amendment(request, amendment_id)


@router.post("/amendments/{int:amendment_id}/legal-approve", response={200: AmendmentOut, **ERRORS})
def amendment_approve(request, amendment_id: int, payload: ContractApproveIn):
    services.amendment_approve(
        actor=request.user, amendment=_amendment(request, amendment_id), **payload.dict()
    )
    return _amendment(request, amendment_id)


@router.post("/amendments/{int:amendment_id}/legal-return", response={200: AmendmentOut, **ERRORS})
def amendment_return(request, amendment_id: int, payload: CommentIn):
    services.amendment_return(
        actor=request.user, amendment=_amendment(request, amendment_id), comment=payload.comment
    )
    return _amendment(request, amendment_id)


@router.post(
    "/amendments/{int:amendment_id}/sign",
    response={200: AmendmentOut, **ERRORS},
    summary="Both parties signed the amendment (multipart: signed_on, scan): terms applied",
)
def amendment_sign(request, amendment_id: int, signed_on: Form[date], scan: File[UploadedFile]):
    services.amendment_sign(
        actor=request.user,
        amendment=_amendment(request, amendment_id),
        signed_on=signed_on,
        scan=scan,
        today=local_today(),
    )
    return _amendment(request, amendment_id)


class ContractReasonIn(Schema):
    reason: str


@router.post("/amendments/{int:amendment_id}/withdraw", response={200: AmendmentOut, **ERRORS})
def amendment_withdraw(request, amendment_id: int, payload: ContractReasonIn):
    services.amendment_withdraw(
        actor=request.user, amendment=_amendment(request, amendment_id), reason=payload.reason
    )
    return _amendment(request, amendment_id)


# -- deliveries, payments and problems as lists -------------------------------------
class DeliveryItemOut(Schema):
    line_id: int
    quantity: int


class DeliveryDetailOut(Schema):
    id: int
    number: str
    delivered_on: date
    carrier: str
    tracking_number: str
    documents: dict
    received_on: date | None
    received_by: str
    items: list[DeliveryItemOut]
    devices: list[int]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_devices(obj):
        return [d.pk for item in obj.items.all() for d in item.devices.all()]


@router.get("/{int:contract_id}/deliveries", response={200: list[DeliveryDetailOut], **ERRORS})
def deliveries(request, contract_id: int):
    _require_view(request)
    contract = _detail(request, contract_id)
    return list(
        contract.deliveries.prefetch_related("items__devices").order_by("delivered_on", "id")
    )


@router.post(
    "/deliveries/{int:delivery_id}/receipt",
    response={200: DeliveryDetailOut, **ERRORS},
    summary="The customer confirmed receipt (multipart: received_on, received_by, scan optional)",
)
def delivery_receipt(
    request,
    delivery_id: int,
    received_on: Form[date],
    received_by: Form[str],
    scan: File[UploadedFile] = None,
):
    delivery = selectors.delivery_get_for_user(request.user, delivery_id)
    services.delivery_confirm_receipt(
        actor=request.user,
        delivery=delivery,
        received_on=received_on,
        received_by=received_by,
        scan=scan,
        today=local_today(),
    )
    from .models import Delivery

    return Delivery.objects.prefetch_related("items__devices").get(pk=delivery.pk)


class PaymentOut(Schema):
    id: int
    received_on: date
    amount: Decimal
    reference: str


class InstalmentOut(Schema):
    due_on: date
    amount: Decimal
    note: str


class PaymentsOut(Schema):
    instalments: list[InstalmentOut]
    payments: list[PaymentOut]


@router.get("/{int:contract_id}/payments", response={200: PaymentsOut, **ERRORS})
def payments(request, contract_id: int):
    _require_view(request)
    contract = _detail(request, contract_id)
    return {
        "instalments": list(contract.instalments.order_by("due_on", "id")),
        "payments": list(contract.payments.order_by("received_on", "id")),
    }


class ProblemNoteOut(Schema):
    at: datetime
    author_id: int
    text: str


class ProblemOut(Schema):
    id: int
    kind: str
    description: str
    status: str
    outcome: str
    decision: str
    decision_note: str
    case_reference: str
    created_at: datetime
    notes: list[ProblemNoteOut]

    @staticmethod
    def resolve_notes(obj):
        return list(obj.notes.all())


class ProblemIn(Schema):
    kind: str
    description: str


class ProblemTextIn(Schema):
    text: str


class ProblemDecisionIn(Schema):
    decision: str
    note: str
    case_reference: str = ""


def _problem(request, problem_id):
    from .models import Problem

    return get_object_or_404(
        Problem.objects.filter(
            contract__in=selectors.contract_list_for_user(request.user).values("pk")
        ).prefetch_related("notes"),
        pk=problem_id,
    )


@router.get("/{int:contract_id}/problems", response={200: list[ProblemOut], **ERRORS})
def problems(request, contract_id: int):
    _require_view(request)
    return list(_detail(request, contract_id).problems.prefetch_related("notes"))


@router.post("/{int:contract_id}/problems", response={201: ProblemOut, **ERRORS})
def problem_raise(request, contract_id: int, payload: ProblemIn):
    problem = services.problem_raise(
        actor=request.user, contract=_detail(request, contract_id), **payload.dict()
    )
    return Status(201, _problem(request, problem.pk))


@router.post("/problems/{int:problem_id}/notes", response={200: ProblemOut, **ERRORS})
def problem_note(request, problem_id: int, payload: ProblemTextIn):
    services.problem_note(
        actor=request.user, problem=_problem(request, problem_id), text=payload.text
    )
    return _problem(request, problem_id)


@router.post("/problems/{int:problem_id}/resolve", response={200: ProblemOut, **ERRORS})
def problem_resolve(request, problem_id: int, payload: ProblemTextIn):
    services.problem_resolve(
        actor=request.user, problem=_problem(request, problem_id), outcome=payload.text
    )
    return _problem(request, problem_id)


@router.post("/problems/{int:problem_id}/escalate", response={200: ProblemOut, **ERRORS})
def problem_escalate(request, problem_id: int, payload: ProblemTextIn):
    services.problem_escalate(
        actor=request.user, problem=_problem(request, problem_id), reason=payload.text
    )
    return _problem(request, problem_id)


@router.post("/problems/{int:problem_id}/decide", response={200: ProblemOut, **ERRORS})
def problem_decide(request, problem_id: int, payload: ProblemDecisionIn):
    services.problem_decide(
        actor=request.user, problem=_problem(request, problem_id), **payload.dict()
    )
    return _problem(request, problem_id)


@router.post(
    "/{int:contract_id}/attachments",
    response={201: ContractOut, **ERRORS},
    summary="Annex a document to a draft (multipart: title, file); legal's signature covers its hash",
)
def attachment_add(request, contract_id: int, title: Form[str], file: File[UploadedFile]):
    services.attachment_add(
        actor=request.user, contract=_detail(request, contract_id), title=title, file=file
    )
    return Status(201, _detail(request, contract_id))
