from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mdss.quality import services
from mdss.service.tests.conftest import (  # noqa: F401  (fixtures shared with service)
    _service_day,
    call,
    device,
    hospital,
    monitor,
    qualified,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def report(actor, model, **kwargs):
    kwargs.setdefault("source", "customer")
    kwargs.setdefault("description", "血氧探头读数漂移")
    return services.feedback_create(actor=actor, model=model, **kwargs)


@pytest.fixture
def feedback(quality, monitor, device, reference_data):  # noqa: F811
    return report(quality, monitor, device=device)


def open_incident(actor, **kwargs):
    kwargs.setdefault("source", "service")
    kwargs.setdefault("title", "维修后监护仪血氧模块再次失效")
    kwargs.setdefault("description", "同一批次血氧模块一个月内两次失效")
    kwargs.setdefault("occurred_on", datetime(2026, 11, 20).date())
    return services.incident_create(actor=actor, **kwargs)


@pytest.fixture
def incident(quality, reference_data):
    return open_incident(quality)


ANALYSIS = {
    "whys": ["模块失效", "焊点虚焊", "回流焊温度曲线偏低", "设备未定期校准"],
    "fishbone": {"machine": "回流焊炉未校准", "method": "无首件检验"},
    "root_cause": "回流焊炉未按周期校准，导致焊点虚焊",
}


def make_request(n, customer, device, engineer, completed, *, kind="repair", reported=None):  # noqa: F811
    """A request as the service flow leaves it (completed at ``completed``, or open)."""
    from mdss.service.models import ServiceRequest

    return ServiceRequest.objects.create(
        number=f"FW-T-{n}", channel="hotline", kind=kind, customer=customer, device=device,
        reporter_name="护士长", symptom="黑屏", urgency="normal", urgency_rank=2,
        reported_at=reported or (completed - timedelta(days=1) if completed else at("2026-11-25 09:00")),
        status="completed" if completed else "contacted", completed_at=completed, engineer=engineer,
    )  # fmt: skip
