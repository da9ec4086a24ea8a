"""Synthetic contracts for benchmarks: 5,000 contracts and about 20,000 lines per unit
of scale (scale 100 = 500,000 contracts, 2,000,000 lines), for the generated
customers and their reps, signed over the last three years, in every state; the
completed ones delivered in two shipments (every line, in part then the rest) and
paid in full, those in performance delivered in part (one shipment, half of every
line) and 30 % paid, each signed one with a payment plan (about one in six being
paid has an instalment overdue). About 20,000 delivered lines per unit of scale
(scale 100: about 2,000,000), and one delivered line in ``UNITS_SHARE`` brings a
tracked unit into the installed base (an ``InstalledDevice`` of origin "delivered"
with its lot, DI and serial, linked by ``DeliveredUnit``): about 9,000 units per
unit of scale, which with devices' own 1,000 make about 1,000,000 at scale 100.

Rows are written in bulk (no audit events: nothing here happened); generated
contracts are numbered HT-GEN-…, so a second run at the same scale adds nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from mdss.catalog.models import ProductModel
from mdss.customers.models import Customer
from mdss.devices.choices import DeviceOrigin, DeviceStatus
from mdss.devices.generate import lots_per_model, model_identifiers, unit_identity
from mdss.devices.models import InstalledDevice

from .models import (
    Contract,
    ContractLine,
    DeliveredUnit,
    Delivery,
    DeliveryItem,
    Instalment,
    Payment,
)
from .services.totals import signed_months_rebuild

STATES = (
    ["completed"] * 35
    + ["in_performance"] * 30
    + ["signed"] * 10
    + ["terminated"] * 5
    + ["approved"] * 3
    + ["in_review"] * 4
    + ["draft"] * 13
)
CHUNK = 5000
UNITS_SHARE = 0.45  # of the delivered lines bring a tracked unit
TODAY = date(2026, 11, 27)


def generate(*, scale: int, rng, stdout) -> int:
    wanted = 5000 * scale
    have = Contract.objects.filter(number__startswith="HT-GEN-").count()
    if have < wanted:
        customers = list(
            Customer.objects.filter(name__startswith="gen-").values_list(
                "pk", "owner_id", "province_id"
            )
        )
        models = list(
            ProductModel.objects.filter(product__name__startswith="gen-").values_list(
                "pk", flat=True
            )
        )
        if not customers or not models:
            stdout.write("contracts: generate customers and the catalog first")
            return 0
        recorder = customers[0][1]
        units = {"dis": model_identifiers(), "lots": lots_per_model(scale, len(models))}
        for start in range(have, wanted, CHUNK):
            with transaction.atomic():
                _chunk(start, min(start + CHUNK, wanted), customers, models, recorder, units,
                       rng)  # fmt: skip
        # What services/totals.py keeps per rep and month, set here since no service ran.
        signed_months_rebuild()
    generated = Contract.objects.filter(number__startswith="HT-GEN-")
    stdout.write(
        f"contracts: {generated.count()} present, "
        f"lines: {ContractLine.objects.filter(contract__in=generated).count()}, "
        f"delivered lines: {DeliveryItem.objects.filter(delivery__number__startswith='FH-GEN-').count()}"
    )
    return max(0, wanted - have)


def _plan(state: str, signed, total: Decimal, rng) -> tuple[list, Decimal]:
    """The instalments ``(due_on, amount)`` of a generated contract and what was paid:
    30 % on signing, the rest later; one contract in six still being paid is late."""
    if signed is None or state == "terminated":
        return [], Decimal(0)
    first = (total * 3 / 10).quantize(Decimal("0.01"))
    late = rng.random() < 1 / 6
    later = (
        max(signed, TODAY - timedelta(days=rng.randint(1, 120)))
        if late
        else TODAY + timedelta(days=rng.randint(1, 365))
    )
    if state == "completed":
        return [(signed, first), (signed + timedelta(days=50), total - first)], total
    if state == "in_performance":
        return [(signed, first), (later, total - first)], first
    return [(later, first), (TODAY + timedelta(days=400), total - first)], Decimal(0)


def _first_unpaid(plan, paid: Decimal):
    running = Decimal(0)
    for due_on, amount in sorted(plan):
        running += amount
        if running > paid:
            return due_on
    return None


def _chunk(first: int, last: int, customers, models, recorder, units, rng) -> None:
    contracts, plans = [], []
    for n in range(first, last):
        customer, rep, province = rng.choice(customers)
        state = rng.choice(STATES)
        signed = None
        if state in ("signed", "in_performance", "completed", "terminated"):
            signed = TODAY - timedelta(days=rng.randint(1, 1100))
        contracts.append(
            Contract(
                number=f"HT-GEN-{n:07d}",
                customer_id=customer,
                rep_id=rep,
                province_id=province,
                status=state,
                delivery_place="gen",
                delivery_deadline=(signed or TODAY) + timedelta(days=60),
                quality_standard="gen",
                after_sales_terms="gen",
                signed_on=signed,
                customer_signed_on=signed,
                terminated_on=signed + timedelta(days=30) if state == "terminated" else None,
            )
        )
        lines = [
            (rng.choice(models), rng.randint(1, 20), Decimal(rng.randint(10, 50_000) * 10))
            for _ in range(rng.choice([1, 2, 3, 4, 4, 5, 5, 6, 7]))
        ]
        # The figures services.totals keeps, set here since no service runs.
        total = sum((q * p for _m, q, p in lines), Decimal(0))
        plan, paid_so_far = _plan(state, signed, total, rng)
        contracts[-1].amount = total
        contracts[-1].paid = paid_so_far
        first = contracts[-1].first_unpaid = _first_unpaid(plan, paid_so_far)
        if first is not None:
            contracts[-1].due_to_first_unpaid = sum((a for d, a in plan if d <= first), Decimal(0))
            contracts[-1].next_unpaid = min((d for d, _a in plan if d > first), default=None)
        plans.append((state, signed, lines, plan))
    Contract.objects.bulk_create(contracts, batch_size=CHUNK)
    rows, deliveries, paid, instalments = [], [], [], []
    for contract, (state, signed, lines, plan) in zip(contracts, plans, strict=True):
        instalments += [
            Instalment(contract=contract, due_on=due_on, amount=amount) for due_on, amount in plan
        ]
        for model, quantity, price in lines:
            rows.append(
                ContractLine(
                    contract=contract,
                    model_id=model,
                    quantity=quantity,
                    unit_price=price,
                    list_price=price,
                )
            )
        total = sum((q * p for _m, q, p in lines), Decimal(0))
        if state == "completed":
            deliveries.append((contract, signed + timedelta(days=20), "first"))
            deliveries.append((contract, signed + timedelta(days=40), "rest"))
            paid.append(
                Payment(
                    contract=contract,
                    received_on=signed + timedelta(days=50),
                    amount=total,
                    recorded_by_id=recorder,
                )
            )
        elif state == "in_performance":
            deliveries.append(
                (contract, signed + timedelta(days=min(20, (TODAY - signed).days)), "first")
            )
            paid.append(
                Payment(
                    contract=contract,
                    received_on=signed,
                    amount=(total * 3 / 10).quantize(Decimal("0.01")),
                    recorded_by_id=recorder,
                )
            )
    ContractLine.objects.bulk_create(rows, batch_size=CHUNK)
    by_contract: dict[int, list[ContractLine]] = {}
    for line in rows:
        by_contract.setdefault(line.contract_id, []).append(line)
    notes = [
        Delivery(
            number=f"FH-GEN-{contract.number[7:]}" + ("-2" if which == "rest" else ""),
            contract=contract,
            delivered_on=min(on, TODAY),
            documents={},
            recorded_by_id=recorder,
        )
        for contract, on, which in deliveries
    ]
    Delivery.objects.bulk_create(notes, batch_size=CHUNK)
    items = []
    for note, (contract, _on, which) in zip(notes, deliveries, strict=True):
        for line in by_contract[contract.pk]:
            first = (line.quantity + 1) // 2  # the first shipment: half, rounded up
            quantity = first if which == "first" else line.quantity - first
            if quantity:
                items.append(DeliveryItem(delivery=note, line=line, quantity=quantity))
    DeliveryItem.objects.bulk_create(items, batch_size=CHUNK)
    _units(items, {c.pk: c.customer_id for c in contracts}, units, rng)
    Payment.objects.bulk_create(paid, batch_size=CHUNK)
    Instalment.objects.bulk_create(instalments, batch_size=CHUNK)


def _units(items, customer_of, units, rng) -> None:
    """One delivered line in ``UNITS_SHARE`` brings a tracked unit at the customer's,
    delivered with it and linked to it (X5)."""
    devices, links = [], []
    for item in items:
        if rng.random() >= UNITS_SHARE:
            continue
        model = item.line.model_id
        delivered = item.delivery.delivered_on
        devices.append(
            InstalledDevice(
                customer_id=customer_of[item.line.contract_id],
                model_id=model,
                **unit_identity(
                    model, f"GEN-D{item.pk:09d}", units["dis"].get(model, ""), units["lots"], rng
                ),
                origin=DeviceOrigin.DELIVERED,
                status=DeviceStatus.IN_SERVICE,
                delivered_on=delivered,
                warranty_until=delivered + timedelta(days=365 * rng.randint(1, 3)),
                site="gen",
            )
        )
        links.append(item)
    InstalledDevice.objects.bulk_create(devices, batch_size=CHUNK)
    DeliveredUnit.objects.bulk_create(
        [
            DeliveredUnit(delivery_item=item, device=device)
            for item, device in zip(links, devices, strict=True)
        ],
        batch_size=CHUNK,
    )
