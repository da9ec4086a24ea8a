"""Preventive maintenance: a model's plan, the units due within 30 days turned into
PM requests for the dispatcher (once), the visit done, and the next one due a plan's
interval later."""

from datetime import date

import pytest

from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.devices.pm import add_months, next_pm_due, pm_plan_save
from mdss.service import services
from mdss.service.models import ServiceRequest


@pytest.fixture
def plan(service_manager, monitor):
    return pm_plan_save(
        actor=service_manager, model=monitor, interval_months=6,
        checklist="外观检查\n电气安全测试\n血氧模块校准",
    )  # fmt: skip


def test_months_are_added_to_the_last_day_of_short_months():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_only_the_service_manager_keeps_plans_and_a_new_one_replaces_the_old(
    service_manager, engineer, monitor, plan
):
    with pytest.raises(PermissionDenied):
        pm_plan_save(actor=engineer, model=monitor, interval_months=3, checklist="x")
    with pytest.raises(ValidationFailed) as refused:
        pm_plan_save(actor=service_manager, model=monitor, interval_months=0, checklist=" ")
    assert {e.field for e in refused.value.errors} == {"interval_months", "checklist"}
    again = pm_plan_save(actor=service_manager, model=monitor, interval_months=12, checklist="年检")
    plan.refresh_from_db()
    assert not plan.is_active and again.is_active


def test_units_due_within_30_days_become_pm_requests_once(
    service_manager, engineer, qualified, device, plan, reference_data
):
    # Delivered 2024-05-01, no PM yet: due 2024-11-01, long past.
    assert next_pm_due(device, plan) == date(2024, 11, 1)
    (request,) = services.pm_requests_generate(today=date(2026, 11, 27))
    assert request.kind == "pm" and request.status == "to_dispatch"
    assert "电气安全测试" in request.symptom
    assert request.due_at.date() == date(2024, 11, 1)
    assert services.pm_requests_generate(today=date(2026, 11, 27)) == []  # one open PM each
    services.request_dispatch(actor=service_manager, request=request, engineer=engineer)
    request.refresh_from_db()
    assert request.status == "dispatched" and request.due_at.date() == date(2024, 11, 1)
    services.request_check_in(actor=engineer, request=request)
    services.request_repair_record(
        actor=engineer,
        request=request,
        fault_symptom="预防性维护",
        repair_method="按清单检查，全部合格",
    )
    services.request_complete(actor=engineer, request=request)
    device.refresh_from_db()
    assert device.last_pm_on == date(2026, 11, 27)
    assert next_pm_due(device, plan) == date(2027, 5, 27)
    # The next one is not due within 30 days: nothing new, even with this one closed.
    assert services.pm_requests_generate(today=date(2026, 11, 28)) == []
    assert ServiceRequest.objects.filter(kind="pm").count() == 1


def test_pm_plans_through_the_page_and_the_api(
    client, api_client, service_manager, engineer, monitor, device
):
    client.force_login(engineer)
    assert client.post("/devices/pm-plans/", {}).status_code == 403
    client.force_login(service_manager)
    response = client.post(
        "/devices/pm-plans/", {"model": monitor.pk, "interval_months": 6, "checklist": "外观检查"}
    )
    assert response.status_code == 302
    page = client.get(f"/devices/{device.pk}/")
    assert page.context["pm"][1] == date(2024, 11, 1)
    api_client.as_user(service_manager)
    created = api_client.post(
        "/api/v1/devices/pm-plans",
        {"model_id": monitor.pk, "interval_months": 3, "checklist": "外观检查\n校准"},
    )
    assert created.status_code == 201 and created.json()["checklist"] == ["外观检查", "校准"]
    plans = api_client.get("/api/v1/devices/pm-plans").json()["items"]
    assert [(p["model_id"], p["interval_months"]) for p in plans] == [(monitor.pk, 3)]
