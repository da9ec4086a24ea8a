"""Requisitions (领用, A8, A12): an engineer asks, the warehouse issues within 24 hours
(the policy's ``parts.provide`` clock, started on the request and met by the issue
that completes it), unused parts come back. One function per transition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, ValidationFailed
from mdss.core.numbers import next_number
from mdss.core.workflow import lock_for_transition

from ..choices import (
    PROVIDE_CLOCK,
    REQUISITION_TRANSITIONS,
    InventoryAction,
    MoveKind,
    RequisitionStatus,
    WarehouseKind,
)
from ..models import Location, Part, Requisition, RequisitionLine, Warehouse
from ..permissions import require_action, require_own_or_warehouse
from . import ledger

MAX_LINES = 30


@dataclass
class Issue:
    """One line's issue: how many, of which part (the line's or an approved
    substitute), from where, which lot."""

    line: RequisitionLine
    quantity: int
    from_location: Location
    part: Part | None = None  # None: the part asked for
    lot: str = ""


def _notify_warehouse(requisition: Requisition) -> None:
    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.notifications.services import notify_many

    keepers = User.objects.filter(groups__name=roles.WAREHOUSE_KEEPER, is_active=True)
    notify_many(
        keepers,
        kind="inventory.requisition",
        subject=_("Parts requisition %(no)s: issue within 24 hours") % {"no": requisition.number},
        body=requisition.service_reference,
        link=f"/inventory/requisitions/{requisition.pk}/",
    )


def requisition_submit(
    *,
    actor,
    warehouse: Warehouse,
    lines: list[tuple[Part, int]],
    need_by: date,
    today: date,
    to_location: Location | None = None,
    service_reference: str = "",
    note: str = "",
) -> Requisition:
    """Ask the warehouse for parts; the 24-hour clock starts now."""
    from mdss.calendars.services import clock_start

    require_action(actor, InventoryAction.REQUEST)
    errors = []
    if not lines:
        errors.append(FieldError("lines", "required", _("Add at least one part.")))
    if len(lines) > MAX_LINES:
        errors.append(FieldError("lines", "max", _("At most %(n)s parts.") % {"n": MAX_LINES}))
    for n, (part, quantity) in enumerate(lines[:MAX_LINES], start=1):
        if not part.is_active:
            errors.append(
                FieldError(f"lines.{n}.part", "inactive", _("This part is no longer used."))
            )
        try:
            ledger._quantity(quantity, f"lines.{n}.quantity")
        except ValidationFailed as exc:
            errors += exc.errors
    if need_by < today:
        errors.append(FieldError("need_by", "past", _("The date has passed.")))
    if warehouse.kind == WarehouseKind.VAN:
        errors.append(FieldError("warehouse", "van", _("Ask a central or regional warehouse.")))
    if to_location is not None and to_location.warehouse.engineer_id != actor.pk:
        errors.append(FieldError("to_location", "not_yours", _("Choose your own van stock.")))
    for name, value, limit in (("service_reference", service_reference, 40), ("note", note, 300)):
        if len(value or "") > limit:
            errors.append(
                FieldError(name, "max_length", _("At most %(n)s characters.") % {"n": limit})
            )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        requisition = Requisition.objects.create(
            number=next_number("LY", on=today),
            requested_by=actor,
            warehouse=warehouse,
            to_location=to_location,
            service_reference=service_reference.strip(),
            need_by=need_by,
            note=note.strip(),
        )
        RequisitionLine.objects.bulk_create(
            [RequisitionLine(requisition=requisition, part=p, quantity=int(q)) for p, q in lines]
        )
        clock_start(
            subject=requisition, code=PROVIDE_CLOCK, responsible=warehouse.keeper, actor=actor
        )
        audit.record(
            actor=actor,
            action="inventory.requisition_submitted",
            obj=requisition,
            changes={
                "warehouse": warehouse.code,
                "lines": [[p.number, int(q)] for p, q in lines],
                "need_by": need_by,
                "service_reference": requisition.service_reference,
            },
        )
        _notify_warehouse(requisition)
    return requisition


def requisition_issue(*, actor, requisition: Requisition, issues: list[Issue]) -> Requisition:
    """Issue parts (all or some): from the requisition's warehouse, to the van stock
    it names or to the job. The clock is met when nothing is outstanding."""
    from mdss.calendars.services import clock_stop_for

    require_action(actor, InventoryAction.ISSUE)
    issues = [i for i in issues if i.quantity]
    if not issues:
        raise ValidationFailed.single("lines", "required", _("Enter a quantity to issue."))
    with transaction.atomic():
        # Open (submitted or partly issued): the transition map says so.
        locked = lock_for_transition(
            requisition, RequisitionStatus.PARTLY_ISSUED, REQUISITION_TRANSITIONS
        )
        lines = {line.pk: line for line in locked.lines.select_related("part").select_for_update()}
        for n, issue in enumerate(issues, start=1):
            line = lines.get(issue.line.pk)
            field = f"lines.{n}.quantity"
            if line is None:
                raise ValidationFailed.single(
                    f"lines.{n}", "other", _("Not a line of this requisition.")
                )
            if issue.from_location.warehouse_id != locked.warehouse_id:
                raise ValidationFailed.single(
                    f"lines.{n}.from_location",
                    "other_warehouse",
                    _("Issue from %(w)s.") % {"w": locked.warehouse},
                )
            part = issue.part or line.part
            if part.pk != line.part_id and not line.part.substitutes.filter(pk=part.pk).exists():
                raise ValidationFailed.single(
                    f"lines.{n}.part",
                    "not_approved",
                    _("%(sub)s is not an approved substitute for %(part)s.")
                    % {"sub": part.number, "part": line.part.number},
                )
            quantity = ledger._quantity(issue.quantity, field)
            if quantity > line.outstanding:
                raise ValidationFailed.single(
                    field, "too_many", _("Only %(n)s still to issue.") % {"n": line.outstanding}
                )
            entry = ledger.move(
                kind=MoveKind.TRANSFER if locked.to_location_id else MoveKind.ISSUE,
                actor=actor,
                part=part,
                quantity=quantity,
                from_location=issue.from_location,
                to_location=locked.to_location,
                lot=issue.lot,
                requisition=locked,
                reference=locked.number,
                note=(_("substitute for %(part)s") % {"part": line.part.number})
                if part.pk != line.part_id
                else "",
                field=field,
            )
            line.issued += quantity
            line.save(update_fields=["issued"])
            audit.record(
                actor=actor,
                action="inventory.issued",
                obj=locked,
                changes={
                    "part": part.number,
                    "quantity": quantity,
                    "lot": entry.lot,
                    "move": entry.pk,
                },
            )
        done = all(line.outstanding == 0 for line in lines.values())
        locked.status = RequisitionStatus.ISSUED if done else RequisitionStatus.PARTLY_ISSUED
        locked.save(update_fields=["status", "updated_at"])
        if done:
            clock_stop_for(subject=locked, code=PROVIDE_CLOCK, actor=actor)
    return locked


def requisition_cancel(*, actor, requisition: Requisition, reason: str) -> Requisition:
    """Withdraw what is still outstanding (what was issued stays issued)."""
    from mdss.calendars.services import clock_cancel_for

    require_own_or_warehouse(actor, requisition, InventoryAction.CANCEL)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", _("Say why it is cancelled."))
    with transaction.atomic():
        locked = lock_for_transition(
            requisition, RequisitionStatus.CANCELLED, REQUISITION_TRANSITIONS
        )
        locked.status = RequisitionStatus.CANCELLED
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancel_reason", "updated_at"])
        clock_cancel_for(subject=locked, code=PROVIDE_CLOCK, actor=actor, reason=reason)
        audit.record(
            actor=actor, action="inventory.requisition_cancelled", obj=locked, reason=reason
        )
    return locked


def requisition_return(
    *,
    actor,
    requisition: Requisition,
    line: RequisitionLine,
    quantity,
    to_location: Location,
    good: bool = True,
    lot: str = "",
    note: str = "",
) -> Requisition:
    """Parts not used come back: good ones to stock, defective ones to quarantine.
    From the van when they went there, else from the field."""
    require_own_or_warehouse(actor, requisition, InventoryAction.RETURN)
    with transaction.atomic():
        locked = Requisition.objects.select_for_update().get(pk=requisition.pk)
        line = locked.lines.select_for_update().select_related("part").filter(pk=line.pk).first()
        if line is None:
            raise ValidationFailed.single("line", "other", _("Not a line of this requisition."))
        quantity = ledger._quantity(quantity)
        if quantity > line.issued - line.returned:
            raise ValidationFailed.single(
                "quantity",
                "too_many",
                _("Only %(n)s issued and not yet returned.") % {"n": line.issued - line.returned},
            )
        if not good and not to_location.is_quarantine:
            raise ValidationFailed.single(
                "to_location", "not_quarantine", _("Defective parts go to a quarantine location.")
            )
        if locked.to_location_id:  # back from the van: a transfer between locations
            entry = ledger.move(
                kind=MoveKind.TRANSFER,
                actor=actor,
                part=line.part,
                quantity=quantity,
                from_location=locked.to_location,
                to_location=to_location,
                lot=lot,
                requisition=locked,
                reference=locked.number,
                note=note or (_("returned good") if good else _("returned defective")),
            )
        else:
            entry = ledger.move(
                kind=MoveKind.RETURN_GOOD if good else MoveKind.RETURN_DEFECTIVE,
                actor=actor,
                part=line.part,
                quantity=quantity,
                to_location=to_location,
                lot=lot,
                requisition=locked,
                reference=locked.number,
                note=note,
            )
        line.returned += quantity
        line.save(update_fields=["returned"])
        audit.record(
            actor=actor,
            action="inventory.returned",
            obj=locked,
            changes={
                "part": line.part.number,
                "quantity": quantity,
                "good": good,
                "move": entry.pk,
            },
        )
    return locked
