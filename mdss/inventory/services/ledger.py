"""The only writer of stock: each function appends moves to the ledger and changes
the balances in the same transaction.

Taking stock out is one conditional UPDATE (``quantity >= n``): two people issuing
the last unit at once cannot both succeed — on PostgreSQL the second UPDATE waits
for the first and re-reads the row, on SQLite writes are serialised — and the one
who loses gets "only N available", never a negative balance (which the database's
CHECK would refuse anyway).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.catalog.holds import part_held
from mdss.core.errors import ValidationFailed

from ..choices import MOVE_SIDES, InventoryAction, MoveKind, Tracking
from ..models import Location, Part, StockBalance, StockMove
from ..permissions import require_action

MAX_QUANTITY = 1_000_000  # a bound before the database: a typo of zeros is refused


def _quantity(value, field: str = "quantity") -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        quantity = 0
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationFailed.single(
            field,
            "range",
            _("Enter a whole number from 1 to %(max)s.") % {"max": f"{MAX_QUANTITY:,}"},
        )
    return quantity


def _lot(part: Part, lot: str, field: str = "lot") -> str:
    lot = (lot or "").strip()
    if len(lot) > 40:
        raise ValidationFailed.single(field, "max_length", _("At most 40 characters."))
    if part.tracking != Tracking.NONE and not lot:
        raise ValidationFailed.single(
            field,
            "required",
            _("%(part)s is tracked %(how)s: name the lot or serial number.")
            % {"part": part.number, "how": part.get_tracking_display()},
        )
    return lot if part.tracking != Tracking.NONE else ""


def available(part: Part, location: Location, lot: str = "") -> int:
    row = StockBalance.objects.filter(part=part, location=location, lot=lot).first()
    return row.quantity if row else 0


def _take(part: Part, location: Location, lot: str, quantity: int, field: str) -> None:
    taken = StockBalance.objects.filter(
        part=part, location=location, lot=lot, quantity__gte=quantity
    ).update(quantity=F("quantity") - quantity)
    if not taken:
        have = available(part, location, lot)
        raise ValidationFailed.single(
            field,
            "insufficient",
            _("Only %(have)s %(unit)s of %(part)s available at %(where)s; %(asked)s asked.")
            % {
                "have": have,
                "unit": part.unit,
                "part": part.number,
                "where": location,
                "asked": quantity,
            },
        )


def _put(part: Part, location: Location, lot: str, quantity: int) -> None:
    balance = StockBalance.objects.filter(part=part, location=location, lot=lot)
    if not balance.update(quantity=F("quantity") + quantity):
        try:
            with transaction.atomic():  # a savepoint: another writer may create it first
                StockBalance.objects.create(
                    part=part, location=location, lot=lot, quantity=quantity
                )
        except IntegrityError:
            balance.update(quantity=F("quantity") + quantity)


def move(
    *,
    kind: str,
    actor,
    part: Part,
    quantity,
    from_location: Location | None = None,
    to_location: Location | None = None,
    lot: str = "",
    requisition=None,
    reference: str = "",
    note: str = "",
    field: str = "quantity",
    at=None,
) -> StockMove:
    """Append one move and change the balances it touches (inside the caller's
    transaction, or its own). The callers below check who may do it."""
    quantity = _quantity(quantity, field)
    lot = _lot(part, lot)
    needs_from, needs_to = MOVE_SIDES.get(
        kind, (from_location is not None, to_location is not None)
    )
    if needs_from != (from_location is not None) or needs_to != (to_location is not None):
        raise ValidationFailed.single(
            "location", "required", _("Choose where the stock comes from and goes to.")
        )
    if from_location is not None and from_location == to_location:
        raise ValidationFailed.single("to_location", "same", _("Choose another location."))
    if (
        from_location is not None
        and kind != MoveKind.SCRAP
        and not (to_location is not None and to_location.is_quarantine)
    ):
        # Held stock (a recall) goes only to quarantine or the scrap.
        hold = part_held(part, lot)
        if hold is not None:
            raise ValidationFailed.single(
                "lot",
                hold.code,
                _("%(part)s %(lot)s is held: %(reason)s")
                % {"part": part.number, "lot": lot, "reason": hold.message},
            )
    with transaction.atomic():
        if from_location is not None:
            _take(part, from_location, lot, quantity, field)
        if to_location is not None:
            _put(part, to_location, lot, quantity)
        return StockMove.objects.create(
            kind=kind,
            part=part,
            lot=lot,
            quantity=quantity,
            from_location=from_location,
            to_location=to_location,
            requisition=requisition,
            reference=reference.strip(),
            actor=actor,
            note=(note or "").strip(),
            **({"moved_at": at} if at is not None else {}),
        )


def _audited(actor, action: str, entry: StockMove, **extra) -> StockMove:
    audit.record(
        actor=actor,
        action=action,
        obj=entry.part,
        changes={
            "move": entry.pk,
            "quantity": entry.quantity,
            "lot": entry.lot,
            "from": str(entry.from_location or ""),
            "to": str(entry.to_location or ""),
            "reference": entry.reference,
            **extra,
        },
    )
    return entry


def stock_receive(
    *,
    actor,
    part: Part,
    location: Location,
    quantity,
    lot: str = "",
    reference: str = "",
    note: str = "",
) -> StockMove:
    """Goods accepted into stock (after incoming inspection)."""
    require_action(actor, InventoryAction.RECEIVE)
    with transaction.atomic():
        entry = move(
            kind=MoveKind.RECEIPT,
            actor=actor,
            part=part,
            quantity=quantity,
            to_location=location,
            lot=lot,
            reference=reference,
            note=note,
        )
        return _audited(actor, "inventory.received", entry)


def stock_transfer(
    *,
    actor,
    part: Part,
    from_location: Location,
    to_location: Location,
    quantity,
    lot: str = "",
    note: str = "",
) -> StockMove:
    require_action(actor, InventoryAction.TRANSFER)
    with transaction.atomic():
        entry = move(
            kind=MoveKind.TRANSFER,
            actor=actor,
            part=part,
            quantity=quantity,
            from_location=from_location,
            to_location=to_location,
            lot=lot,
            note=note,
        )
        return _audited(actor, "inventory.transferred", entry)


def stock_scrap(
    *, actor, part: Part, location: Location, quantity, reason: str, lot: str = ""
) -> StockMove:
    require_action(actor, InventoryAction.SCRAP)
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why the stock is scrapped."))
    with transaction.atomic():
        entry = move(
            kind=MoveKind.SCRAP,
            actor=actor,
            part=part,
            quantity=quantity,
            from_location=location,
            lot=lot,
            note=reason,
        )
        audit.record(
            actor=actor,
            action="inventory.scrapped",
            obj=part,
            reason=reason.strip(),
            changes={
                "move": entry.pk,
                "quantity": entry.quantity,
                "lot": entry.lot,
                "from": str(location),
            },
        )
        return entry


def reconcile() -> list[dict]:
    """Every (part, location, lot) whose balance differs from the sum of its moves:
    ``[{"part", "location", "lot", "balance", "ledger"}]`` (empty when they agree)."""
    ledger: dict[tuple, int] = {}
    for row in (
        StockMove.objects.filter(to_location__isnull=False)
        .values("part_id", "to_location_id", "lot")
        .annotate(n=Sum("quantity"))
        .order_by()
    ):
        key = (row["part_id"], row["to_location_id"], row["lot"])
        ledger[key] = ledger.get(key, 0) + row["n"]
    for row in (
        StockMove.objects.filter(from_location__isnull=False)
        .values("part_id", "from_location_id", "lot")
        .annotate(n=Sum("quantity"))
        .order_by()
    ):
        key = (row["part_id"], row["from_location_id"], row["lot"])
        ledger[key] = ledger.get(key, 0) - row["n"]
    balances = {
        (b["part_id"], b["location_id"], b["lot"]): b["quantity"]
        for b in StockBalance.objects.values("part_id", "location_id", "lot", "quantity")
    }
    differences = []
    for key in sorted(set(ledger) | set(balances)):
        if ledger.get(key, 0) != balances.get(key, 0):
            differences.append(
                {
                    "part": key[0],
                    "location": key[1],
                    "lot": key[2],
                    "balance": balances.get(key, 0),
                    "ledger": ledger.get(key, 0),
                }
            )
    return differences
