from datetime import date

import pytest
import time_machine

from mdss.catalog.tests.factories import ModelFactory
from mdss.customers.tests.factories import CustomerFactory
from mdss.devices import services
from mdss.devices.choices import DeviceOrigin

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _device_day():
    """Device tests happen on TODAY; the clock still ticks."""
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


@pytest.fixture
def hospital(db, rep):
    return CustomerFactory(owner=rep, name="杭州市第一人民医院")


@pytest.fixture
def clinic(db, other_rep):
    return CustomerFactory(owner=other_rep, name="西湖诊所")


@pytest.fixture
def monitor(db):
    return ModelFactory(code="PM-8000")


def register(actor, customer, model, serial="SN-1", **kwargs):
    kwargs.setdefault("origin", DeviceOrigin.TAKEN_OVER)
    kwargs.setdefault("today", TODAY)
    return services.device_register(
        actor=actor, customer=customer, model=model, serial=serial, **kwargs
    )


@pytest.fixture
def device(service_manager, hospital, monitor):
    return register(
        service_manager,
        hospital,
        monitor,
        site="ICU",
        delivered_on=date(2024, 5, 1),
        warranty_until=date(2025, 5, 1),
    )
