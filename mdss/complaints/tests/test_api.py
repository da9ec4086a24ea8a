"""The complaints API: a major complaint through every transition, idempotent
creation, the inbound e-mail, refusals (403, 404, 409, 422) and fixed query counts."""

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.complaints.models import Complaint
from mdss.core.testing import assert_fixed_queries

from .conftest import RESOLUTION, receive

BASE = "/api/v1/complaints"


def test_a_major_complaint_through_the_api(
    api_client, quality, management, rep, hospital, device, reference_data
):
    api_client.as_user(quality)
    body = {
        "channel": "phone",
        "complainant_name": "设备科 周主任",
        "complainant_phone": "13900002222",
        "customer_id": hospital.pk,
        "device_id": device.pk,
        "concerns": "product",
        "content": "监护仪报警失灵，险些延误抢救",
    }
    response = api_client.post(BASE, body, headers={"Idempotency-Key": "call-1"})
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["number"].startswith("TS-") and created["status"] == "new"
    assert created["due_at"] and "contact" in created["allowed_actions"]
    again = api_client.post(BASE, body, headers={"Idempotency-Key": "call-1"})
    assert again.json()["id"] == created["id"] and Complaint.objects.count() == 1
    url = f"{BASE}/{created['id']}"
    due = "2026-12-04T10:00:00+08:00"  # a week after the frozen day (conftest)
    steps = [
        ("contact", {"note": "已致电致歉"}, "contacted"),
        ("classify", {"category": "product_quality", "severity": "major",
                      "criteria": ["patient_harm"]}, "contacted"),
        ("form-team", {"members": [{"user_id": management.pk, "role": "leader"},
                                   {"user_id": quality.pk, "role": "investigator"},
                                   {"user_id": rep.pk, "role": "account"}],
                       "resolution_due": due}, "investigating"),
        ("assess", {"possible_adverse_event": True, "malfunction": True}, "investigating"),
        ("handover/close", {"reference": "AE-2026-0007"}, "investigating"),
        ("notify-manufacturer", {"manufacturer_id": device.model.product.manufacturer_id,
                                 "method": "email", "contact": "厂家质量部"}, "investigating"),
        ("resolve", RESOLUTION, "resolved"),
        ("feedback", {"channel": "call", "acceptance": "accepted", "satisfaction": 5},
         "fed_back"),
        ("close", {"password": TEST_PASSWORD, "comment": "结案"}, "closed"),
    ]  # fmt: skip
    for action, payload, status in steps:
        response = api_client.post(f"{url}/{action}", payload)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == status, action
    final = api_client.get(url).json()
    assert final["signature_id"] and final["allowed_actions"] == ["reopen"]
    assert [m["role"] for m in final["team"]] == ["leader", "investigator", "account"]


def test_the_mail_gateway_posts_a_message(api_client, quality, reference_data):
    api_client.as_user(quality)
    body = {"sender": "家属 <f@example.com>", "subject": "投诉", "body": "态度差",
            "message_id": "<x@example.com>"}  # fmt: skip
    first = api_client.post(f"{BASE}/inbound-email", body)
    assert first.status_code == 201, first.json()
    assert first.json()["channel"] == "email"
    second = api_client.post(f"{BASE}/inbound-email", body)
    assert second.json()["id"] == first.json()["id"]


def test_refusals_name_the_rule(
    api_client, quality, warehouse, service_manager, complaint, clinic, device
):
    url = f"{BASE}/{complaint.pk}"
    api_client.as_user(warehouse)
    assert api_client.get(url).status_code == 403
    api_client.as_user(service_manager)  # the complaint is about service: seen, not handled
    assert api_client.get(url).status_code == 200
    assert api_client.post(f"{url}/contact", {}).status_code == 403
    api_client.as_user(quality)
    assert api_client.get(f"{BASE}/999999").status_code == 404
    assert api_client.post(f"{url}/answer", RESOLUTION).status_code == 409  # not classified
    response = api_client.post(
        f"{url}/classify", {"category": "service", "severity": "general", "criteria": ["repeated"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "severity"
    response = api_client.post(
        BASE,
        {"complainant_name": "x", "content": "y", "customer_id": clinic.pk,
         "device_id": device.pk, "complainant_phone": "1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"device"}
    response = api_client.post(f"{url}/feedback", {"channel": "call", "acceptance": "accepted",
                                                   "satisfaction": 9})  # fmt: skip
    assert response.status_code == 422


def test_the_queue_costs_fixed_queries(api_client, client, quality, hospital, reference_data):
    receive(quality, hospital)

    def add():
        for _n in range(3):
            receive(quality, hospital)

    api_client.as_user(quality)
    assert_fixed_queries(api_client, [BASE, f"{BASE}?status=all&severity=unclassified"], add)
    client.force_login(quality)
    assert_fixed_queries(client, ["/complaints/", "/complaints/?status=overdue"], add)


def test_the_queue_puts_the_nearest_deadline_first(api_client, quality, hospital, reference_data):
    from mdss.complaints import services

    first = receive(quality, hospital)
    second = receive(quality, hospital)
    services.complaint_contact(actor=quality, complaint=first)  # now due in 24 h
    api_client.as_user(quality)
    numbers = [row["number"] for row in api_client.get(BASE).json()["items"]]
    assert numbers == [second.number, first.number]
