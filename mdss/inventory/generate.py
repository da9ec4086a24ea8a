"""Synthetic spare parts for benchmarks: 500 parts per unit of scale, each with a
history of 10 moves per unit of scale up to 100 (scale 100 = 50,000 parts and
5,000,000 moves) across a central warehouse and
nine regional ones, a year of receipts, issues and transfers; balances are the sums
of the moves (the reconciliation holds). Rows are written in bulk (no audit: nothing
here happened); generated parts are numbered GEN-…, so a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .choices import MoveKind
from .models import Location, Part, StockBalance, StockMove, Warehouse

CHUNK = 20_000
STORES = [("GEN-C", "生成 中心库", "central")] + [
    (f"GEN-R{n}", f"生成 区域库 {n}", "regional") for n in range(1, 10)
]


def _stores() -> list[Location]:
    shelves = []
    for code, name, kind in STORES:
        warehouse, _new = Warehouse.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind}
        )
        shelf, _new = Location.objects.get_or_create(
            warehouse=warehouse, code="A", defaults={"name": "A"}
        )
        Location.objects.get_or_create(
            warehouse=warehouse, code="QC", defaults={"name": "QC", "is_quarantine": True}
        )
        shelves.append(shelf)
    return shelves


def generate(*, scale: int, rng, stdout) -> int:
    from mdss.accounts.models import User

    wanted_parts = 500 * scale
    have = Part.objects.filter(number__startswith="GEN-").count()
    if have >= wanted_parts:
        stdout.write("inventory: generated parts present")
        return 0
    # The new parts' history: 10 moves each per unit of scale up to 100 (scale 100:
    # 5,000,000), so a small scale stays quick.
    wanted_moves = 10 * min(scale, 10) * (wanted_parts - have)
    actor = User.objects.filter(username__startswith="gen-").order_by("pk").first()
    if actor is None:
        stdout.write("inventory: generate people first")
        return 0
    shelves = _stores()
    central, regional = shelves[0], shelves[1:]
    Part.objects.bulk_create(
        [
            Part(
                number=f"GEN-{n:07d}", name=f"生成备件 {n}", unit_cost=Decimal(rng.randint(5, 5000))
            )
            for n in range(have, wanted_parts)
        ],
        batch_size=CHUNK,
    )
    parts = list(
        Part.objects.filter(number__startswith="GEN-", number__gte=f"GEN-{have:07d}").values_list(
            "pk", flat=True
        )
    )
    stock: dict[tuple[int, int], int] = {}
    now = timezone.now()
    year = 365 * 24 * 3600
    moves = []

    def flush():
        StockMove.objects.bulk_create(moves, batch_size=CHUNK)
        moves.clear()

    with transaction.atomic():
        # Moves in time order (so no balance ever goes below zero): a receipt into
        # the central store about every tenth move, transfers to regions, issues.
        for n in range(wanted_moves):
            at = now - timedelta(seconds=year * (1 - n / wanted_moves))
            part = parts[rng.randrange(len(parts))]
            roll = rng.random()
            if roll < 0.12 or stock.get((part, central.pk), 0) < 2 and roll < 0.5:
                quantity = rng.randint(20, 100)
                kind, source, target = MoveKind.RECEIPT, None, central
            elif roll < 0.35:
                kind, source, target = MoveKind.TRANSFER, central, regional[rng.randrange(9)]
                quantity = min(stock.get((part, central.pk), 0), rng.randint(1, 10))
            else:
                source = central if roll < 0.7 else regional[rng.randrange(9)]
                kind, target = MoveKind.ISSUE, None
                quantity = min(stock.get((part, source.pk), 0), rng.randint(1, 3))
            if quantity < 1:
                kind, source, target, quantity = (
                    MoveKind.RECEIPT,
                    None,
                    central,
                    rng.randint(20, 100),
                )
            if source is not None:
                stock[(part, source.pk)] -= quantity
            if target is not None:
                stock[(part, target.pk)] = stock.get((part, target.pk), 0) + quantity
            moves.append(
                StockMove(
                    kind=kind,
                    part_id=part,
                    quantity=quantity,
                    from_location=source,
                    to_location=target,
                    actor=actor,
                    moved_at=at,
                    reference="GEN",
                )
            )
            if len(moves) >= CHUNK:
                flush()
        flush()
        StockBalance.objects.bulk_create(
            [
                StockBalance(part_id=part, location_id=location, quantity=quantity)
                for (part, location), quantity in stock.items()
            ],
            batch_size=CHUNK,
        )
    stdout.write(f"inventory: {len(parts)} parts, {wanted_moves} moves")
    return wanted_moves
