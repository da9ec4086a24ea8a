"""The service API: the whole case by phone and on site, one POST per transition,
idempotent creation, the refusals (403, 404, 409, 422) and fixed query counts."""

import base64
from datetime import date

import pytest

from mdss.core.testing import assert_fixed_queries
from mdss.service.models import ServiceRequest

from .conftest import PNG, log_call

BASE = "/api/v1/service/requests"


def _new(api_client, customer, device, **extra):
    body = {
        "customer_id": customer.pk,
        "device_id": device.pk,
        "reporter_name": "护士长 李",
        "reporter_phone": "13900001111",
        "symptom": "监护仪开机黑屏",
        "urgency": "high",
        **extra,
    }
    return api_client.post(BASE, body)


def test_a_case_by_phone_through_the_api(
    api_client, service_manager, hospital, device, reference_data
):
    api_client.as_user(service_manager)
    response = _new(api_client, hospital, device)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["number"].startswith("FW-") and created["status"] == "new"
    assert created["due_at"] and "contact" in created["allowed_actions"]
    url = f"{BASE}/{created['id']}"
    steps = [
        ("contact", {"note": "已回电"}, "contacted"),
        ("triage", {"triage": "simple"}, "guidance"),
        ("resolve-by-phone", {"guidance": "重新插拔电源", "outcome": "恢复"}, "completed"),
        ("confirm", {"accepted": True, "signer_name": "李", "method": "verbal"}, "confirmed"),
        (
            "follow-up",
            {"attitude": 5, "quality": 5, "timeliness": 4, "satisfied": True,
             "contacted_person": "李"},
            "followed_up",
        ),
        ("close", None, "closed"),
    ]  # fmt: skip
    for action, body, status in steps:
        response = api_client.post(f"{url}/{action}", body)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == status
    assert api_client.get(url).json()["allowed_actions"] == ["reopen"]


def test_a_case_on_site_with_a_signature_and_a_poor_rating(
    api_client, service_manager, engineer, qualified, hospital, device, reference_data
):
    api_client.as_user(service_manager)
    created = _new(api_client, hospital, device).json()
    url = f"{BASE}/{created['id']}"
    assert api_client.post(f"{url}/dispatch", {"engineer_id": engineer.pk}).status_code == 200
    api_client.as_user(engineer)
    for action, body in [
        ("contact", {}),
        ("triage", {"triage": "complex"}),
        ("check-in", None),
        ("repair-record", {"fault_symptom": "黑屏", "repair_method": "更换排线",
                           "labour_minutes": 60, "test_result": "正常"}),
        ("complete", {"outcome": "已修复"}),
        ("confirm", {"accepted": True, "signer_name": "李护士长",
                     "signature_png_base64": base64.b64encode(PNG).decode()}),
    ]:  # fmt: skip
        response = api_client.post(f"{url}/{action}", body)
        assert response.status_code == 200, (action, response.json())
    detail = api_client.get(url).json()
    assert detail["status"] == "confirmed" and detail["visits"][0]["repair_method"] == "更换排线"
    api_client.as_user(service_manager)
    response = api_client.post(
        f"{url}/follow-up",
        {
            "attitude": 2,
            "quality": 3,
            "timeliness": 3,
            "satisfied": False,
            "contacted_person": "李",
        },
    )
    assert response.status_code == 200
    (action,) = api_client.get("/api/v1/service/improvements").json()["items"]
    assert action["request_id"] == created["id"] and action["status"] == "open"
    done = api_client.post(
        f"/api/v1/service/improvements/{action['id']}/done", {"result": "已复训"}
    )
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_creating_twice_with_one_idempotency_key_makes_one_request(
    api_client, service_manager, hospital, device, reference_data
):
    api_client.as_user(service_manager)
    headers = {"Idempotency-Key": "hotline-call-0001"}
    first = api_client.post(
        BASE,
        {"customer_id": hospital.pk, "reporter_name": "李", "symptom": "黑屏"},
        headers=headers,
    )
    again = api_client.post(
        BASE,
        {"customer_id": hospital.pk, "reporter_name": "李", "symptom": "黑屏"},
        headers=headers,
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert ServiceRequest.objects.count() == 1


def test_refusals_name_the_rule(
    api_client, service_manager, engineer, other_rep, hospital, device, reference_data
):
    request = log_call(service_manager, hospital, device)
    url = f"{BASE}/{request.pk}"
    api_client.as_user(engineer)  # not their job (and not logged by them): 404
    assert api_client.get(url).status_code == 404
    api_client.as_user(other_rep)  # another rep's customer
    assert api_client.get(url).status_code == 404
    api_client.as_user(service_manager)
    assert api_client.post(f"{url}/close").status_code == 409  # not followed up
    response = api_client.post(f"{url}/check-in")
    assert response.status_code == 403  # engineers check in
    response = _new(api_client, hospital, device, symptom="", urgency="panic")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"urgency"}
    response = _new(api_client, hospital, device, symptom="  ")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["symptom"]
    response = api_client.post(f"{url}/dispatch", {"engineer_id": engineer.pk})
    assert response.status_code == 422  # no competence for the model
    assert response.json()["errors"][0] == {
        "field": "engineer",
        "rule": "no_competence",
        "message": response.json()["errors"][0]["message"],
    }
    response = api_client.post(f"{url}/dispatch", {"engineer_id": 10**9})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "engineer_id"


def test_lists_cost_a_fixed_number_of_queries(
    client, api_client, service_manager, engineer, qualified, hospital, device, reference_data
):
    from mdss.service import services

    def add(n=3):
        for _ in range(n):
            request = log_call(service_manager, hospital, device)
            services.request_dispatch(actor=service_manager, request=request, engineer=engineer)

    add()
    api_client.as_user(service_manager)
    assert_fixed_queries(api_client, [BASE, "/api/v1/service/board"], add)
    api_client.as_user(engineer)
    assert_fixed_queries(api_client, ["/api/v1/service/jobs"], add)
    client.force_login(service_manager)
    assert_fixed_queries(client, ["/service/", "/service/board/"], add)
    client.force_login(engineer)
    assert_fixed_queries(client, ["/service/mine/"], add)


def test_the_engineers_jobs_come_by_urgency_then_deadline(
    api_client, service_manager, engineer, qualified, hospital, device, reference_data
):
    from mdss.service import services

    numbers = {}
    for urgency in ("low", "critical", "normal"):
        request = log_call(service_manager, hospital, device, urgency=urgency)
        services.request_dispatch(actor=service_manager, request=request, engineer=engineer)
        numbers[urgency] = request.number
    api_client.as_user(engineer)
    jobs = [j["number"] for j in api_client.get("/api/v1/service/jobs").json()["items"]]
    assert jobs == [numbers["critical"], numbers["normal"], numbers["low"]]


def test_parts_for_a_job_go_through_the_warehouse(
    api_client, service_manager, engineer, qualified, hospital, device, warehouse, reference_data
):
    from mdss.inventory.models import Location, Part, Requisition, Warehouse
    from mdss.service import services

    central = Warehouse.objects.create(
        code="SH", name="上海中心库", kind="central", keeper=warehouse
    )
    Location.objects.create(warehouse=central, code="A-01", name="A-01")
    part = Part.objects.create(number="SP-1", name="保险丝")
    request = log_call(service_manager, hospital, device)
    services.request_dispatch(actor=service_manager, request=request, engineer=engineer)
    services.request_contact(actor=engineer, request=request)
    services.request_triage(actor=engineer, request=request, triage="complex")
    api_client.as_user(engineer)
    response = api_client.post(
        f"{BASE}/{request.pk}/parts",
        {"warehouse_id": central.pk, "lines": [{"part_id": part.pk, "quantity": 2}],
         "need_by": date(2026, 11, 28).isoformat()},
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    requisition = Requisition.objects.get()
    assert requisition.service_reference == request.number and requisition.requested_by == engineer


def test_an_e_mail_becomes_a_request_for_the_senders_customer_and_unit(
    api_client, service_manager, hospital, device, reference_data
):
    from mdss.customers.models import Contact

    Contact.objects.create(customer=hospital, name="设备科 张工", email="zhang@hospital.cn",
                           mobile="13900005555")  # fmt: skip
    api_client.as_user(service_manager)
    mail = {
        "sender": "张工 <Zhang@Hospital.cn>",
        "subject": "紧急：ICU 监护仪 SN-1 黑屏",
        "body": "今天早上开机后黑屏，请尽快安排。",
    }
    headers = {"Idempotency-Key": "<msg-0001@hospital.cn>"}
    first = api_client.post("/api/v1/service/inbound-email", mail, headers=headers)
    assert first.status_code == 201, first.json()
    created = first.json()
    assert created["channel"] == "email" and created["urgency"] == "high"
    assert created["customer_id"] == hospital.pk and created["device_id"] == device.pk
    assert created["reporter_name"] == "设备科 张工" and created["reporter_phone"] == "13900005555"
    again = api_client.post("/api/v1/service/inbound-email", mail, headers=headers)
    assert again.json()["number"] == created["number"]  # a retried delivery: one request
    unknown = api_client.post(
        "/api/v1/service/inbound-email", {**mail, "sender": "someone@else.cn"}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["rule"] == "unknown_sender"


def test_the_board_shows_who_waits_and_each_engineers_jobs_by_urgency(
    api_client, service_manager, engineer, qualified, hospital, device, reference_data
):
    from mdss.service import services

    waiting = log_call(service_manager, hospital, device)
    normal = log_call(service_manager, hospital, device)
    critical = log_call(service_manager, hospital, device, urgency="critical")
    for request in (normal, critical):
        services.request_dispatch(actor=service_manager, request=request, engineer=engineer)
    api_client.as_user(service_manager)
    board = api_client.get("/api/v1/service/board").json()
    assert [w["number"] for w in board["waiting"]] == [waiting.number]
    row = board["waiting"][0]
    assert (row["customer"], row["model"]) == (hospital.name, device.model.code)
    assert row["province"] == (hospital.province.name if hospital.province_id else "")
    (mine,) = [e for e in board["engineers"] if e["id"] == engineer.pk]
    assert mine["name"] == engineer.display_name and mine["open_jobs"] == 2
    assert mine["jobs"] == [critical.number, normal.number]


def test_creating_a_request_costs_seven_queries(
    api_client, service_manager, hospital, device, reference_data, django_assert_max_num_queries
):
    """The token; the device with its customer; the target with the calendar's
    revision; the number; the request, carrying its contact deadline from the INSERT;
    the clock; their audit events in one INSERT (in the test's own transaction nothing
    is deferred: the request and the clock are written at once). On SQLite the audit
    batch also reads its stream's head (PostgreSQL keeps it)."""
    from django.db import connection

    api_client.as_user(service_manager)
    assert _new(api_client, hospital, device).status_code == 201  # warms the caches
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 8):
        response = _new(api_client, hospital, device)
    assert response.status_code == 201
    from mdss.calendars.models import SlaClock

    created = ServiceRequest.objects.get(pk=response.json()["id"])
    clock = SlaClock.objects.get(object_id=str(created.pk), code="service.contact")
    assert created.due_at == clock.due_at and clock.status == "running"


@pytest.mark.django_db(transaction=True)
def test_on_its_own_a_request_its_clock_and_their_events_are_one_statement(
    api_client, service_manager, hospital, device, reference_data
):
    """What is sent when the request is the whole transaction (as in production): the
    the unit with its customer (the token and the target in force with the calendar's
    revision are kept by the session: core/notified.py), the number in the same
    message as the transaction's BEGIN (core/numbers.py), then one statement for the
    rows and the events."""
    from django.db import connection

    from mdss.audit.verify import verify_chain
    from mdss.calendars.models import SlaClock
    from mdss.core.prepared import forget_reserved_keys

    api_client.as_user(service_manager)
    forget_reserved_keys()  # the warm-up takes a whole block of keys for each table
    assert _new(api_client, hospital, device).status_code == 201  # warms the caches
    sent = []

    def note(execute, sql, params, many, context):
        sent.append(sql.split(None, 1)[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        response = _new(api_client, hospital, device)
    assert response.status_code == 201
    if connection.vendor == "postgresql":
        assert sent == ["SELECT", "BEGIN;", "WITH"]
    else:  # no keys before the insert: each row, then the events
        assert [verb for verb in sent if verb == "INSERT"] == ["INSERT"] * 3
    created = ServiceRequest.objects.get(pk=response.json()["id"])
    clock = SlaClock.objects.get(object_id=str(created.pk), code="service.contact")
    assert created.due_at == clock.due_at and clock.status == "running"
    assert verify_chain().ok
