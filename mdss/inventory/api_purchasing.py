"""/api/v1/inventory: suppliers, purchase orders (+ approve, receive, cancel) and stock
counts (+ enter, submit, approve, cancel). Same rules as the pages: 403 for a role
that may not, 409 for a state that does not allow it, 422 naming the field."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied

from . import selectors, services
from .choices import InventoryAction
from .models import Location, Part, PurchaseOrderLine, Supplier, Warehouse
from .permissions import may_read_purchasing, require_action

router = Router(tags=["inventory"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request) -> None:
    if not may_read_purchasing(request.user):
        raise PermissionDenied("Purchasing is for the warehouse, quality and management.")


class SupplierDocumentOut(Schema):
    id: int
    kind: str
    number: str
    valid_until: date


class SupplierOut(Schema):
    id: int
    name: str
    credit_code: str
    contact: str
    phone: str
    address: str
    status: str
    status_reason: str


class SupplierGateOut(Schema):
    ok: bool
    reasons: list[dict]


class SupplierDetailOut(SupplierOut):
    documents: list[SupplierDocumentOut]
    gate: SupplierGateOut
    evaluation: dict


class SupplierIn(Schema):
    name: str
    credit_code: str = ""
    contact: str = ""
    phone: str = ""
    address: str = ""


class SupplierDocumentIn(Schema):
    kind: str
    number: str
    valid_until: date


class SupplierDecisionIn(Schema):
    decision: str  # approved, suspended or blocked
    reason: str


class OrderLineOut(Schema):
    id: int
    part_id: int
    specification: str
    quantity: int
    unit_price: Decimal
    delivery_date: date
    accepted: int
    rejected: int


class OrderOut(Schema):
    id: int
    number: str
    supplier_id: int
    warehouse_id: int
    quality_standard: str
    status: str
    created_by_id: int
    approved_by_id: int | None
    approved_at: datetime | None
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class OrderLineIn(Schema):
    part_id: int
    specification: str
    quantity: int
    unit_price: Decimal
    delivery_date: date


class OrderIn(Schema):
    supplier_id: int
    warehouse_id: int
    quality_standard: str
    lines: list[OrderLineIn]
    note: str = ""


class OrderReceiveIn(Schema):
    line_id: int
    arrived: int
    accepted: int
    location_id: int
    received_on: date
    lot: str = ""
    expiry_date: date | None = None
    rejection_reason: str = ""


class InventoryReasonIn(Schema):
    reason: str


class StockCountLineOut(Schema):
    id: int
    part_id: int
    location_id: int
    lot: str
    book: int
    counted: int | None
    variance: int | None
    variance_value: Decimal | None


class StockCountOut(Schema):
    id: int
    number: str
    warehouse_id: int
    scope: str
    status: str
    started_by_id: int
    started_at: datetime
    approved_by_id: int | None
    reason: str


class StockCountDetailOut(StockCountOut):
    lines: list[StockCountLineOut]

    @staticmethod
    def resolve_lines(obj):
        return selectors.count_lines(obj)


class StockCountIn(Schema):
    warehouse_id: int
    location_ids: list[int] = []
    category: str = ""
    scope: str = ""


class CountedLineIn(Schema):
    line_id: int
    counted: int


class CountEnterIn(Schema):
    lines: list[CountedLineIn]


def _supplier_detail(pk: int) -> dict:
    supplier = selectors.supplier_get(pk)
    gate = services.supplier_gate(supplier, local_today())
    return {
        **SupplierOut.from_orm(supplier).dict(),
        "documents": selectors.supplier_documents(supplier),
        "gate": {
            "ok": gate.ok,
            "reasons": [{"code": r.code, "message": r.message} for r in gate.reasons],
        },
        "evaluation": selectors.supplier_evaluation(supplier),
    }


@router.get("/suppliers", response={200: list[SupplierOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def suppliers(request, search: str = ""):
    _require(request)
    return selectors.suppliers(q=search[:100])


@router.post("/suppliers", response={201: SupplierDetailOut, **ERRORS})
def supplier_create(request, payload: SupplierIn):
    supplier = services.supplier_create(actor=request.user, **payload.dict())
    return Status(201, _supplier_detail(supplier.pk))


@router.get("/suppliers/{int:supplier_id}", response={200: SupplierDetailOut, **ERRORS})
def supplier_detail(request, supplier_id: int):
    _require(request)
    return _supplier_detail(supplier_id)


@router.post("/suppliers/{int:supplier_id}/documents", response={201: SupplierDetailOut, **ERRORS})
def supplier_document_add(request, supplier_id: int, payload: SupplierDocumentIn):
    _require(request)
    require_action(request.user, InventoryAction.SUPPLIERS)
    services.supplier_document_add(
        actor=request.user, supplier=selectors.supplier_get(supplier_id), **payload.dict()
    )
    return Status(201, _supplier_detail(supplier_id))


@router.post("/suppliers/{int:supplier_id}/status", response={200: SupplierDetailOut, **ERRORS})
def supplier_status(request, supplier_id: int, payload: SupplierDecisionIn):
    _require(request)
    services.supplier_status_set(
        actor=request.user,
        supplier=selectors.supplier_get(supplier_id),
        status=payload.decision,
        reason=payload.reason,
    )
    return _supplier_detail(supplier_id)


@router.get("/purchase-orders", response={200: list[OrderOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def orders(request, status: str = "", supplier: int | None = None):
    _require(request)
    return selectors.orders(status=status[:20], supplier=supplier)


@router.post("/purchase-orders", response={201: OrderOut, **ERRORS})
def order_create(request, payload: OrderIn):
    require_action(request.user, InventoryAction.ORDER)  # before the ids are looked up
    lines = [
        {
            **line.dict(exclude={"part_id"}),
            "part": referenced(Part, line.part_id, f"lines.{n}.part_id"),
        }
        for n, line in enumerate(payload.lines, start=1)
    ]
    order = services.order_create(
        actor=request.user,
        supplier=referenced(Supplier, payload.supplier_id, "supplier_id"),
        warehouse=referenced(Warehouse, payload.warehouse_id, "warehouse_id"),
        quality_standard=payload.quality_standard,
        lines=lines,
        today=local_today(),
        note=payload.note,
    )
    return Status(201, selectors.order_get(order.pk))


@router.get("/purchase-orders/{int:order_id}", response={200: OrderOut, **ERRORS})
def order_detail(request, order_id: int):
    _require(request)
    return selectors.order_get(order_id)


@router.post("/purchase-orders/{int:order_id}/approve", response={200: OrderOut, **ERRORS})
def order_approve(request, order_id: int):
    _require(request)
    services.order_approve(
        actor=request.user, order=selectors.order_get(order_id), today=local_today()
    )
    return selectors.order_get(order_id)


@router.post("/purchase-orders/{int:order_id}/cancel", response={200: OrderOut, **ERRORS})
def order_cancel(request, order_id: int, payload: InventoryReasonIn):
    _require(request)
    services.order_cancel(
        actor=request.user, order=selectors.order_get(order_id), reason=payload.reason
    )
    return selectors.order_get(order_id)


@router.post("/purchase-orders/{int:order_id}/receive", response={200: OrderOut, **ERRORS})
def order_receive(request, order_id: int, payload: OrderReceiveIn):
    _require(request)
    require_action(request.user, InventoryAction.RECEIVE)
    data = payload.dict()
    services.order_receive(
        actor=request.user,
        order=selectors.order_get(order_id),
        line=referenced(PurchaseOrderLine, data.pop("line_id"), "line_id"),
        location=referenced(Location, data.pop("location_id"), "location_id"),
        today=local_today(),
        **data,
    )
    return selectors.order_get(order_id)


@router.get("/counts", response={200: list[StockCountOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def counts(request, status: str = ""):
    _require(request)
    return selectors.counts(status=status[:20])


@router.post("/counts", response={201: StockCountDetailOut, **ERRORS})
def count_start(request, payload: StockCountIn):
    require_action(request.user, InventoryAction.COUNT)
    warehouse = referenced(Warehouse, payload.warehouse_id, "warehouse_id")
    locations = [
        referenced(Location, pk, f"location_ids.{n}")
        for n, pk in enumerate(payload.location_ids, start=1)
    ]
    count = services.count_start(
        actor=request.user,
        warehouse=warehouse,
        today=local_today(),
        locations=locations,
        scope=payload.scope,
    )
    return Status(201, selectors.count_get(count.pk))


@router.get("/counts/{int:count_id}", response={200: StockCountDetailOut, **ERRORS})
def count_detail(request, count_id: int):
    _require(request)
    return selectors.count_get(count_id)


@router.post("/counts/{int:count_id}/enter", response={200: StockCountDetailOut, **ERRORS})
def count_enter(request, count_id: int, payload: CountEnterIn):
    _require(request)
    services.count_enter(
        actor=request.user,
        count=selectors.count_get(count_id),
        counted={line.line_id: line.counted for line in payload.lines},
    )
    return selectors.count_get(count_id)


@router.post("/counts/{int:count_id}/submit", response={200: StockCountDetailOut, **ERRORS})
def count_submit(request, count_id: int):
    _require(request)
    services.count_submit(actor=request.user, count=selectors.count_get(count_id))
    return selectors.count_get(count_id)


@router.post("/counts/{int:count_id}/approve", response={200: StockCountDetailOut, **ERRORS})
def count_approve(request, count_id: int, payload: InventoryReasonIn):
    _require(request)
    services.count_approve(
        actor=request.user, count=selectors.count_get(count_id), reason=payload.reason
    )
    return selectors.count_get(count_id)


@router.post("/counts/{int:count_id}/cancel", response={200: StockCountDetailOut, **ERRORS})
def count_cancel(request, count_id: int, payload: InventoryReasonIn):
    _require(request)
    services.count_cancel(
        actor=request.user, count=selectors.count_get(count_id), reason=payload.reason
    )
    return selectors.count_get(count_id)


class ReplenishmentOut(Schema):
    part_id: int
    part: str
    on_hand: int
    on_order: int
    reorder_point: int
    target_level: int
    set_by_hand: bool
    suggested: int


class LevelsIn(Schema):
    warehouse_id: int
    lead_time_days: int = 14
    service_level: float = 0.95


class LevelIn(Schema):
    part_id: int
    warehouse_id: int
    reorder_point: int
    target_level: int


class LevelsOut(Schema):
    computed: int


@router.get("/replenishment", response={200: list[ReplenishmentOut], **ERRORS})
def replenishment(request, warehouse: int | None = None):
    """For one warehouse (by default the first central or regional one)."""
    _require(request)
    store = (
        referenced(Warehouse, warehouse, "warehouse")
        if warehouse
        else selectors.issuing_warehouses().first()
    )
    rows = selectors.replenishment(store) if store else []
    return [
        {
            "part_id": r["part"].pk,
            "part": r["part"].number,
            "on_hand": r["on_hand"],
            "on_order": r["on_order"],
            "reorder_point": r["level"].reorder_point,
            "target_level": r["level"].target_level,
            "set_by_hand": r["level"].set_by_hand,
            "suggested": r["suggested"],
        }
        for r in rows
    ]


@router.post("/levels/compute", response={200: LevelsOut, **ERRORS})
def levels_compute(request, payload: LevelsIn):
    require_action(request.user, InventoryAction.ORDER)
    computed = services.levels_compute(
        actor=request.user,
        warehouse=referenced(Warehouse, payload.warehouse_id, "warehouse_id"),
        today=local_today(),
        lead_time_days=payload.lead_time_days,
        service_level=payload.service_level,
    )
    return {"computed": computed}


class StockLevelOut(Schema):
    part_id: int
    warehouse_id: int
    reorder_point: int
    target_level: int
    lead_time_days: int
    service_level: Decimal
    set_by_hand: bool
    mean_daily: Decimal


@router.put("/levels", response={200: StockLevelOut, **ERRORS}, summary="Set a stock level by hand")
def level_set(request, payload: LevelIn):
    require_action(request.user, InventoryAction.ORDER)
    return services.level_set(
        actor=request.user,
        part=referenced(Part, payload.part_id, "part_id"),
        warehouse=referenced(Warehouse, payload.warehouse_id, "warehouse_id"),
        reorder_point=payload.reorder_point,
        target_level=payload.target_level,
    )


class CountScanIn(Schema):
    code: str
    quantity: int = 1


@router.post("/counts/{int:count_id}/scan", response={200: StockCountDetailOut, **ERRORS})
def count_scan(request, count_id: int, payload: CountScanIn):
    _require(request)
    services.count_scan(
        actor=request.user,
        count=selectors.count_get(count_id),
        code=payload.code,
        quantity=payload.quantity,
    )
    return selectors.count_get(count_id)
