"""/api/v1/inventory: parts, stock, the ledger and requisitions, with one POST per
transition (issue, cancel, return). Out of scope is 404, a role that may not act
403, a state that does not allow it 409, bad input 422 naming the field — including
"insufficient" with the quantity available."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied

from . import selectors, services
from .api_purchasing import router as purchasing_router
from .choices import InventoryAction
from .filters import PartFilterForm, RequisitionFilterForm
from .models import Location, Part, RequisitionLine, Warehouse
from .permissions import may_act, may_read, require_action, require_own_or_warehouse

router = Router(tags=["inventory"])
# Suppliers, purchase orders and stock counts (api_purchasing.py), under the same prefix.
router.add_router("", purchasing_router)
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied(
            "Spare parts are for service, the warehouse, quality and management."
        )


class PartOut(Schema):
    id: int
    number: str
    name: str
    specification: str
    unit: str
    tracking: str
    udi_di: str
    unit_cost: Decimal
    on_hand: int


class StockBalanceOut(Schema):
    part_id: int
    part: str
    warehouse_id: int
    warehouse: str
    location_id: int
    location: str
    lot: str
    quantity: int

    @staticmethod
    def resolve_part(obj):
        return obj.part.number

    @staticmethod
    def resolve_warehouse_id(obj):
        return obj.location.warehouse_id

    @staticmethod
    def resolve_warehouse(obj):
        return obj.location.warehouse.name

    @staticmethod
    def resolve_location(obj):
        return obj.location.code


class StockMoveOut(Schema):
    id: int
    kind: str
    part_id: int
    lot: str
    quantity: int
    from_location_id: int | None
    to_location_id: int | None
    requisition_id: int | None
    reference: str
    actor_id: int
    moved_at: datetime
    note: str


class RequisitionLineOut(Schema):
    id: int
    part_id: int
    part: str
    quantity: int
    issued: int
    returned: int

    @staticmethod
    def resolve_part(obj):
        return obj.part.number


class RequisitionOut(Schema):
    id: int
    number: str
    status: str
    requested_by_id: int
    warehouse_id: int
    to_location_id: int | None
    service_reference: str
    need_by: date
    note: str
    cancel_reason: str
    created_at: datetime
    due_at: datetime | None = None
    lines: list[RequisitionLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_due_at(obj):
        # The queue annotates it; a single requisition carries its clock.
        if hasattr(obj, "due_at"):
            return obj.due_at
        clock = getattr(obj, "clock", None)
        return clock.due_at if clock else None


class RequisitionLineIn(Schema):
    part_id: int
    quantity: int


class RequisitionIn(Schema):
    warehouse_id: int
    lines: list[RequisitionLineIn]
    need_by: date
    to_location_id: int | None = None
    service_reference: str = ""
    note: str = ""


class RequisitionIssueLineIn(Schema):
    line_id: int
    quantity: int
    from_location_id: int
    part_id: int | None = None  # an approved substitute
    lot: str = ""


class RequisitionIssueIn(Schema):
    lines: list[RequisitionIssueLineIn]


class RequisitionCancelIn(Schema):
    reason: str


class RequisitionReturnIn(Schema):
    line_id: int
    quantity: int
    to_location_id: int
    good: bool = True
    lot: str = ""


@router.get("/parts", response={200: list[PartOut], 403: ErrorOut, 422: ErrorOut})
@paginate(PageNumberPagination)
def parts(request, search: str = "", warehouse: int | None = None, sort: str = ""):
    _require_reader(request)
    params = {"search": search, "warehouse": warehouse, "sort": sort}
    return selectors.parts(**PartFilterForm.from_api(params))


@router.get("/stock", response={200: list[StockBalanceOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def stock(request, part: int | None = Query(None, ge=1), warehouse: int | None = Query(None, ge=1)):
    _require_reader(request)
    return selectors.stock(part=part, warehouse=warehouse)


@router.get("/moves", response={200: list[StockMoveOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def moves(request, part: int | None = Query(None, ge=1)):
    _require_reader(request)
    return selectors.moves(part=get_object_or_404(Part, pk=part) if part else None)


@router.get("/requisitions", response={200: list[RequisitionOut], 403: ErrorOut, 422: ErrorOut})
@paginate(PageNumberPagination)
def requisitions(request, status: str = ""):
    if not (may_read(request.user) or may_act(request.user, InventoryAction.REQUEST)):
        raise PermissionDenied("Requisitions are for service and the warehouse.")
    filters = RequisitionFilterForm.from_api({"status": status})
    if filters["open_only"]:
        return selectors.requisition_queue(request.user)
    return selectors.requisitions_for_user(request.user, status=filters["status"])


def _detail(request, requisition_id: int):
    return selectors.with_clocks(
        [selectors.requisition_get_for_user(request.user, requisition_id)]
    )[0]


@router.get("/requisitions/{int:requisition_id}", response={200: RequisitionOut, **ERRORS})
def requisition_detail(request, requisition_id: int):
    return _detail(request, requisition_id)


@router.post("/requisitions", response={201: RequisitionOut, **ERRORS}, summary="Request parts")
def requisition_create(request, payload: RequisitionIn):
    require_action(request.user, InventoryAction.REQUEST)  # before the ids are looked up
    lines = [
        (referenced(Part, line.part_id, f"lines.{n}.part_id"), line.quantity)
        for n, line in enumerate(payload.lines, start=1)
    ]
    requisition = services.requisition_submit(
        actor=request.user,
        warehouse=referenced(Warehouse, payload.warehouse_id, "warehouse_id"),
        to_location=referenced(Location, payload.to_location_id, "to_location_id")
        if payload.to_location_id
        else None,
        lines=lines,
        need_by=payload.need_by,
        today=local_today(),
        service_reference=payload.service_reference,
        note=payload.note,
    )
    return Status(201, _detail(request, requisition.pk))


@router.post("/requisitions/{int:requisition_id}/issue", response={200: RequisitionOut, **ERRORS})
def requisition_issue(request, requisition_id: int, payload: RequisitionIssueIn):
    requisition = selectors.requisition_get_for_user(request.user, requisition_id)
    require_action(request.user, InventoryAction.ISSUE)  # before the ids are looked up
    issues = [
        services.Issue(
            line=referenced(RequisitionLine, line.line_id, f"lines.{n}.line_id"),
            quantity=line.quantity,
            from_location=referenced(
                Location, line.from_location_id, f"lines.{n}.from_location_id"
            ),
            part=referenced(Part, line.part_id, f"lines.{n}.part_id") if line.part_id else None,
            lot=line.lot,
        )
        for n, line in enumerate(payload.lines, start=1)
    ]
    services.requisition_issue(actor=request.user, requisition=requisition, issues=issues)
    return _detail(request, requisition_id)


@router.post("/requisitions/{int:requisition_id}/cancel", response={200: RequisitionOut, **ERRORS})
def requisition_cancel(request, requisition_id: int, payload: RequisitionCancelIn):
    requisition = selectors.requisition_get_for_user(request.user, requisition_id)
    services.requisition_cancel(actor=request.user, requisition=requisition, reason=payload.reason)
    return _detail(request, requisition_id)


@router.post("/requisitions/{int:requisition_id}/return", response={200: RequisitionOut, **ERRORS})
def requisition_return(request, requisition_id: int, payload: RequisitionReturnIn):
    requisition = selectors.requisition_get_for_user(request.user, requisition_id)
    require_own_or_warehouse(request.user, requisition, InventoryAction.RETURN)
    services.requisition_return(
        actor=request.user,
        requisition=requisition,
        line=referenced(RequisitionLine, payload.line_id, "line_id"),
        quantity=payload.quantity,
        to_location=referenced(Location, payload.to_location_id, "to_location_id"),
        good=payload.good,
        lot=payload.lot,
    )
    return _detail(request, requisition_id)
