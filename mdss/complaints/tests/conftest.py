from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mdss.complaints import services
from mdss.service.tests.conftest import (  # noqa: F401  (fixtures shared with service)
    _service_day,
    clinic,
    device,
    hospital,
    monitor,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def receive(actor, customer=None, **kwargs):
    kwargs.setdefault("channel", "phone")
    kwargs.setdefault("complainant_name", "设备科 周主任")
    kwargs.setdefault("complainant_phone", "13900002222")
    kwargs.setdefault("content", "维修后监护仪仍频繁报警，影响病房使用")
    kwargs.setdefault("concerns", "service")
    return services.complaint_create(actor=actor, customer=customer, **kwargs)


@pytest.fixture
def complaint(quality, hospital, reference_data):  # noqa: F811
    return receive(quality, hospital)


@pytest.fixture
def member(customer_user, hospital, service_manager):  # noqa: F811
    """韩客户 logs in to the portal for the hospital."""
    from mdss.customers.portal import portal_account_grant

    portal_account_grant(actor=service_manager, user=customer_user, customer=hospital)
    return customer_user


RESOLUTION = {
    "facts": "报警为导联线接触不良，非主机故障",
    "root_cause": "导联线老化",
    "responsibility": "manufacturer",
    "solution": "replacement",
    "solution_detail": "免费更换导联线并培训护士",
    "decision_basis": "现场检测报告 JC-01；保修条款第3条",
}
