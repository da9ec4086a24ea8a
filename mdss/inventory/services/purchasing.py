"""Suppliers and purchasing (A11): a qualified supplier's papers, the gate an order
passes, purchase orders with their approval, and receipt with incoming inspection
(accepted goods enter stock through the ledger, rejected ones are recorded)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.decisions import Decision
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed, model_errors
from mdss.core.numbers import next_number
from mdss.core.workflow import lock_for_transition

from ..choices import (
    ORDER_TRANSITIONS,
    InspectionResult,
    InventoryAction,
    MoveKind,
    OrderStatus,
    SupplierDocumentKind,
    SupplierStatus,
)
from ..models import (
    Inspection,
    Location,
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierDocument,
)
from ..permissions import require_action
from . import ledger

MAX_LINES = 50


def supplier_gate(supplier: Supplier, on: date) -> Decision:
    """May ``supplier`` receive an order on ``on``? Approved, and each of the four
    papers valid that day; every reason names the paper."""
    decision = Decision()
    if supplier.status != SupplierStatus.APPROVED:
        decision.refuse(
            f"supplier_{supplier.status}",
            _("%(s)s is %(status)s: %(why)s")
            % {
                "s": supplier.name,
                "status": supplier.get_status_display(),
                "why": supplier.status_reason,
            },
        )
    valid = {
        d.kind: d for d in supplier.documents.filter(valid_until__gte=on).order_by("valid_until")
    }
    latest = {d.kind: d for d in supplier.documents.order_by("valid_until")}
    for kind in SupplierDocumentKind:
        if kind in valid:
            continue
        if kind in latest:
            decision.refuse(
                f"{kind.value}_expired",
                _("The %(doc)s of %(s)s expired on %(date)s.")
                % {"doc": kind.label, "s": supplier.name, "date": latest[kind].valid_until},
            )
        else:
            decision.refuse(
                f"{kind.value}_missing",
                _("%(s)s has no %(doc)s on file.") % {"doc": kind.label, "s": supplier.name},
            )
    return decision


SUPPLIER_FIELDS = ["name", "credit_code", "contact", "phone", "address"]


def supplier_create(*, actor, **fields) -> Supplier:
    require_action(actor, InventoryAction.SUPPLIERS)
    supplier = Supplier(**{k: (v or "").strip() for k, v in fields.items() if k in SUPPLIER_FIELDS})
    errors = model_errors(supplier)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        supplier.save()
        audit.record(
            actor=actor,
            action="inventory.supplier_created",
            obj=supplier,
            changes=audit.snapshot(supplier, SUPPLIER_FIELDS),
        )
    return supplier


def supplier_document_add(
    *, actor, supplier: Supplier, kind: str, number: str, valid_until: date, file=None
) -> SupplierDocument:
    require_action(actor, InventoryAction.SUPPLIERS)
    document = SupplierDocument(
        supplier=supplier,
        kind=kind,
        number=(number or "").strip(),
        valid_until=valid_until,
        file=file or "",
    )
    errors = model_errors(document, exclude=["file"] if not file else None)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        document.save()
        audit.record(
            actor=actor,
            action="inventory.supplier_document_added",
            obj=supplier,
            changes={"kind": kind, "number": document.number, "valid_until": valid_until},
        )
    return document


def supplier_status_set(*, actor, supplier: Supplier, status: str, reason: str) -> Supplier:
    """Approve, suspend or block a supplier (quality or management), with a reason."""
    require_action(actor, InventoryAction.QUALIFY)
    if status not in SupplierStatus.values:
        raise ValidationFailed.single("decision", "invalid_choice", _("Choose a status."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", _("Say why."))
    with transaction.atomic():
        locked = Supplier.objects.select_for_update().get(pk=supplier.pk)
        before = locked.status
        locked.status, locked.status_reason = status, reason
        locked.save(update_fields=["status", "status_reason", "updated_at"])
        audit.record(
            actor=actor,
            action="inventory.supplier_status",
            obj=locked,
            reason=reason,
            changes={"status": {"before": before, "after": status}},
        )
    return locked


def _gate_errors(supplier: Supplier, on: date) -> list[FieldError]:
    return supplier_gate(supplier, on).field_errors("supplier")


def order_create(
    *,
    actor,
    supplier: Supplier,
    warehouse,
    quality_standard: str,
    lines: list[dict],
    today: date,
    note: str = "",
) -> PurchaseOrder:
    """A draft order; every line must state part, specification, quantity, price and
    delivery date (A11). ``lines``: dicts of those keys."""
    require_action(actor, InventoryAction.ORDER)
    order = PurchaseOrder(
        supplier=supplier,
        warehouse=warehouse,
        quality_standard=(quality_standard or "").strip(),
        note=(note or "").strip(),
        created_by=actor,
        number="-",
    )
    errors = model_errors(order, exclude=["number", "created_by"])
    errors += _gate_errors(supplier, today)
    if warehouse.kind == "van":
        errors.append(
            FieldError("warehouse", "van", _("Deliver to a central or regional warehouse."))
        )
    if not lines:
        errors.append(FieldError("lines", "required", _("Add at least one part.")))
    if len(lines) > MAX_LINES:
        errors.append(FieldError("lines", "max", _("At most %(n)s parts.") % {"n": MAX_LINES}))
    rows = []
    for n, line in enumerate(lines[:MAX_LINES], start=1):
        row = PurchaseOrderLine(
            part=line.get("part"),
            specification=(line.get("specification") or "").strip(),
            quantity=line.get("quantity"),
            unit_price=line.get("unit_price"),
            delivery_date=line.get("delivery_date"),
        )
        line_errors = model_errors(row, exclude=["order"])
        if row.delivery_date and row.delivery_date < today:
            line_errors.append(FieldError("delivery_date", "past", _("The date has passed.")))
        errors += [FieldError(f"lines.{n}.{e.field}", e.rule, e.message) for e in line_errors]
        rows.append(row)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        order.number = next_number("CG", on=today)
        order.save()
        for row in rows:
            row.order = order
        PurchaseOrderLine.objects.bulk_create(rows)
        supplier.parts.add(*{row.part for row in rows})
        audit.record(
            actor=actor,
            action="inventory.order_created",
            obj=order,
            changes={
                "supplier": supplier.name,
                "quality_standard": order.quality_standard,
                "lines": [
                    [r.part.number, r.specification, r.quantity, r.unit_price, r.delivery_date]
                    for r in rows
                ],
            },
        )
    return order


def order_approve(*, actor, order: PurchaseOrder, today: date) -> PurchaseOrder:
    """Management approves; not the person who drafted it; the supplier passes the
    gate again on the day of approval."""
    require_action(actor, InventoryAction.APPROVE_ORDER)
    if order.created_by_id == actor.pk:
        raise PermissionDenied(
            _("Someone other than the person who drafted the order approves it.")
        )
    with transaction.atomic():
        locked = lock_for_transition(order, OrderStatus.APPROVED, ORDER_TRANSITIONS)
        errors = _gate_errors(locked.supplier, today)
        if errors:
            raise ValidationFailed(errors=errors)
        locked.status, locked.approved_by, locked.approved_at = (
            OrderStatus.APPROVED,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        audit.record(actor=actor, action="inventory.order_approved", obj=locked)
    return locked


def order_cancel(*, actor, order: PurchaseOrder, reason: str) -> PurchaseOrder:
    require_action(actor, InventoryAction.ORDER)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", _("Say why it is cancelled."))
    with transaction.atomic():
        locked = lock_for_transition(order, OrderStatus.CANCELLED, ORDER_TRANSITIONS)
        if locked.lines.filter(accepted__gt=0).exists():
            raise ValidationFailed.single(
                "reason", "received", _("Goods were received against this order.")
            )
        locked.status, locked.cancel_reason = OrderStatus.CANCELLED, reason
        locked.save(update_fields=["status", "cancel_reason", "updated_at"])
        audit.record(actor=actor, action="inventory.order_cancelled", obj=locked, reason=reason)
    return locked


def order_receive(
    *,
    actor,
    order: PurchaseOrder,
    line: PurchaseOrderLine,
    arrived,
    accepted,
    location: Location,
    received_on: date,
    today: date,
    lot: str = "",
    expiry_date: date | None = None,
    rejection_reason: str = "",
) -> Inspection:
    """Record the incoming inspection of a delivery on one line: the accepted goods
    enter stock (a receipt move), the rejected ones are recorded with the reason."""
    require_action(actor, InventoryAction.RECEIVE)
    arrived = ledger._quantity(arrived, "arrived")
    try:
        accepted = int(accepted)
    except (TypeError, ValueError):
        accepted = -1
    errors = []
    if not 0 <= accepted <= arrived:
        errors.append(
            FieldError(
                "accepted", "range", _("Between 0 and what arrived (%(n)s).") % {"n": arrived}
            )
        )
    rejected = arrived - max(accepted, 0)
    if rejected and not (rejection_reason or "").strip():
        errors.append(FieldError("rejection_reason", "required", _("Say why goods were rejected.")))
    if received_on > today:
        errors.append(FieldError("received_on", "future", _("The date is later than today.")))
    if location.warehouse_id != order.warehouse_id or location.is_quarantine:
        errors.append(
            FieldError(
                "location", "other_warehouse", _("Store it in %(w)s.") % {"w": order.warehouse}
            )
        )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        locked = lock_for_transition(order, OrderStatus.PARTLY_RECEIVED, ORDER_TRANSITIONS)
        line = locked.lines.select_for_update().select_related("part").filter(pk=line.pk).first()
        if line is None:
            raise ValidationFailed.single("line", "other", _("Not a line of this order."))
        if accepted > line.open_quantity:
            raise ValidationFailed.single(
                "accepted",
                "too_many",
                _("Only %(n)s still open on this line.") % {"n": line.open_quantity},
            )
        move = None
        if accepted:
            move = ledger.move(
                kind=MoveKind.RECEIPT,
                actor=actor,
                part=line.part,
                quantity=accepted,
                to_location=location,
                lot=lot,
                reference=locked.number,
                field="accepted",
            )
        result = (
            InspectionResult.ACCEPTED
            if not rejected
            else InspectionResult.REJECTED
            if not accepted
            else InspectionResult.PARTLY_ACCEPTED
        )
        inspection = Inspection.objects.create(
            line=line,
            arrived=arrived,
            accepted=accepted,
            rejected=rejected,
            lot=(lot or "").strip(),
            expiry_date=expiry_date,
            result=result,
            rejection_reason=(rejection_reason or "").strip(),
            location=location,
            inspector=actor,
            received_on=received_on,
            move=move,
        )
        line.accepted += accepted
        line.rejected += rejected
        line.save(update_fields=["accepted", "rejected"])
        done = line.open_quantity == 0 and not (
            locked.lines.exclude(pk=line.pk).filter(accepted__lt=F("quantity")).exists()
        )
        locked.status = OrderStatus.RECEIVED if done else OrderStatus.PARTLY_RECEIVED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="inventory.order_received",
            obj=locked,
            changes={
                "part": line.part.number,
                "arrived": arrived,
                "accepted": accepted,
                "rejected": rejected,
                "lot": inspection.lot,
                "result": result,
                "rejection_reason": inspection.rejection_reason,
            },
        )
    return inspection
