from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mdss.catalog.tests.factories import ModelFactory
from mdss.customers.tests.factories import CustomerFactory
from mdss.devices import services as devices
from mdss.service import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 27)


def at(text: str) -> datetime:
    """A wall-clock time in Shanghai: at("2026-09-30 23:40")."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _service_day():
    """Service tests happen on TODAY unless they travel; the clock still ticks."""
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


@pytest.fixture
def hospital(db, rep):
    from mdss.accounts.tests.factories import RegionFactory

    province = RegionFactory(code="330000", name="浙江省")
    city = RegionFactory(code="330100", name="杭州市", level="city", parent=province)
    return CustomerFactory(owner=rep, name="杭州市第一人民医院", region=city, province=province)


@pytest.fixture
def monitor(db):
    return ModelFactory(code="PM-8000")


@pytest.fixture
def device(service_manager, hospital, monitor):
    return devices.device_register(
        actor=service_manager,
        customer=hospital,
        model=monitor,
        serial="SN-1",
        origin="taken_over",
        site="ICU",
        delivered_on=date(2024, 5, 1),
        warranty_until=date(2027, 5, 1),
        today=date(2026, 1, 5),
    )


@pytest.fixture
def qualified(engineer, monitor):
    """The engineer holds a certificate for the monitor until the end of 2028."""
    from mdss.training.models import Certificate

    Certificate.objects.create(
        user=engineer, kind="manufacturer", name="监护仪维修认证", number="CERT-1",
        issuer="厂家", model=monitor, valid_until=date(2028, 12, 31),
    )  # fmt: skip
    return engineer


def log_call(actor, customer, device=None, **kwargs):
    kwargs.setdefault("channel", "hotline")
    kwargs.setdefault("reporter_name", "护士长 李")
    kwargs.setdefault("reporter_phone", "13900001111")
    kwargs.setdefault("symptom", "监护仪开机黑屏")
    return services.request_create(actor=actor, customer=customer, device=device, **kwargs)


@pytest.fixture
def call(service_manager, hospital, device, reference_data):
    return log_call(service_manager, hospital, device)


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def clinic(db, other_rep):
    return CustomerFactory(owner=other_rep, name="西湖诊所")
