"""Demo units the company serves but did not sell through this system: a monitor
taken over from another distributor (installed and accepted), one sold before
go-live, a loaner and a demo unit. Registered by the service manager 王磊 through
the services, so the audit trail is real. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from mdss.accounts.models import User
from mdss.catalog.models import ProductModel
from mdss.core.dates import local_today
from mdss.customers.models import Customer

from . import services
from .choices import DeviceOrigin
from .models import InstalledDevice

UNITS = [
    # (product, model code, serial, origin, site, years ago delivered, warranty years)
    ("多参数监护仪", "PM-8000", "TO-PM8-0001", DeviceOrigin.TAKEN_OVER, "ICU 3床", 3, 2),
    ("心电图机", "ECG-1206", "OLD-ECG-0007", DeviceOrigin.BEFORE_GO_LIVE, "心内科", 2, 3),
    ("多参数监护仪", "PM-9000", "LOAN-PM9-0001", DeviceOrigin.LOANER, "急诊科", None, None),
    ("彩色多普勒超声诊断系统", "DC-70", "DEMO-DC70-0001", DeviceOrigin.DEMO, "超声科", None, None),
]


def seed(*, stdout=None):
    if InstalledDevice.objects.exclude(origin=DeviceOrigin.DELIVERED).exists():
        return []
    users = {u.username: u for u in User.objects.filter(username__in=["wang.lei", "feng.tao"])}
    customers = list(
        Customer.objects.filter(kind__in=["public_hospital", "private_hospital"]).order_by("pk")[:2]
    )
    if len(users) < 2 or not customers:
        return []
    manager, engineer = users["wang.lei"], users["feng.tao"]
    models = {(m.product.name, m.code): m for m in ProductModel.objects.select_related("product")}
    today = local_today()
    made = []
    with transaction.atomic():
        for n, (product, code, serial, origin, site, years, warranty) in enumerate(UNITS):
            model = models.get((product, code))
            if model is None:
                continue
            delivered = today - timedelta(days=365 * years) if years else None
            device = services.device_register(
                actor=manager,
                customer=customers[n % len(customers)],
                model=model,
                origin=origin,
                serial=serial,
                site=site,
                delivered_on=delivered,
                warranty_until=delivered + timedelta(days=365 * warranty) if delivered else None,
                note="演示数据",
                today=today,
            )
            if origin == DeviceOrigin.TAKEN_OVER:
                services.device_installation_record(
                    actor=manager,
                    device=device,
                    installed_on=delivered + timedelta(days=3),
                    engineer=engineer,
                    accepted_by_customer="设备科 刘主任",
                    today=today,
                )
            made.append(device)
    if stdout:
        stdout.write(f"devices: {len(made)} units registered outside contracts")
    return []  # no logins to add
