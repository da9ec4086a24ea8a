from datetime import date

import pytest

from mdss.risk import services

TODAY = date(2026, 11, 27)


def record(actor, owner, *, likelihood=3, impact=3, today=TODAY, **kwargs):
    kwargs.setdefault("category", "quality")
    kwargs.setdefault("title", "监护仪血氧模块批次性失效")
    kwargs.setdefault("description", "同一批次血氧模块维修后再次失效")
    kwargs.setdefault("cause", "供应商焊接工艺不稳定")
    kwargs.setdefault("consequence", "监测中断，可能延误救治；客户投诉")
    kwargs.setdefault("source", "complaints")
    return services.risk_create(
        actor=actor, owner=owner, likelihood=likelihood, impact=impact, today=today, **kwargs
    )


@pytest.fixture
def risk(quality, service_manager, reference_data):
    return record(quality, service_manager)


from mdss.service.tests.conftest import device, hospital, monitor  # noqa: E402, F401
