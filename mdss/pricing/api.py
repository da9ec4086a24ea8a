"""/api/v1/pricing: price lists, price-list changes and their approval, quotes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from mdss.catalog.selectors import model_get
from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.core.permissions import require_staff

from . import actions, selectors, services
from .filters import ChangeFilterForm, PriceSearchForm

router = Router(tags=["pricing"])


class VersionOut(Schema):
    id: int
    number: int
    effective_from: date
    is_active: bool
    activated_at: datetime | None
    note: str


class EntryOut(Schema):
    model_id: int
    model: str
    list_price: Decimal
    floor_price: Decimal | None

    @staticmethod
    def resolve_model(obj):
        return str(obj.model)

    @staticmethod
    def resolve_floor_price(obj, context):
        # Reps sell at list price (S13); the floor is for those who may see costs.
        return obj.floor_price if selectors.can_see_cost(context["request"].user) else None


class PriceChangeLineIn(Schema):
    model_id: int
    list_price: Decimal
    floor_price: Decimal


class ChangeIn(Schema):
    effective_from: date
    reason: str
    evidence: str = ""
    lines: list[PriceChangeLineIn]


class PriceChangeLineOut(Schema):
    model_id: int
    list_price: Decimal
    floor_price: Decimal


class ChangeOut(Schema):
    id: int
    number: str
    status: str
    effective_from: date
    reason: str
    evidence: str
    requested_by: str
    decided_by: str | None
    decision_comment: str
    allowed_actions: list[str]
    lines: list[PriceChangeLineOut]

    @staticmethod
    def resolve_requested_by(obj):
        return obj.requested_by.display_name

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.display_name if obj.decided_by_id else None

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.change_actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class PriceApproveIn(Schema):
    password: str
    comment: str = ""


class RejectIn(Schema):
    comment: str


class QuoteOut(Schema):
    model_id: int
    quantity: int
    sellable: bool
    reasons: list[str]
    unit_price: Decimal | None
    total: Decimal | None
    price_list_version: int | None
    explanation: str


@router.get(
    "/price-lists",
    response={200: list[VersionOut], 403: ErrorOut},
    summary="Price-list versions, newest first",
)
@paginate(PageNumberPagination)
def version_list(request):
    require_staff(request)
    return selectors.version_list()


@router.get(
    "/price-lists/{version_id}/entries",
    response={200: list[EntryOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Prices of a version; the floor only for those who may see costs",
)
@paginate(PageNumberPagination)
def entry_list(request, version_id: int, search: str = "", sort: str = ""):
    require_staff(request)
    filters = PriceSearchForm.from_api({"search": search, "sort": sort})
    from django.shortcuts import get_object_or_404

    from .models import PriceListVersion

    version = get_object_or_404(PriceListVersion, pk=version_id)
    return selectors.entries_of(version, **filters)


@router.get("/price-changes", response={200: list[ChangeOut], 403: ErrorOut, 422: ErrorOut})
@paginate(PageNumberPagination)
def change_list(request, status: str = ""):
    rows = selectors.change_list_for_user(request.user).prefetch_related("lines")
    filters = ChangeFilterForm.from_api({"status": status})
    return rows.filter(status=filters["status"]) if filters["status"] else rows


@router.post("/price-changes", response={201: ChangeOut, 403: ErrorOut, 422: ErrorOut})
def change_create(request, payload: ChangeIn):
    change = services.price_change_create(
        actor=request.user,
        effective_from=payload.effective_from,
        reason=payload.reason,
        evidence=payload.evidence,
        lines=[
            services.LineInput(line.model_id, line.list_price, line.floor_price)
            for line in payload.lines
        ],
    )
    return Status(201, selectors.change_get_for_user(request.user, change.pk))


@router.get("/price-changes/{change_id}", response={200: ChangeOut, 403: ErrorOut, 404: ErrorOut})
def change_detail(request, change_id: int):
    return selectors.change_get_for_user(request.user, change_id)


@router.post(
    "/price-changes/{change_id}/submit",
    response={200: ChangeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def change_submit(request, change_id: int):
    change = selectors.change_get_for_user(request.user, change_id)
    services.price_change_submit(change=change, actor=request.user)
    return selectors.change_get_for_user(request.user, change_id)


@router.post(
    "/price-changes/{change_id}/approve",
    response={200: ChangeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def change_approve(request, change_id: int, payload: PriceApproveIn):
    change = selectors.change_get_for_user(request.user, change_id)
    services.price_change_approve(
        change=change, actor=request.user, password=payload.password, comment=payload.comment
    )
    return selectors.change_get_for_user(request.user, change_id)


@router.post(
    "/price-changes/{change_id}/reject",
    response={200: ChangeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def change_reject(request, change_id: int, payload: RejectIn):
    change = selectors.change_get_for_user(request.user, change_id)
    services.price_change_reject(change=change, actor=request.user, comment=payload.comment)
    return selectors.change_get_for_user(request.user, change_id)


class AdjustmentIn(Schema):
    customer_id: int
    model_id: int
    quantity: int
    requested_price: Decimal
    reason: str
    valid_until: date | None = None


class AdjustmentOut(Schema):
    id: int
    number: str
    status: str
    customer_id: int
    customer: str
    model_id: int
    quantity: int
    list_price: Decimal
    floor_price: Decimal | None
    requested_price: Decimal
    discount_percent: Decimal
    reason: str
    valid_until: date
    requested_by: str
    decided_by: str | None
    decision_comment: str
    allowed_actions: list[str]

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.name

    @staticmethod
    def resolve_requested_by(obj):
        return obj.requested_by.display_name

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.display_name if obj.decided_by_id else None

    @staticmethod
    def resolve_floor_price(obj, context):
        return obj.floor_price if selectors.can_see_cost(context["request"].user) else None

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.adjustment_actions_for(context["request"].user, obj)


@router.get(
    "/adjustments",
    response=list[AdjustmentOut],
    summary="Price-adjustment requests I made or decide",
)
@paginate(PageNumberPagination)
def adjustment_list(request, inbox: bool = False):
    if inbox:
        return selectors.adjustment_inbox(request.user)
    return selectors.adjustment_list_for_user(request.user)


@router.post(
    "/adjustments",
    response={201: AdjustmentOut, 404: ErrorOut, 422: ErrorOut},
    summary="Draft a price-adjustment request for one deal",
)
def adjustment_create(request, payload: AdjustmentIn):
    from .services import adjustments

    adjustment = adjustments.adjustment_create(
        actor=request.user,
        customer_id=payload.customer_id,
        model=model_get(payload.model_id),
        quantity=payload.quantity,
        requested_price=payload.requested_price,
        reason=payload.reason,
        valid_until=payload.valid_until,
        today=local_today(),
    )
    return Status(201, selectors.adjustment_get_for_user(request.user, adjustment.pk))


@router.get("/adjustments/{adjustment_id}", response={200: AdjustmentOut, 404: ErrorOut})
def adjustment_detail(request, adjustment_id: int):
    return selectors.adjustment_get_for_user(request.user, adjustment_id)


ADJUSTMENT_ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/adjustments/{adjustment_id}/submit",
    response={200: AdjustmentOut, **ADJUSTMENT_ERRORS},
    summary="Submit a draft request to the superior",
)
def adjustment_submit(request, adjustment_id: int):
    from .services import adjustments

    adjustment = selectors.adjustment_get_for_user(request.user, adjustment_id)
    adjustments.adjustment_submit(adjustment=adjustment, actor=request.user)
    return selectors.adjustment_get_for_user(request.user, adjustment_id)


@router.post(
    "/adjustments/{adjustment_id}/approve",
    response={200: AdjustmentOut, **ADJUSTMENT_ERRORS},
    summary="Approve with an e-signature (the approver's password)",
)
def adjustment_approve(request, adjustment_id: int, payload: PriceApproveIn):
    from .services import adjustments

    adjustment = selectors.adjustment_get_for_user(request.user, adjustment_id)
    adjustments.adjustment_approve(
        adjustment=adjustment,
        actor=request.user,
        password=payload.password,
        comment=payload.comment,
        today=local_today(),
    )
    return selectors.adjustment_get_for_user(request.user, adjustment_id)


@router.post(
    "/adjustments/{adjustment_id}/reject",
    response={200: AdjustmentOut, **ADJUSTMENT_ERRORS},
    summary="Reject with the reason",
)
def adjustment_reject(request, adjustment_id: int, payload: RejectIn):
    from .services import adjustments

    adjustment = selectors.adjustment_get_for_user(request.user, adjustment_id)
    adjustments.adjustment_reject(
        adjustment=adjustment, actor=request.user, comment=payload.comment, today=local_today()
    )
    return selectors.adjustment_get_for_user(request.user, adjustment_id)


@router.get(
    "/quote",
    response={200: QuoteOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The price a rep may use for a model, quantity and customer, and why",
)
def quote(
    request, model: int, quantity: int = 1, customer: int | None = None, on: date | None = None
):
    if not request.user.has_perm("catalog.view_productmodel"):
        raise PermissionDenied()
    if quantity < 1:
        raise ValidationFailed.single("quantity", "min_value", "quantity must be at least 1")
    product_model = model_get(model)
    on_date = on or local_today()
    answer = selectors.quote(model=product_model, quantity=quantity, on_date=on_date)
    gate, entry = answer["gate"], answer["entry"]
    unit_price = entry.list_price if entry and gate.ok else None
    if not gate.ok:
        explanation = "; ".join(r.message for r in gate.reasons)
    elif entry is None:
        explanation = "no price in the active price list"
    else:
        explanation = f"list price of price list v{entry.version.number}"
    if customer is not None and unit_price is not None:
        from mdss.customers.selectors import customer_get_for_user

        customer_get_for_user(request.user, customer)  # 404 outside the rep's customers
        adjustment = selectors.approved_adjustment_for(
            customer_id=customer, model_id=product_model.pk, on_date=on_date
        )
        if adjustment is not None and quantity <= adjustment.quantity:
            unit_price = adjustment.requested_price
            explanation = (
                f"price adjustment {adjustment.number} approved by {adjustment.decided_by.display_name}, "
                f"valid until {adjustment.valid_until}, up to {adjustment.quantity} units"
            )
    return {
        "model_id": product_model.pk,
        "quantity": quantity,
        "sellable": gate.ok,
        "reasons": [r.message for r in gate.reasons],
        "unit_price": unit_price,
        "total": unit_price * quantity if unit_price is not None else None,
        "price_list_version": entry.version.number if entry else None,
        "explanation": explanation,
    }
