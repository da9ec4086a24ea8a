"""Every change to the installed base, one function per action.

    (register / import / a contract's delivery) ──▶ in_service ── decommission ──▶ decommissioned
                                                    │  ▲
                              install, transfer ────┘  │ (stays in service)

``device_register`` (by hand, with a UDI scan) and ``device_import`` (Excel, all or
nothing) run the same checks, ``check_registration``, so a rule holds on the page,
in the API and in the file alike. ``device_register_delivered`` is the contracts
app's way in: it checked its own permission (recording a delivery), and the unit
comes with its delivery's dates. Each function runs in a transaction, checks the
actor's action permission and the device's state, and writes an audit event.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mdss.audit import services as audit
from mdss.catalog.udi import parse_udi
from mdss.core.dates import local_today
from mdss.core.errors import FieldError, InvalidTransition, ValidationFailed, model_errors

from .choices import MANUAL_ORIGINS, DeviceAction, DeviceOrigin, DeviceStatus
from .models import DeviceTransfer, InstalledDevice
from .permissions import possible_actions, require_device_action

REASON_MAX = 2000


def unit_from_scan(code: str, model) -> tuple[dict, str | None]:
    """A scanned code as {serial, lot, di, expiry_date, udi}, or a problem in words.

    A UDI (GS1 or HIBC) must be valid, carry a serial or a lot, and, when the model's
    DIs are known, be one of them; any other text is taken as a plain serial number
    (older units carry no UDI)."""
    text = (code or "").strip()
    if not text:
        return {}, _("an empty scan")
    result = parse_udi(text)
    if result.scheme:
        if not result.ok:
            return {}, _("%(code)s is not a valid UDI: %(why)s") % {
                "code": text,
                "why": "; ".join(result.errors),
            }
        known = {d.di for d in model.device_identifiers.all()}
        if known and result.di not in known:
            return {}, _("%(code)s is the UDI of another product (DI %(di)s)") % {
                "code": text,
                "di": result.di,
            }
        if not (result.serial or result.lot):
            return {}, _("%(code)s has neither a serial number nor a lot") % {"code": text}
        return {
            "serial": result.serial,
            "lot": result.lot,
            "di": result.di,
            "expiry_date": result.expiry_date,
            "udi": text,
        }, None
    return {"serial": text, "lot": "", "di": "", "expiry_date": None, "udi": ""}, None


def _clean(value) -> str:
    return " ".join(str(value or "").split())


def check_registration(
    *,
    customer,
    model,
    origin: str,
    today: date,
    serial: str = "",
    lot: str = "",
    udi: str = "",
    site: str = "",
    delivered_on: date | None = None,
    warranty_until: date | None = None,
    note: str = "",
    seen: set | None = None,
) -> tuple[dict, list[FieldError]]:
    """The rules of a unit registered by hand or imported: the form, the API and the
    import all call this. Returns the device's fields and every problem found.
    ``seen`` collects (model, serial) pairs across the rows of one import."""
    errors: list[FieldError] = []
    fields = {
        "customer": customer,
        "model": model,
        "origin": origin,
        "serial": _clean(serial),
        "lot": _clean(lot),
        "udi": "",
        "di": "",
        "expiry_date": None,
        "site": _clean(site),
        "delivered_on": delivered_on,
        "warranty_until": warranty_until,
        "note": (note or "").strip(),
    }
    if customer is None:
        errors.append(FieldError("customer", "required", _("Which customer has the unit?")))
    if model is None:
        errors.append(FieldError("model", "required", _("Which model is the unit?")))
    if origin == DeviceOrigin.DELIVERED:
        errors.append(
            FieldError(
                "origin",
                "delivered_by_contract",
                _("Units delivered through a contract are registered by recording the delivery."),
            )
        )
    elif origin not in MANUAL_ORIGINS:
        errors.append(FieldError("origin", "invalid_choice", _("Pick where the unit comes from.")))
    scan = (udi or "").strip()
    if scan and model is not None:
        unit, problem = unit_from_scan(scan, model)
        if problem:
            errors.append(FieldError("udi", "udi", problem))
        else:
            for name in ("serial", "lot"):
                typed = fields[name]
                if typed and unit[name] and typed != unit[name]:
                    errors.append(
                        FieldError(
                            name,
                            "udi_mismatch",
                            _("The scan says %(scanned)s, not %(typed)s.")
                            % {"scanned": unit[name], "typed": typed},
                        )
                    )
                fields[name] = typed or unit[name]
            fields.update(udi=unit["udi"], di=unit["di"], expiry_date=unit["expiry_date"])
    if not (fields["serial"] or fields["lot"]):
        errors.append(
            FieldError(
                "serial", "serial_or_lot", _("Give the serial number or the lot (or scan the UDI).")
            )
        )
    if fields["serial"] and model is not None:
        key = (model.pk, fields["serial"])
        if (seen is not None and key in seen) or InstalledDevice.objects.filter(
            model=model, serial=fields["serial"]
        ).exists():
            errors.append(
                FieldError(
                    "serial",
                    "serial_taken",
                    _("Serial %(serial)s of %(model)s is in the installed base already.")
                    % {"serial": fields["serial"], "model": model},
                )
            )
        if seen is not None:
            seen.add(key)
    if delivered_on and delivered_on > today:
        errors.append(
            FieldError("delivered_on", "future", _("A delivery date cannot lie in the future."))
        )
    if warranty_until and delivered_on and warranty_until < delivered_on:
        errors.append(
            FieldError(
                "warranty_until",
                "before_delivery",
                _("The warranty cannot end before the unit was delivered."),
            )
        )
    # Lengths and the like, as the model states them.
    known = {e.field for e in errors}
    errors += [
        e
        for e in model_errors(
            InstalledDevice(
                **{k: v for k, v in fields.items() if k not in ("customer", "model")},
                customer_id=getattr(customer, "pk", None),
                model_id=getattr(model, "pk", None),
            ),
            exclude=["customer", "model", "origin"],
        )
        if e.field not in known
    ]
    return fields, errors


def _create(fields: dict, *, actor, action: str) -> InstalledDevice:
    device = InstalledDevice.objects.create(registered_by=actor, **fields)
    audit.record(
        actor=actor,
        action=action,
        obj=device,
        changes={
            "origin": device.origin,
            "customer": device.customer_id,
            "model": device.model_id,
            "serial": device.serial,
            "lot": device.lot,
            "udi": device.udi,
            "site": device.site,
            "delivered_on": device.delivered_on,
            "warranty_until": device.warranty_until,
        },
    )
    return device


def device_register(
    *,
    actor,
    customer,
    model,
    origin: str,
    serial: str = "",
    lot: str = "",
    udi: str = "",
    site: str = "",
    delivered_on: date | None = None,
    warranty_until: date | None = None,
    note: str = "",
    today: date | None = None,
) -> InstalledDevice:
    """Register a unit not delivered through a contract (taken over, sold before
    go-live, loaner, demo unit)."""
    require_device_action(actor, None, DeviceAction.REGISTER)
    fields, errors = check_registration(
        customer=customer,
        model=model,
        origin=origin,
        serial=serial,
        lot=lot,
        udi=udi,
        site=site,
        delivered_on=delivered_on,
        warranty_until=warranty_until,
        note=note,
        today=today or local_today(),
    )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        return _create(fields, actor=actor, action="devices.registered")


def device_register_delivered(
    *,
    actor,
    customer,
    model,
    unit: dict,
    site: str,
    delivered_on: date,
    warranty_until: date,
) -> InstalledDevice:
    """A unit a contract delivery brought (``unit`` from ``unit_from_scan``). Called by
    ``contracts.delivery_record`` inside its transaction, after it checked that the
    actor may record the delivery and that the serial is free."""
    fields = {
        "customer": customer,
        "model": model,
        "origin": DeviceOrigin.DELIVERED,
        "site": site,
        "delivered_on": delivered_on,
        "warranty_until": warranty_until,
        **unit,
    }
    with transaction.atomic():
        return _create(fields, actor=actor, action="devices.delivered")


def device_warranty_change(*, actor, device: InstalledDevice, warranty_until: date, reason: str):
    """The warranty promised for ``device`` changed (a contract amendment): the selling
    app checked its own permission."""
    with transaction.atomic():
        locked = InstalledDevice.objects.select_for_update().get(pk=device.pk)
        before = audit.snapshot(locked, ["warranty_until"])
        locked.warranty_until = warranty_until
        locked.save(update_fields=["warranty_until", "updated_at"])
        audit.record_changes(
            actor=actor, obj=locked, before=before, action="devices.warranty_changed", reason=reason
        )
    return locked


def _lock(device: InstalledDevice, action: str) -> InstalledDevice:
    locked = InstalledDevice.objects.select_for_update().get(pk=device.pk)
    if action not in possible_actions(locked):
        raise InvalidTransition(
            _("%(device)s is %(status)s: this action is not possible now.")
            % {"device": locked, "status": locked.get_status_display()}
        )
    return locked


def _reason(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed.single(field, "required", _("Give the reason."))
    if len(text) > REASON_MAX:
        raise ValidationFailed.single(
            field, "max_length", _("At most %(n)s characters.") % {"n": REASON_MAX}
        )
    return text


def _not_future(day: date | None, field: str, today: date) -> None:
    if day is None:
        raise ValidationFailed.single(field, "required", _("Give the date."))
    if day > today:
        raise ValidationFailed.single(field, "future", _("This date lies in the future."))


def device_transfer(
    *,
    actor,
    device: InstalledDevice,
    to_customer=None,
    to_site: str | None = None,
    transferred_on: date,
    reason: str,
    today: date | None = None,
) -> InstalledDevice:
    """Move a unit to another customer and/or site; the move is kept in the unit's
    transfer history (append-only)."""
    require_device_action(actor, device, DeviceAction.TRANSFER)
    text = _reason(reason)
    _not_future(transferred_on, "transferred_on", today or local_today())
    with transaction.atomic():
        locked = _lock(device, DeviceAction.TRANSFER)
        new_customer = to_customer or locked.customer
        # No site given: the same room at the same customer; unknown at a new one.
        if to_site is None:
            new_site = locked.site if new_customer.pk == locked.customer_id else ""
        else:
            new_site = _clean(to_site)
        if len(new_site) > 200:
            raise ValidationFailed.single(
                "to_site", "max_length", _("At most %(n)s characters.") % {"n": 200}
            )
        if new_customer.pk == locked.customer_id and new_site == locked.site:
            raise ValidationFailed.single(
                "to_customer", "no_change", _("Give another customer or another site.")
            )
        if locked.delivered_on and transferred_on < locked.delivered_on:
            raise ValidationFailed.single(
                "transferred_on",
                "before_delivery",
                _("The unit was delivered on %(date)s; a transfer cannot be earlier.")
                % {"date": locked.delivered_on},
            )
        last = locked.transfers.order_by("-transferred_on").values_list("transferred_on", flat=True)
        if last and last[0] > transferred_on:
            raise ValidationFailed.single(
                "transferred_on",
                "before_last_transfer",
                _("The unit was last moved on %(date)s; a transfer cannot be earlier.")
                % {"date": last[0]},
            )
        transfer = DeviceTransfer.objects.create(
            device=locked,
            transferred_on=transferred_on,
            from_customer_id=locked.customer_id,
            to_customer=new_customer,
            from_site=locked.site,
            to_site=new_site,
            reason=text,
            recorded_by=actor,
        )
        before = audit.snapshot(locked, ["customer_id", "site"])
        locked.customer = new_customer
        locked.site = new_site
        locked.save(update_fields=["customer", "site", "updated_at"])
        audit.record(
            actor=actor,
            action="devices.transferred",
            obj=locked,
            changes={
                "transfer": transfer.pk,
                "transferred_on": transferred_on,
                **audit.diff(before, audit.snapshot(locked, ["customer_id", "site"])),
            },
            reason=text,
        )
    return locked


def device_decommission(
    *,
    actor,
    device: InstalledDevice,
    decommissioned_on: date,
    reason: str,
    today: date | None = None,
) -> InstalledDevice:
    """Take a unit out of service for good (scrapped, returned, lost…). It stays in the
    installed base for traceability."""
    require_device_action(actor, device, DeviceAction.DECOMMISSION)
    text = _reason(reason)
    _not_future(decommissioned_on, "decommissioned_on", today or local_today())
    with transaction.atomic():
        locked = _lock(device, DeviceAction.DECOMMISSION)
        locked.status = DeviceStatus.DECOMMISSIONED
        locked.decommissioned_on = decommissioned_on
        locked.decommission_reason = text
        locked.save(
            update_fields=["status", "decommissioned_on", "decommission_reason", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="devices.decommissioned",
            obj=locked,
            changes={"status": locked.status, "decommissioned_on": decommissioned_on},
            reason=text,
        )
    return locked


def _is_service_staff(user) -> bool:
    from mdss.accounts import roles

    return bool(
        user and user.is_active and user.has_role(roles.SERVICE_ENGINEER, roles.SERVICE_MANAGER)
    )


def device_installation_record(
    *,
    actor,
    device: InstalledDevice,
    installed_on: date,
    engineer,
    accepted_by_customer: str,
    accepted_on: date | None = None,
    today: date | None = None,
) -> InstalledDevice:
    """The installation (安装调试): when, by which engineer, and who at the customer
    accepted it (验收), on which day. Recorded once."""
    require_device_action(actor, device, DeviceAction.INSTALL)
    today = today or local_today()
    _not_future(installed_on, "installed_on", today)
    errors = []
    if not _is_service_staff(engineer):
        errors.append(FieldError("engineer", "not_engineer", _("Pick an active service engineer.")))
    name = _clean(accepted_by_customer)
    if not name:
        errors.append(
            FieldError(
                "accepted_by_customer", "required", _("Who at the customer accepted the unit?")
            )
        )
    elif len(name) > 100:
        errors.append(
            FieldError(
                "accepted_by_customer", "max_length", _("At most %(n)s characters.") % {"n": 100}
            )
        )
    accepted = accepted_on or installed_on
    if accepted < installed_on:
        errors.append(
            FieldError(
                "accepted_on", "before_installation", _("Acceptance cannot precede installation.")
            )
        )
    elif accepted > today:
        errors.append(FieldError("accepted_on", "future", _("This date lies in the future.")))
    if device.delivered_on and installed_on < device.delivered_on:
        errors.append(
            FieldError(
                "installed_on",
                "before_delivery",
                _("The unit was delivered on %(date)s; it cannot be installed earlier.")
                % {"date": device.delivered_on},
            )
        )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        locked = _lock(device, DeviceAction.INSTALL)
        locked.installed_on = installed_on
        locked.installed_by = engineer
        locked.accepted_by_customer = name
        locked.accepted_on = accepted
        locked.save(
            update_fields=[
                "installed_on",
                "installed_by",
                "accepted_by_customer",
                "accepted_on",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action="devices.installed",
            obj=locked,
            changes={
                "installed_on": installed_on,
                "installed_by": engineer.pk,
                "accepted_by_customer": name,
                "accepted_on": accepted,
            },
        )
    return locked


def device_import(*, actor, content: bytes, today: date | None = None) -> list[InstalledDevice]:
    """Register the units of an Excel file (layout: ``devices.excel``), all or nothing.

    Every row goes through ``check_registration``, the form's rules; a refused file
    raises ValidationFailed whose errors name each row and column as
    ``rows.<row number>.<field>`` with the rule, and nothing is written."""
    from mdss.catalog.models import ProductModel
    from mdss.core.excel import ImportRefused, as_date, open_workbook, rows, text
    from mdss.customers.models import Customer

    from . import excel

    require_device_action(actor, None, DeviceAction.IMPORT)
    today = today or local_today()
    try:
        book = open_workbook(content)
    except ImportRefused as refused:
        raise ValidationFailed.single("file", "not_xlsx", refused.errors[0].message) from None
    if excel.SHEET not in book.sheetnames:
        raise ValidationFailed.single(
            "file", "sheet_missing", _("No sheet named %(name)s.") % {"name": excel.SHEET}
        )
    problems = []
    found = rows(book, excel.SHEET, list(excel.COLUMNS.values()), problems, required=excel.REQUIRED)
    if problems:
        raise ValidationFailed(
            errors=[
                FieldError(f"rows.{p.row}.{p.column}", "columns_missing", p.message)
                for p in problems
            ]
        )
    if not found:
        raise ValidationFailed.single("file", "empty", _("The file has no rows to import."))
    # Two queries whatever the size: the customers and models the file names.
    names = {text(r[excel.COLUMNS["customer"]]) for _n, r in found}
    customers = {c.name: c for c in Customer.objects.filter(name__in=names)}
    models = {
        (m.product.name, m.code): m
        for m in ProductModel.objects.select_related("product")
        .prefetch_related("device_identifiers")
        .filter(code__in={text(r[excel.COLUMNS["model"]]) for _n, r in found})
    }
    errors: list[FieldError] = []
    seen: set = set()
    ready = []
    for number, row in found:
        value = {field: row[column] for field, column in excel.COLUMNS.items()}
        row_errors: list[FieldError] = []
        customer = customers.get(text(value["customer"]))
        if customer is None and text(value["customer"]):
            row_errors.append(FieldError("customer", "unknown", _("No customer of this name.")))
        model = models.get((text(value["product"]), text(value["model"])))
        if model is None and text(value["model"]):
            row_errors.append(
                FieldError("model", "unknown", _("No model of this product and specification."))
            )
        origin = excel.ORIGINS.get(text(value["origin"]), text(value["origin"]) and "?")
        dates = {}
        for field in ("delivered_on", "warranty_until"):
            try:
                dates[field] = as_date(value[field])
            except ValueError:
                dates[field] = None
                row_errors.append(FieldError(field, "date", _("Write the date as 2026-03-31.")))
        fields, rule_errors = check_registration(
            customer=customer,
            model=model,
            origin=origin or "",
            serial=text(value["serial"]),
            lot=text(value["lot"]),
            udi=text(value["udi"]),
            site=text(value["site"]),
            note=text(value["note"]),
            today=today,
            seen=seen,
            **dates,
        )
        named = {e.field for e in row_errors}
        row_errors += [
            e
            for e in rule_errors
            # "required" for a name the file gave but we could not find is said above.
            if not (e.field in named and e.rule == "required")
        ]
        if origin == "?":
            row_errors = [e for e in row_errors if e.field != "origin"] + [
                FieldError(
                    "origin",
                    "invalid_choice",
                    _("Write one of: %(names)s.") % {"names": "、".join(excel.ORIGINS)},
                )
            ]
        errors += [FieldError(f"rows.{number}.{e.field}", e.rule, e.message) for e in row_errors]
        ready.append(fields)
    if errors:
        raise ValidationFailed(
            ngettext(
                "Nothing was imported: %(n)s problem.",
                "Nothing was imported: %(n)s problems.",
                len(errors),
            )
            % {"n": len(errors)},
            errors=errors,
        )
    with transaction.atomic():
        return [_create(fields, actor=actor, action="devices.imported") for fields in ready]
