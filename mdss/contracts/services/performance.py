"""Performance (履行): deliveries with their documents and scanned units, which
create the installed base.

    signed ── first delivery_record ──▶ in_performance

A delivery is refused unless the papers still hold on its date (catalog gate, the
customer's licence, the rep's authorisation), every model's documents are ticked
(IFU, label, certificate of conformity — Q2), the quantities do not exceed what
remains of each line (rows locked, so two deliveries of the last units cannot both
pass), and every unit of a product that is installed is scanned (serial or UDI).
"""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core import uploads
from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed
from mdss.core.numbers import next_number

from .. import gates
from ..choices import DELIVERABLE, ContractStatus
from ..models import Contract, ContractLine, DeliveredUnit, Delivery, DeliveryItem
from ..permissions import require_contract_access

DOCUMENT_KINDS = {"ifu": "说明书", "label": "标签", "coc": "合格证明"}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _unit(code: str, model) -> tuple[dict, str | None]:
    """A scanned code as {serial, lot, di, expiry, udi}, or a problem (the installed
    base's own reading of a scan)."""
    from mdss.devices.services import unit_from_scan

    return unit_from_scan(code, model)


def _whole(raw) -> int:
    """A whole number from a request, 0 when it is not one (a field error follows)."""
    try:
        value = int(raw or 0)
    except (TypeError, ValueError):
        return 0
    return value if abs(value) < 2**31 else 0


def delivery_record(
    *,
    actor,
    contract: Contract,
    delivered_on: date,
    items: list[dict],
    documents: dict,
    today: date,
    carrier: str = "",
    tracking_number: str = "",
) -> Delivery:
    """``items``: [{"line_id", "quantity", "units": ["<UDI or serial>", …], "site"}];
    ``documents``: {model_id: ["ifu", "label", "coc"]}."""
    from mdss.catalog.holds import unit_held
    from mdss.devices.models import InstalledDevice
    from mdss.devices.services import device_register_delivered

    require_contract_access(actor, contract, "deliver")
    if delivered_on > today:
        raise ValidationFailed.single(
            "delivered_on", "future", _("Record a delivery once it has happened.")
        )
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.status not in DELIVERABLE:
            raise InvalidTransition(
                _("Contract %(no)s is %(status)s: only a signed contract is delivered.")
                % {"no": locked.number, "status": locked.get_status_display()}
            )
        # Lock the lines: two deliveries of the last units queue here.
        lines = {
            line.pk: line
            for line in ContractLine.objects.select_for_update()
            .filter(contract=locked)
            .select_related("model__product")
            .prefetch_related("model__device_identifiers")
        }
        delivered = dict(
            DeliveryItem.objects.filter(line__contract=locked)
            .values("line_id")
            .annotate(total=Sum("quantity"))
            .values_list("line_id", "total")
        )
        errors: list[FieldError] = []
        if locked.signed_on and delivered_on < locked.signed_on:
            errors.append(
                FieldError(
                    "delivered_on",
                    "before_signing",
                    _("The contract was signed on %(date)s; a delivery cannot be earlier.")
                    % {"date": locked.signed_on},
                )
            )
        if not items:
            errors.append(FieldError("items", "required", _("Deliver at least one line.")))
        units_by_item = []
        seen_serials = set()
        for n, item in enumerate(items, start=1):
            line = lines.get(_whole(item.get("line_id")))
            prefix = f"items.{n}"
            if line is None:
                errors.append(
                    FieldError(f"{prefix}.line_id", "unknown", _("Not a line of this contract."))
                )
                units_by_item.append([])
                continue
            quantity = _whole(item.get("quantity"))
            left = line.quantity - delivered.get(line.pk, 0)
            if quantity < 1:
                errors.append(
                    FieldError(f"{prefix}.quantity", "min_value", _("At least one unit."))
                )
            elif quantity > left:
                errors.append(
                    FieldError(
                        f"{prefix}.quantity",
                        "over_delivery",
                        _("%(model)s: %(q)s ordered, %(left)s left to deliver, %(n)s asked.")
                        % {"model": line.model, "q": line.quantity, "left": left, "n": quantity},
                    )
                )
            delivered[line.pk] = delivered.get(line.pk, 0) + max(quantity, 0)
            codes = [c for c in item.get("units") or [] if str(c).strip()]
            units = []
            if line.model.product.needs_installation and len(codes) != quantity:
                errors.append(
                    FieldError(
                        f"{prefix}.units",
                        "scan_each_unit",
                        _("%(model)s: scan each unit (%(q)s units, %(n)s scans).")
                        % {"model": line.model, "q": quantity, "n": len(codes)},
                    )
                )
            for code in codes:
                unit, problem = _unit(str(code), line.model)
                if problem:
                    errors.append(FieldError(f"{prefix}.units", "udi", problem))
                    continue
                if unit["expiry_date"] and unit["expiry_date"] < delivered_on:
                    errors.append(
                        FieldError(
                            f"{prefix}.units",
                            "unit_expired",
                            _("%(code)s expired on %(date)s: it cannot be delivered.")
                            % {"code": code, "date": unit["expiry_date"]},
                        )
                    )
                    continue
                hold = unit_held(line.model_id, unit["lot"], unit["serial"])
                if hold is not None:
                    errors.append(
                        FieldError(
                            f"{prefix}.units",
                            hold.code,
                            _("%(code)s cannot be delivered: %(reason)s")
                            % {"code": code, "reason": hold.message},
                        )
                    )
                    continue
                key = (line.model_id, unit["serial"])
                if unit["serial"] and (
                    key in seen_serials
                    or InstalledDevice.objects.filter(
                        model=line.model, serial=unit["serial"]
                    ).exists()
                ):
                    errors.append(
                        FieldError(
                            f"{prefix}.units",
                            "serial_taken",
                            _("Serial %(serial)s of %(model)s is delivered already.")
                            % {"serial": unit["serial"], "model": line.model},
                        )
                    )
                seen_serials.add(key)
                units.append(unit)
            units_by_item.append(units)
        models_delivered = {
            lines[_whole(i.get("line_id"))].model
            for i in items
            if _whole(i.get("line_id")) in lines
        }
        for model in models_delivered:
            ticked = set(documents.get(model.pk) or documents.get(str(model.pk)) or [])
            missing = [name for kind, name in DOCUMENT_KINDS.items() if kind not in ticked]
            if missing:
                errors.append(
                    FieldError(
                        f"documents.{model.pk}",
                        "documents_missing",
                        _("%(model)s: tick the documents delivered with it: %(missing)s.")
                        % {"model": model, "missing": "、".join(missing)},
                    )
                )
        delivered_lines = [
            lines[_whole(i.get("line_id"))] for i in items if _whole(i.get("line_id")) in lines
        ]
        errors += gates.gate_errors(locked, delivered_lines, delivered_on, prices=False)
        if errors:
            raise ValidationFailed(errors=errors)
        delivery = Delivery.objects.create(
            number=next_number("FH", on=delivered_on),
            contract=locked,
            delivered_on=delivered_on,
            carrier=carrier,
            tracking_number=tracking_number,
            documents={str(k): sorted(v) for k, v in documents.items()},
            recorded_by=actor,
        )
        warranty_until = add_months(delivered_on, locked.warranty_months)
        devices = 0
        for item, units in zip(items, units_by_item, strict=True):
            line = lines[item["line_id"]]
            row = DeliveryItem.objects.create(
                delivery=delivery, line=line, quantity=int(item["quantity"])
            )
            for unit in units:
                device = device_register_delivered(
                    actor=actor,
                    customer=locked.customer,
                    model=line.model,
                    unit=unit,
                    site=item.get("site", ""),
                    delivered_on=delivered_on,
                    warranty_until=warranty_until,
                )
                DeliveredUnit.objects.create(delivery_item=row, device=device)
                devices += 1
        if locked.status == ContractStatus.SIGNED:
            locked.status = ContractStatus.IN_PERFORMANCE
            locked.save(update_fields=["status", "updated_at"])
        from .payments import _complete_if_done

        audit.record(
            actor=actor,
            action="contracts.delivered",
            obj=locked,
            changes={
                "delivery": delivery.number,
                "items": [[i["line_id"], int(i["quantity"])] for i in items],
                "devices": devices,
            },
        )
        _complete_if_done(locked, actor)
    return delivery


def delivery_confirm_receipt(
    *, actor, delivery: Delivery, received_on: date, received_by: str, today: date, scan=None
) -> Delivery:
    """The customer confirmed receipt (签收): who signed, on which day, and the signed
    delivery note when there is one. Recorded once; the date cannot precede the
    delivery or lie in the future."""
    require_contract_access(actor, delivery.contract, "perform")
    uploads.check(scan, field="scan")
    name = (received_by or "").strip()
    errors = []
    if not name:
        errors.append(
            FieldError("received_by", "required", _("Who signed for the goods at the customer?"))
        )
    if received_on > today:
        errors.append(
            FieldError("received_on", "future", _("Record the receipt once it has happened."))
        )
    elif received_on < delivery.delivered_on:
        errors.append(
            FieldError(
                "received_on",
                "before_delivery",
                _("The goods left on %(date)s; they cannot be received earlier.")
                % {"date": delivery.delivered_on},
            )
        )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.received_on is not None:
            raise InvalidTransition(
                _("Delivery %(no)s was confirmed as received on %(date)s already.")
                % {"no": locked.number, "date": locked.received_on}
            )
        locked.received_on, locked.received_by, locked.receipt_recorded_by = (
            received_on,
            name,
            actor,
        )
        fields = ["received_on", "received_by", "receipt_recorded_by", "updated_at"]
        if scan:
            locked.receipt_scan = scan
            fields.append("receipt_scan")
        locked.save(update_fields=fields)
        audit.record(
            actor=actor,
            action="contracts.received",
            obj=locked.contract,
            changes={"delivery": locked.number, "received_on": received_on, "received_by": name},
        )
    return locked
