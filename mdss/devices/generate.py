"""Synthetic installed base for benchmarks: 1,000 units per unit of scale outside
contracts (taken over, before go-live, loaners, demo units), on the generated
customers, a tenth of them decommissioned. Written in bulk without audit events
(nothing here happened). Contract deliveries are not generated here: contracts'
generator adds about 9,000 delivered units per unit of scale (scale 100 = about
1,000,000 units in all).

Each unit carries its model's UDI-DI (when the model has one), a lot and a serial,
and the UDI as a GS1 string: a model's units fall in lots of about ``UNITS_PER_LOT``
(the catalog makes 100 models per unit of scale and the installed base about 10,000
units, so about 100 units a model in two or three lots, whatever the scale)."""

from __future__ import annotations

from datetime import date, timedelta

from mdss.catalog.models import ProductModel
from mdss.customers.models import Customer

from .choices import MANUAL_ORIGINS, DeviceOrigin, DeviceStatus
from .models import InstalledDevice

TODAY = date(2026, 11, 27)
CHUNK = 5000
UNITS_PER_LOT = 40
UNITS_PER_SCALE = 10_000  # here and delivered through contracts


def lots_per_model(scale: int, models: int) -> int:
    """How many lots each model's units fall in, for about ``UNITS_PER_LOT`` a lot."""
    return max(1, round(UNITS_PER_SCALE * scale / max(models, 1) / UNITS_PER_LOT))


def unit_identity(model_id: int, serial: str, di: str, lots: int, rng) -> dict:
    """The lot, DI and scanned UDI of a generated unit of ``model_id``."""
    lot = f"GL{model_id:06d}-{rng.randrange(lots) + 1:02d}"
    udi = f"(01){di}(10){lot}(21){serial}" if di else ""
    return {"serial": serial, "lot": lot, "di": di, "udi": udi}


def model_identifiers() -> dict[int, str]:
    """{model id: its first UDI-DI} for the models that have one."""
    from mdss.catalog.models import UdiDeviceIdentifier

    dis: dict[int, str] = {}
    for model_id, di in UdiDeviceIdentifier.objects.order_by("pk").values_list("model_id", "di"):
        dis.setdefault(model_id, di)
    return dis


def generate(*, scale: int, rng, stdout) -> int:
    wanted = 1000 * scale
    generated = InstalledDevice.objects.filter(serial__startswith="GEN-").exclude(
        origin=DeviceOrigin.DELIVERED
    )
    existing = generated.count()
    customers = list(
        Customer.objects.filter(name__startswith="gen-").values_list("pk", flat=True)[:20000]
    )
    models = list(ProductModel.objects.values_list("pk", flat=True))
    if not customers or not models:
        stdout.write("devices: generate customers and the catalog first")
        return 0
    dis = model_identifiers()
    lots = lots_per_model(scale, len(models))
    batch = []
    for n in range(existing, wanted):
        delivered = TODAY - timedelta(days=rng.randint(30, 3000))
        retired = rng.random() < 0.1
        model = rng.choice(models)
        batch.append(
            InstalledDevice(
                customer_id=rng.choice(customers),
                model_id=model,
                **unit_identity(model, f"GEN-{n:08d}", dis.get(model, ""), lots, rng),
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
    stdout.write(f"devices: {generated.count()} present (outside contracts)")
    return max(wanted - existing, 0)
