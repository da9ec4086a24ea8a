"""The customer portal: a customer's login sees only its organisation's devices and
requests, reports a fault, confirms the result with its password and answers the
survey; staff and other customers get nothing."""

from mdss.accounts.tests.factories import TEST_PASSWORD, UserFactory
from mdss.audit.models import ESignature
from mdss.calendars.selectors import clocks_for
from mdss.service import services
from mdss.service.models import ServiceRequest
from mdss.service.tests.conftest import log_call


def _resolved(service_manager, hospital, device):
    request = log_call(service_manager, hospital, device)
    services.request_contact(actor=service_manager, request=request)
    services.request_triage(actor=service_manager, request=request, triage="simple")
    return services.request_resolve_by_phone(
        actor=service_manager, request=request, guidance="重启", outcome="恢复"
    )


def test_a_customer_reports_a_fault_and_sees_only_its_own(
    client, member, hospital, clinic, device, service_manager, reference_data
):
    theirs = log_call(service_manager, clinic)
    client.force_login(member)
    home = client.get("/portal/")
    assert [d.pk for d in home.context["devices"]] == [device.pk]
    response = client.post(
        "/portal/requests/new/",
        {"device": device.pk, "symptom": "屏幕不亮", "urgency": "high",
         "reporter_name": "韩客户", "reporter_phone": "13900000001"},
    )  # fmt: skip
    mine = ServiceRequest.objects.get(channel="portal")
    assert response.status_code == 302 and response["Location"] == f"/portal/requests/{mine.pk}/"
    assert mine.customer == hospital and mine.created_by == member and mine.engineer is None
    assert clocks_for(mine).get(code="service.contact").status == "running"
    assert client.get(f"/portal/requests/{mine.pk}/").status_code == 200
    # Another customer's request and device are not there at all.
    assert client.get(f"/portal/requests/{theirs.pk}/").status_code == 404
    assert client.get("/service/").status_code == 403  # the staff pages
    other = UserFactory(username="clinic-user", roles=["customer"])
    from mdss.customers.portal import portal_account_grant

    portal_account_grant(actor=service_manager, user=other, customer=clinic)
    client.force_login(other)
    assert client.get(f"/portal/requests/{mine.pk}/").status_code == 404
    assert client.get(f"/portal/devices/{device.pk}/").status_code == 404


def test_staff_and_customers_without_an_account_are_refused(client, customer_user, service_manager):
    client.force_login(service_manager)
    assert client.get("/portal/").status_code == 403
    client.force_login(customer_user)
    assert client.get("/portal/").status_code == 403


def test_the_customer_confirms_with_its_password_and_answers_the_survey(
    client, member, hospital, device, service_manager, reference_data
):
    request = _resolved(service_manager, hospital, device)
    client.force_login(member)
    page = client.get(f"/portal/requests/{request.pk}/")
    assert page.context["actions"] == ["confirm"]
    response = client.post(
        f"/portal/requests/{request.pk}/",
        {"action": "confirm", "confirm-accepted": "yes", "confirm-password": "wrong"},
    )
    assert response.status_code == 200 and response.context["confirm"].errors
    response = client.post(
        f"/portal/requests/{request.pk}/",
        {"action": "confirm", "confirm-accepted": "yes", "confirm-password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "confirmed"
    signature = ESignature.objects.get(object_id=str(request.pk))
    assert signature.signer == member
    response = client.post(
        f"/portal/requests/{request.pk}/",
        {"action": "survey", "survey-attitude": "2", "survey-quality": "3",
         "survey-timeliness": "2", "survey-satisfied": "no", "survey-comments": "等太久"},
    )  # fmt: skip
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "followed_up" and request.follow_up.recorded_by == member
    action = request.improvements.get()
    assert action.owner == service_manager  # the dispatcher, not the customer
    # Done now: nothing more to do, and posting again is refused.
    response = client.post(
        f"/portal/requests/{request.pk}/",
        {"action": "survey", "survey-attitude": "5", "survey-quality": "5",
         "survey-timeliness": "5", "survey-satisfied": "yes"},
    )  # fmt: skip
    assert response.status_code == 409


def test_the_portal_api(
    api_client, member, hospital, clinic, device, service_manager, reference_data
):
    from mdss.devices import services as devices

    their_unit = devices.device_register(
        actor=service_manager, customer=clinic, model=device.model, serial="SN-9",
        origin="taken_over",
    )  # fmt: skip
    api_client.as_user(member)
    assert [d["id"] for d in api_client.get("/api/v1/portal/devices").json()["items"]] == [
        device.pk
    ]
    body = {"symptom": "黑屏", "reporter_name": "韩", "reporter_phone": "139"}
    refused = api_client.post("/api/v1/portal/requests", {**body, "device_id": their_unit.pk})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "device_id"
    created = api_client.post("/api/v1/portal/requests", {**body, "device_id": device.pk})
    assert created.status_code == 201 and created.json()["status"] == "new"
    request = _resolved(service_manager, hospital, device)
    url = f"/api/v1/portal/requests/{request.pk}"
    assert api_client.get(url).json()["allowed_actions"] == ["confirm"]
    assert api_client.post(f"{url}/survey", {"attitude": 5, "quality": 5, "timeliness": 5,
                                             "satisfied": True}).status_code == 409  # fmt: skip
    response = api_client.post(f"{url}/confirm", {"accepted": False, "password": TEST_PASSWORD,
                                                  "reason": "仍然黑屏"})  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == "guidance"
    api_client.as_user(service_manager)
    assert api_client.get("/api/v1/portal/requests").status_code == 403
