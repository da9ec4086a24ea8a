"""The quality API: feedback, an incident through CAPA, an adverse event, a recall
with the trace; refusals (403, 404, 409, 422) and fixed query counts."""

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.catalog.models import UdiDeviceIdentifier
from mdss.core.testing import assert_fixed_queries
from mdss.quality.models import ProductFeedback

from .conftest import report

BASE = "/api/v1/quality"


def test_feedback_through_the_api(api_client, quality, engineer, monitor, device, reference_data):
    api_client.as_user(engineer)
    body = {"model_id": monitor.pk, "device_id": device.pk, "description": "屏幕闪烁"}
    response = api_client.post(f"{BASE}/feedback", body, headers={"Idempotency-Key": "fb-1"})
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["serial"] == "SN-1" and created["allowed_actions"] == []
    again = api_client.post(f"{BASE}/feedback", body, headers={"Idempotency-Key": "fb-1"})
    assert again.json()["id"] == created["id"] and ProductFeedback.objects.count() == 1
    url = f"{BASE}/feedback/{created['id']}"
    assert api_client.post(f"{url}/send", {"method": "email", "sent_to": "x"}).status_code == 403
    api_client.as_user(quality)
    assert api_client.get(url).json()["allowed_actions"] == ["feedback_send", "feedback_close"]
    bad = api_client.post(f"{url}/send", {"method": "email", "sent_to": " "})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "sent_to"
    assert api_client.post(f"{url}/send", {"method": "email", "sent_to": "厂家"}).status_code == 200
    assert api_client.post(f"{url}/send", {"method": "email", "sent_to": "厂家"}).status_code == 409
    answered = api_client.post(f"{url}/answer", {"answer": "确认", "action": "更换批次"})
    assert answered.json()["status"] == "answered"
    trend = api_client.get(f"{BASE}/feedback/trend?model_id={monitor.pk}&months=3").json()
    assert [m["count"] for m in trend["series"]] == [0, 0, 1] and trend["installed"] == 1


def test_engineers_see_only_their_feedback(api_client, quality, engineer, monitor, reference_data):
    theirs = report(quality, monitor)
    api_client.as_user(engineer)
    assert api_client.get(f"{BASE}/feedback/{theirs.pk}").status_code == 404
    assert api_client.get(f"{BASE}/feedback").json()["count"] == 0
    assert api_client.get(f"{BASE}/adverse-events").status_code == 403
    assert api_client.get(f"{BASE}/feedback?status=lost").status_code == 422


def test_an_incident_through_the_api(api_client, quality, engineer, reference_data):
    api_client.as_user(quality)
    created = api_client.post(
        f"{BASE}/incidents",
        {"source": "service", "title": "维修后再次失效", "description": "同批次两次失效",
         "occurred_on": "2026-11-20"},
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    url = f"{BASE}/incidents/{created.json()['id']}"
    assert api_client.post(f"{url}/contain", {"containment": "隔离库存"}).status_code == 200
    analysed = api_client.post(
        f"{url}/analyse", {"whys": ["虚焊", "温度低"], "fishbone": {"machine": "炉温"},
                           "root_cause": "炉温未校准"},
    )  # fmt: skip
    assert analysed.json()["status"] == "analysed"
    fix = api_client.post(
        f"{url}/actions", {"kind": "corrective", "description": "更换", "assignee_id": engineer.pk}
    )
    prevent = api_client.post(
        f"{url}/actions", {"kind": "preventive", "description": "校准", "assignee_id": quality.pk}
    )
    assert fix.status_code == prevent.status_code == 201
    api_client.as_user(engineer)
    mine = api_client.get(f"{BASE}/capa").json()
    assert [a["id"] for a in mine["items"]] == [fix.json()["id"]]
    assert (
        api_client.post(f"{BASE}/capa/{fix.json()['id']}/done", {"result": "已换"}).status_code
        == 200
    )
    assert (
        api_client.post(f"{BASE}/capa/{prevent.json()['id']}/done", {"result": "x"}).status_code
        == 403
    )
    api_client.as_user(quality)
    api_client.post(f"{BASE}/capa/{prevent.json()['id']}/done", {"result": "已校准"})
    assert api_client.get(url).json()["status"] == "verifying"
    early = api_client.post(f"{url}/close", {"password": TEST_PASSWORD, "lessons": "校准"})
    assert early.status_code == 409
    assert api_client.post(f"{url}/verify", {"effective": True, "evidence": "x"}).status_code == 409


def test_an_adverse_event_through_the_api(api_client, quality, monitor, reference_data):
    api_client.as_user(quality)
    created = api_client.post(
        f"{BASE}/adverse-events",
        {"reporter_name": "周主任", "event_on": "2026-11-25", "aware_at": "2026-11-26T09:00:00+08:00",
         "outcome": "death", "model_id": monitor.pk, "narrative": "除颤失败", "patient_age": 67,
         "patient_sex": "m"},
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    event = created.json()
    assert event["due_at"].startswith("2026-12-03T01:00")  # 7 × 24 h after 09:00 (+08:00)
    url = f"{BASE}/adverse-events/{event['id']}"
    submitted = api_client.post(
        f"{url}/submit", {"submitted_on": "2026-11-27", "receipt_number": "GJ-1"}
    )
    assert submitted.json()["status"] == "submitted"
    assert api_client.post(f"{url}/close", {"note": ""}).status_code == 422
    api_client.post(
        f"{url}/notify-manufacturer",
        {"notified_at": "2026-11-26T12:00:00+08:00", "method": "phone"},
    )
    closed = api_client.post(f"{url}/close", {"note": ""}).json()
    assert closed["status"] == "closed" and len(closed["notices"]) == 1


def test_a_recall_and_the_trace_through_the_api(
    api_client, quality, sales_manager, rep, monitor, device, reference_data
):
    UdiDeviceIdentifier.objects.create(model=monitor, di="06901234567892")
    api_client.as_user(quality)
    created = api_client.post(
        f"{BASE}/recalls",
        {"level": "2", "model_id": monitor.pk, "serials": ["SN-1"], "manufacturer_notice": "M-1",
         "notice_on": "2026-11-20", "reason": "电源过热", "action": "更换电源"},
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    url = f"{BASE}/recalls/{created.json()['id']}"
    active = api_client.post(f"{url}/activate").json()
    assert active["status"] == "active" and active["progress"]["total"] == 1
    api_client.as_user(sales_manager)
    notice = api_client.post(
        f"{url}/notices",
        {"customer_id": device.customer_id, "channel": "letter", "sent_at": "2026-11-27T09:00:00+08:00"},
    )  # fmt: skip
    assert notice.status_code == 201, notice.json()
    ack = api_client.post(
        f"{url}/notices/{notice.json()['id']}/acknowledge", {"acknowledged_by": "周"}
    )
    assert ack.json()["acknowledged_by"] == "周"
    assert api_client.post(f"{url}/close", {"note": ""}).status_code == 403
    found = api_client.get(f"{BASE}/trace?udi=(01)06901234567892(21)SN-1").json()
    assert [d["serial"] for d in found["devices"]] == ["SN-1"]
    assert found["customers"][0]["id"] == device.customer_id
    assert api_client.get(f"{BASE}/trace").status_code == 422
    api_client.as_user(rep)
    assert api_client.get(f"{BASE}/trace?lot=X").status_code == 403
    assert api_client.get(url).status_code == 403


def test_lists_cost_fixed_queries(api_client, quality, monitor, reference_data):
    from .conftest import open_incident

    api_client.as_user(quality)
    report(quality, monitor)
    open_incident(quality)

    def grow():
        for _ in range(3):
            report(quality, monitor, lot="L9")
            open_incident(quality)

    assert_fixed_queries(
        api_client,
        [f"{BASE}/feedback", f"{BASE}/incidents", f"{BASE}/adverse-events", f"{BASE}/recalls"],
        grow,
    )


def test_evaluations_through_the_api(api_client, service_manager, engineer, reference_data):
    api_client.as_user(service_manager)
    period = {"period_start": "2026-10-01", "period_end": "2026-11-27"}
    computed = api_client.post(f"{BASE}/evaluations/compute", period)
    assert computed.status_code == 200, computed.json()
    [row] = computed.json()
    assert row["engineer_id"] == engineer.pk and row["figures"]["completed"] == 0
    url = f"{BASE}/evaluations/{row['id']}"
    reviewed = api_client.post(f"{url}/review", {"comment": "本期无工单"})
    assert reviewed.json()["reviewed_by_id"] == service_manager.pk
    assert api_client.post(f"{url}/review", {"comment": "x"}).status_code == 409
    bad = api_client.post(f"{BASE}/evaluations/compute", {**period, "period_end": "2026-01-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "period_end"
    api_client.as_user(engineer)
    assert api_client.get(f"{BASE}/evaluations").json()["count"] == 1
    assert api_client.post(f"{url}/review", {"comment": "x"}).status_code == 403


def test_a_record_audit_through_the_api(
    api_client, quality, engineer, hospital, device, reference_data
):
    from .conftest import at, make_request

    for n in range(5):
        make_request(n, hospital, device, engineer, at("2026-11-02 10:00"))
    api_client.as_user(quality)
    created = api_client.post(
        f"{BASE}/audits",
        {"period_start": "2026-11-01", "period_end": "2026-11-26", "percent": 40, "seed": 3},
    )
    assert created.status_code == 201, created.json()
    audit = created.json()
    assert audit["population"] == 5 and len(audit["items"]) == 2
    item = audit["items"][0]
    url = f"{BASE}/audits/{audit['id']}"
    checks = {"process": True, "record": True, "repair": False, "confirmation": True, "parts": True}
    assert api_client.post(f"{url}/items/{item['id']}/check", {"checks": checks}).status_code == 200
    finding = api_client.post(
        f"{url}/items/{item['id']}/findings",
        {"description": "维修质量不达标", "assignee_id": engineer.pk, "due_on": "2026-12-15"},
    )
    assert finding.status_code == 201, finding.json()
    assert api_client.post(f"{url}/close", {"summary": "x"}).status_code == 409  # one unchecked
    api_client.as_user(engineer)
    assert api_client.get(url).status_code == 403
    assert [f["id"] for f in api_client.get(f"{BASE}/findings").json()["items"]] == [
        finding.json()["id"]
    ]
    done = api_client.post(f"{BASE}/findings/{finding.json()['id']}/done", {"result": "已返工"})
    assert done.status_code == 200 and done.json()["done_at"]
