"""Reads of parts, stock and requisitions for pages and the API; each page costs a
fixed number of queries. ``on_hand`` is the one definition of available stock."""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from .choices import OPEN_REQUISITIONS
from .models import Location, Part, Requisition, RequisitionLine, StockBalance, StockMove, Warehouse
from .permissions import requisition_scope


def on_hand(part, *, warehouse=None) -> int:
    """Available stock of ``part``: the sum of its balances (in one warehouse, or in
    all but quarantine, where defective returns wait)."""
    rows = StockBalance.objects.filter(part=part, location__is_quarantine=False)
    if warehouse is not None:
        rows = rows.filter(location__warehouse=warehouse)
    return rows.aggregate(n=Sum("quantity"))["n"] or 0


def parts(*, q: str = "", warehouse: int | None = None, sort: str = ""):
    """Parts with their stock on hand (outside quarantine; in one warehouse if given):
    one query whatever the page."""
    stock = Q(balances__location__is_quarantine=False)
    if warehouse:
        stock &= Q(balances__location__warehouse_id=warehouse)
    rows = Part.objects.filter(is_active=True).annotate(
        on_hand=Coalesce(Sum("balances__quantity", filter=stock), Value(0))
    )
    if q:
        rows = rows.filter(
            Q(number__icontains=q) | Q(name__icontains=q) | Q(specification__icontains=q)
        )
    if sort:  # a key of PART_SORTS, validated by PartFilterForm
        from mdss.core.sorting import apply_sort

        from .choices import PART_SORTS

        return apply_sort(rows, sort, PART_SORTS)
    return rows.order_by("number")


def part_get(pk: int) -> Part:
    return get_object_or_404(
        Part.objects.prefetch_related("models_served__product", "substitutes", "suppliers"), pk=pk
    )


def part_stock(part) -> list[StockBalance]:
    """Where the part is, by location and lot (nothing for empty balances)."""
    return list(
        StockBalance.objects.filter(part=part, quantity__gt=0)
        .select_related("location__warehouse")
        .order_by("location__warehouse__kind", "location__warehouse__code", "location__code", "lot")
    )


def moves(*, part=None, location=None, requisition=None):
    rows = StockMove.objects.select_related(
        "part", "from_location__warehouse", "to_location__warehouse", "actor", "requisition"
    )
    if part is not None:
        rows = rows.filter(part=part)
    if location is not None:
        rows = rows.filter(Q(from_location=location) | Q(to_location=location))
    if requisition is not None:
        rows = rows.filter(requisition=requisition)
    return rows.order_by("-id")


def stock(*, part: int | None = None, warehouse: int | None = None):
    rows = StockBalance.objects.filter(quantity__gt=0).select_related("part", "location__warehouse")
    if part:
        rows = rows.filter(part_id=part)
    if warehouse:
        rows = rows.filter(location__warehouse_id=warehouse)
    return rows.order_by("part__number", "location__warehouse__code", "location__code", "lot")


def warehouses():
    return (
        Warehouse.objects.filter(is_active=True).select_related("engineer").order_by("kind", "code")
    )


def issuing_warehouses():
    """Where an engineer may ask for parts: not a van."""
    return warehouses().exclude(kind="van")


def locations(warehouse=None):
    rows = Location.objects.select_related("warehouse").filter(warehouse__is_active=True)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    return rows.order_by("warehouse__kind", "warehouse__code", "code")


def van_locations(engineer):
    return locations().filter(warehouse__engineer=engineer, warehouse__kind="van")


def requisitions_for_user(viewer, *, status: str = "", open_only: bool = False):
    rows = Requisition.objects.select_related("requested_by", "warehouse", "to_location__warehouse")
    scope = requisition_scope(viewer)
    if scope is not None:
        rows = rows.filter(scope)
    if open_only:
        rows = rows.filter(status__in=OPEN_REQUISITIONS)
    if status:
        rows = rows.filter(status=status)
    return rows.prefetch_related(
        Prefetch("lines", queryset=RequisitionLine.objects.select_related("part").order_by("id"))
    )


def requisition_queue(viewer):
    """Open requisitions, the one due first at the top (``due_at``: the running
    24-hour clock's deadline, from the list's own query)."""
    from mdss.calendars.hooks import running_due_at

    from .choices import PROVIDE_CLOCK

    return (
        requisitions_for_user(viewer, open_only=True)
        .annotate(due_at=running_due_at(Requisition, PROVIDE_CLOCK))
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def with_clocks(requisitions) -> list:
    """Each requisition with its running 24-hour clock (``.clock``), one query."""
    from mdss.calendars.selectors import running_clocks

    rows = list(requisitions)
    clocks = running_clocks(rows)
    for row in rows:
        row.clock = clocks.get(row.pk)
    return rows


def requisition_get_for_user(viewer, pk: int) -> Requisition:
    return get_object_or_404(requisitions_for_user(viewer), pk=pk)


def requisition_urls(viewer, ids) -> dict:
    """{requisition id: its page} for the deadline list, only those the viewer sees."""
    from django.urls import reverse

    from .permissions import may_read

    if not may_read(viewer):
        return {}
    rows = Requisition.objects.filter(pk__in=list(ids))
    scope = requisition_scope(viewer)
    if scope is not None:
        rows = rows.filter(scope)
    return {
        pk: reverse("inventory:requisition", args=[pk]) for pk in rows.values_list("pk", flat=True)
    }


def supplier_evaluation(supplier) -> dict:
    """From the supplier's inspections: how many deliveries, the share on or before
    the line's delivery date, and the share of goods accepted (percent, one decimal)."""
    from decimal import Decimal

    from django.db.models import Count, F

    from .models import Inspection

    rows = Inspection.objects.filter(line__order__supplier=supplier)
    totals = rows.aggregate(
        deliveries=Count("pk"),
        on_time=Count("pk", filter=Q(received_on__lte=F("line__delivery_date"))),
        arrived=Sum("arrived"),
        accepted=Sum("accepted"),
    )

    def percent(part, whole):
        return (Decimal(part * 100) / whole).quantize(Decimal("0.1")) if whole else None

    return {
        "deliveries": totals["deliveries"],
        "on_time": percent(totals["on_time"], totals["deliveries"]),
        "accepted": percent(totals["accepted"] or 0, totals["arrived"] or 0),
    }


def suppliers(*, q: str = ""):
    from .models import Supplier

    rows = Supplier.objects.order_by("name")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    return rows


def supplier_get(pk: int):
    from .models import Supplier

    return get_object_or_404(Supplier, pk=pk)


def supplier_documents(supplier) -> list:
    return list(supplier.documents.order_by("kind", "-valid_until"))


def orders(*, status: str = "", supplier: int | None = None):
    from .models import PurchaseOrder, PurchaseOrderLine

    rows = PurchaseOrder.objects.select_related(
        "supplier", "warehouse", "created_by", "approved_by"
    )
    if status:
        rows = rows.filter(status=status)
    if supplier:
        rows = rows.filter(supplier_id=supplier)
    return rows.prefetch_related(
        Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("part").order_by("id"))
    ).order_by("-id")


def order_get(pk: int):
    return get_object_or_404(orders(), pk=pk)


def order_inspections(order) -> list:
    from .models import Inspection

    return list(
        Inspection.objects.filter(line__order=order)
        .select_related("line__part", "inspector", "location__warehouse")
        .order_by("-id")
    )


def counts(*, status: str = ""):
    from .models import StockCount

    rows = StockCount.objects.select_related("warehouse", "started_by", "approved_by")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-id")


def count_get(pk: int):
    return get_object_or_404(counts(), pk=pk)


def count_lines(count) -> list:
    return list(
        count.lines.select_related("part", "location__warehouse").order_by(
            "location__code", "part__number", "lot"
        )
    )


def replenishment(warehouse) -> list[dict]:
    """Parts of ``warehouse`` at or below their reorder point, with what to order:
    the target level less what is on hand (outside quarantine) and on open orders.
    Three queries whatever the number of parts."""
    from django.db.models import F

    from .models import PurchaseOrderLine, StockLevel

    levels = list(StockLevel.objects.filter(warehouse=warehouse).select_related("part"))
    if not levels:
        return []
    part_ids = [level.part_id for level in levels]
    stock = dict(
        StockBalance.objects.filter(
            part_id__in=part_ids, location__warehouse=warehouse, location__is_quarantine=False
        )
        .values("part_id")
        .annotate(n=Sum("quantity"))
        .values_list("part_id", "n")
    )
    ordered = dict(
        PurchaseOrderLine.objects.filter(
            part_id__in=part_ids,
            order__warehouse=warehouse,
            order__status__in=["draft", "approved", "partly_received"],
        )
        .values("part_id")
        .annotate(n=Sum(F("quantity") - F("accepted")))
        .values_list("part_id", "n")
    )
    rows = []
    for level in levels:
        on_hand = stock.get(level.part_id, 0)
        on_order = ordered.get(level.part_id, 0)
        if on_hand + on_order > level.reorder_point:
            continue
        rows.append(
            {
                "part": level.part,
                "level": level,
                "on_hand": on_hand,
                "on_order": on_order,
                "suggested": max(level.target_level - on_hand - on_order, 0),
            }
        )
    return sorted(rows, key=lambda r: (r["on_hand"] - r["level"].reorder_point, r["part"].number))


def part_categories() -> list[str]:
    return list(
        Part.objects.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def requisitions_for_reference(reference: str):
    """The requisitions made for one service request (by its number), with their
    lines and clocks: the request's page shows whether its parts are on the way."""
    rows = (
        Requisition.objects.filter(service_reference=reference)
        .select_related("warehouse", "requested_by")
        .prefetch_related(
            Prefetch(
                "lines", queryset=RequisitionLine.objects.select_related("part").order_by("id")
            )
        )
        .order_by("id")
    )
    return with_clocks(rows)


def expiring_supplier_documents(today, *, within_days: int) -> list:
    """Suppliers' papers (licence, authorisation, quality agreement …) expiring within
    ``within_days`` with no later paper of the same kind on file: the risk register's
    supplier signal. Two queries."""
    from datetime import timedelta

    from .models import SupplierDocument

    rows = list(
        SupplierDocument.objects.filter(
            valid_until__gte=today, valid_until__lte=today + timedelta(days=within_days)
        ).select_related("supplier")
    )
    later = set(
        SupplierDocument.objects.filter(
            supplier_id__in={d.supplier_id for d in rows},
            valid_until__gt=today + timedelta(days=within_days),
        ).values_list("supplier_id", "kind")
    )
    return [d for d in rows if (d.supplier_id, d.kind) not in later]
