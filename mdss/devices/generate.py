"""Synthetic installed base for benchmarks: 1,000 units per unit of scale outside
contracts (taken over, before go-live, loaners, demo units), on the generated
customers, a tenth of them decommissioned. Written in bulk without audit events
(nothing here happened). Contract deliveries are not generated here."""

from __future__ import annotations

from datetime import date, timedelta

from mdss.catalog.models import ProductModel
from mdss.customers.models import Customer

from .choices import MANUAL_ORIGINS, DeviceStatus
from .models import InstalledDevice

TODAY = date(2026, 11, 27)
CHUNK = 5000


def generate(*, scale: int, rng, stdout) -> int:
    wanted = 1000 * scale
    existing = InstalledDevice.objects.filter(serial__startswith="GEN-").count()
    customers = list(
        Customer.objects.filter(name__startswith="gen-").values_list("pk", flat=True)[:20000]
    )
    models = list(ProductModel.objects.values_list("pk", flat=True))
    if not customers or not models:
        stdout.write("devices: generate customers and the catalog first")
        return 0
    batch = []
    for n in range(existing, wanted):
        delivered = TODAY - timedelta(days=rng.randint(30, 3000))
        retired = rng.random() < 0.1
        batch.append(
            InstalledDevice(
                customer_id=rng.choice(customers),
                model_id=rng.choice(models),
                serial=f"GEN-{n:08d}",
                origin=rng.choice(MANUAL_ORIGINS),
                status=DeviceStatus.DECOMMISSIONED if retired else DeviceStatus.IN_SERVICE,
                decommissioned_on=TODAY - timedelta(days=rng.randint(1, 30)) if retired else None,
                decommission_reason="gen" if retired else "",
                delivered_on=delivered,
                warranty_until=delivered + timedelta(days=365 * rng.randint(1, 3)),
                site="gen",
            )
        )
        if len(batch) >= CHUNK:
            InstalledDevice.objects.bulk_create(batch)
            batch = []
    InstalledDevice.objects.bulk_create(batch)
    stdout.write(
        f"devices: {InstalledDevice.objects.filter(serial__startswith='GEN-').count()} present"
    )
    return max(wanted - existing, 0)
