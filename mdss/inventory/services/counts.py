"""Stock counts (盘点, A10, 账实相符): the book of a warehouse is frozen when the count
starts, counted quantities are entered, and a second person approves: each
variance becomes a stock-count adjustment in the ledger, with the reason."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed
from mdss.core.numbers import next_number
from mdss.core.workflow import lock_for_transition

from ..choices import COUNT_TRANSITIONS, CountStatus, InventoryAction, MoveKind
from ..models import StockBalance, StockCount, StockCountLine, StockMove
from ..permissions import require_action
from . import ledger


def count_start(
    *, actor, warehouse, today: date, locations=None, category: str = "", scope: str = ""
) -> StockCount:
    """Freeze the book of ``warehouse`` (or, for a cycle count, of some of its
    ``locations`` and/or one ``category`` of parts): one line per part, location and
    lot on hand."""
    require_action(actor, InventoryAction.COUNT)
    if locations and any(location.warehouse_id != warehouse.pk for location in locations):
        raise ValidationFailed.single(
            "locations", "other_warehouse", _("Choose locations of %(w)s.") % {"w": warehouse}
        )
    balances = StockBalance.objects.filter(location__warehouse=warehouse, quantity__gt=0)
    if locations:
        balances = balances.filter(location__in=locations)
    if category:
        balances = balances.filter(part__category=category)
    with transaction.atomic():
        count = StockCount.objects.create(
            number=next_number("PD", on=today),
            warehouse=warehouse,
            scope=(scope or "").strip(),
            started_by=actor,
            started_at=timezone.now(),
        )
        lines = [
            StockCountLine(
                count=count,
                part_id=b.part_id,
                location_id=b.location_id,
                lot=b.lot,
                book=b.quantity,
                unit_cost=b.part.unit_cost,
            )
            for b in balances.select_related("part")
        ]
        if not lines:
            raise ValidationFailed.single(
                "warehouse", "empty", _("Nothing is on hand to count there.")
            )
        StockCountLine.objects.bulk_create(lines)
        audit.record(
            actor=actor,
            action="inventory.count_started",
            obj=count,
            changes={
                "warehouse": warehouse.code,
                "lines": len(lines),
                "scope": count.scope,
                "locations": [str(location) for location in locations or []],
                "category": category,
            },
        )
    return count


def count_enter(*, actor, count: StockCount, counted: dict[int, int]) -> StockCount:
    """Counted quantities by line id (a scan or the form); again until submitted."""
    require_action(actor, InventoryAction.COUNT)
    with transaction.atomic():
        locked = StockCount.objects.select_for_update().get(pk=count.pk)
        if locked.status != CountStatus.COUNTING:
            raise ValidationFailed.single("counted", "closed", _("The count is no longer open."))
        lines = {line.pk: line for line in locked.lines.all()}
        errors = []
        for line_id, value in counted.items():
            if line_id not in lines:
                errors.append(
                    FieldError(f"lines.{line_id}", "other", _("Not a line of this count."))
                )
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = -1
            if not 0 <= number <= ledger.MAX_QUANTITY:
                errors.append(FieldError(f"lines.{line_id}", "range", _("Enter 0 or more.")))
                continue
            lines[line_id].counted = number
        if errors:
            raise ValidationFailed(errors=errors)
        StockCountLine.objects.bulk_update(list(lines.values()), ["counted"])
    return locked


def count_submit(*, actor, count: StockCount) -> StockCount:
    require_action(actor, InventoryAction.COUNT)
    with transaction.atomic():
        locked = lock_for_transition(count, CountStatus.SUBMITTED, COUNT_TRANSITIONS)
        missing = locked.lines.filter(counted__isnull=True).count()
        if missing:
            raise ValidationFailed.single(
                "counted", "missing", _("%(n)s lines are not counted yet.") % {"n": missing}
            )
        locked.status = CountStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="inventory.count_submitted", obj=locked)
    return locked


def count_approve(*, actor, count: StockCount, reason: str) -> StockCount:
    """A second person (not who started the count) approves: each variance is posted
    as an adjustment. Refused when stock moved at a counted place since the book was
    frozen (the count no longer describes the book: count again)."""
    require_action(actor, InventoryAction.APPROVE_COUNT)
    if count.started_by_id == actor.pk:
        raise PermissionDenied(_("A second person approves the count's adjustments."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", _("Say why the differences arose."))
    with transaction.atomic():
        locked = lock_for_transition(count, CountStatus.APPROVED, COUNT_TRANSITIONS)
        lines = list(locked.lines.select_related("part", "location"))
        places = Q()
        for line in lines:
            places |= Q(part_id=line.part_id) & (
                Q(from_location_id=line.location_id) | Q(to_location_id=line.location_id)
            )
        moved = StockMove.objects.filter(places, moved_at__gt=locked.started_at).select_related(
            "part"
        )
        moved = sorted({m.part.number for m in moved})
        if moved:
            raise ValidationFailed.single(
                "reason",
                "moved",
                _("Stock moved since the count began (%(parts)s): count those places again.")
                % {"parts": ", ".join(moved[:10])},
            )
        changes = []
        for line in lines:
            if not line.variance:
                continue
            ledger.move(
                kind=MoveKind.ADJUSTMENT,
                actor=actor,
                part=line.part,
                quantity=abs(line.variance),
                from_location=line.location if line.variance < 0 else None,
                to_location=line.location if line.variance > 0 else None,
                lot=line.lot,
                reference=locked.number,
                note=reason,
            )
            changes.append(
                [line.part.number, str(line.location), line.lot, line.book, line.counted]
            )
        locked.status, locked.approved_by, locked.approved_at = (
            CountStatus.APPROVED,
            actor,
            timezone.now(),
        )
        locked.reason = reason
        locked.save(update_fields=["status", "approved_by", "approved_at", "reason", "updated_at"])
        audit.record(
            actor=actor,
            action="inventory.count_approved",
            obj=locked,
            reason=reason,
            changes={"adjusted": changes},
        )
    return locked


def count_cancel(*, actor, count: StockCount, reason: str) -> StockCount:
    require_action(actor, InventoryAction.COUNT)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "required", _("Say why it is cancelled."))
    with transaction.atomic():
        locked = lock_for_transition(count, CountStatus.CANCELLED, COUNT_TRANSITIONS)
        locked.status, locked.reason = CountStatus.CANCELLED, reason
        locked.save(update_fields=["status", "reason", "updated_at"])
        audit.record(actor=actor, action="inventory.count_cancelled", obj=locked, reason=reason)
    return locked


def count_scan(*, actor, count: StockCount, code: str, quantity: int = 1) -> StockCountLine:
    """One scan while counting: a part number, or a UDI (GS1/HIBC, read with
    catalog.udi) whose DI is the part's UDI-DI and whose lot or serial picks the line.
    Adds ``quantity`` to that line's counted quantity."""
    from mdss.catalog.udi import parse_udi

    require_action(actor, InventoryAction.COUNT)
    code = (code or "").strip()
    if not code or len(code) > 200:
        raise ValidationFailed.single("code", "required", _("Scan a part number or a UDI."))
    with transaction.atomic():
        locked = StockCount.objects.select_for_update().get(pk=count.pk)
        if locked.status != CountStatus.COUNTING:
            raise ValidationFailed.single("code", "closed", _("The count is no longer open."))
        lines = locked.lines.select_related("part")
        matches = list(lines.filter(part__number=code))
        if not matches:
            udi = parse_udi(code)
            if udi.ok:
                lot = udi.serial or udi.lot
                matches = [
                    line
                    for line in lines.filter(part__udi_di=udi.di)
                    if not lot or line.lot in ("", lot)
                ]
        if len(matches) != 1:
            raise ValidationFailed.single(
                "code",
                "unknown" if not matches else "ambiguous",
                _("No line of this count has %(code)s.") % {"code": code[:60]}
                if not matches
                else _("%(code)s is on several lines: enter it on the form.") % {"code": code[:60]},
            )
        line = matches[0]
        line.counted = (line.counted or 0) + ledger._quantity(quantity)
        line.save(update_fields=["counted"])
    return line
