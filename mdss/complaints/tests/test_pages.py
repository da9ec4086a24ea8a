"""The complaint pages and the portal: intake, the workspace and its actions, the
customer making a complaint, reading the answer and rating it, and scope."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.accounts.tests.factories import UserFactory
from mdss.complaints import services
from mdss.complaints.models import Complaint

from .conftest import RESOLUTION, receive


def test_the_complaint_line_records_a_call_and_the_workspace_shows_it(
    client, quality, rep, hospital, device, reference_data
):
    client.force_login(quality)
    found = client.get("/complaints/new/", {"find": "SN-1"})
    assert found.status_code == 200 and found.context["form"].initial["device"] == device.pk
    response = client.post(
        "/complaints/new/",
        {"channel": "phone", "received_at": "2026-11-27T09:30", "complainant_name": "周主任",
         "complainant_phone": "13900002222", "customer": hospital.pk, "concerns": "product",
         "device": device.pk, "content": "报警失灵"},
    )  # fmt: skip
    it = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{it.pk}/"
    page = client.get(f"/complaints/{it.pk}/")
    assert page.status_code == 200
    assert 'data-testid="action-contact"' in page.content.decode()
    assert client.get("/complaints/").context["page"].object_list[0] == it
    # The device page and the customer page show it.
    assert it.number in client.get(f"/devices/{device.pk}/").content.decode()
    client.force_login(rep)  # the account's rep, on the customer page
    records = client.get(f"/customers/{hospital.pk}/").context["records"]
    assert [(r.reference, r.url) for r in records] == [(it.number, f"/complaints/{it.pk}/")]


def test_a_bad_call_names_its_fields_and_writes_nothing(client, quality, reference_data):
    client.force_login(quality)
    response = client.post(
        "/complaints/new/",
        {"channel": "phone", "received_at": "2026-11-27T09:30", "complainant_name": "周",
         "concerns": "other", "content": "x", "service_number": "FW-0000-000000"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"service_number"}
    response = client.post(
        "/complaints/new/",
        {"channel": "phone", "received_at": "2026-11-27T09:30", "complainant_name": "周",
         "concerns": "other", "content": "x"},
    )  # fmt: skip
    assert "complainant_phone" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_the_actions_go_through_their_pages(client, quality, complaint):
    client.force_login(quality)
    url = f"/complaints/{complaint.pk}"
    assert client.get(f"{url}/answer/").status_code == 409  # not contacted nor classified
    assert client.post(f"{url}/contact/", {"note": "已致电"}).status_code == 302
    response = client.post(f"{url}/classify/", {"category": "service", "severity": "general",
                                                 "criteria": ["repeated"]})  # fmt: skip
    assert response.status_code == 200
    assert "severity" in response.context["form"].errors
    client.post(f"{url}/classify/", {"category": "service", "severity": "general"})
    assert client.post(f"{url}/answer/", RESOLUTION).status_code == 302
    client.post(f"{url}/feedback/", {"channel": "call", "acceptance": "accepted",
                                      "satisfaction": "4"})  # fmt: skip
    assert client.post(f"{url}/close/", {"comment": ""}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert client.get(f"{url}/nonsense/").status_code == 404


def test_documents_are_checked_by_content_and_downloaded(client, quality, complaint):
    client.force_login(quality)
    url = f"/complaints/{complaint.pk}/documents/"
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    client.post(url, {"title": "检测报告", "file": fake})
    assert not complaint.documents.exists()
    pdf = SimpleUploadedFile(
        "report.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF", "application/pdf"
    )
    client.post(url, {"title": "检测报告", "file": pdf})
    document = complaint.documents.get()
    response = client.get(f"/complaints/{complaint.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_workspace_notes_and_tasks(client, quality, complaint, rep):
    client.force_login(quality)
    url = f"/complaints/{complaint.pk}"
    assert client.post(f"{url}/note/", {"text": "客户要求书面答复"}).status_code == 302
    due = (complaint.received_at + timedelta(days=2)).date().isoformat()
    client.post(f"{url}/task/", {"title": "调取维修记录", "assignee": quality.pk, "due_on": due})
    task = complaint.tasks.get()
    client.post(f"{url}/tasks/{task.pk}/done/", {"result": "已调取"})
    task.refresh_from_db()
    assert task.done_at is not None and complaint.notes.count() == 1
    # A rep outside the team may not work in it (the complaint is not theirs to see).
    client.force_login(rep)
    assert client.post(f"{url}/note/", {"text": "x"}).status_code in (403, 404)


def test_a_customer_complains_in_the_portal_reads_the_answer_and_rates_it(
    client, member, quality, hospital, clinic, device, reference_data
):
    client.force_login(member)
    assert client.get("/portal/complaints/new/").status_code == 200
    response = client.post(
        "/portal/complaints/new/",
        {"concerns": "product", "device": device.pk, "content": "设备频繁报警",
         "complainant_name": "韩客户"},
    )  # fmt: skip
    it = Complaint.objects.get()
    assert response.status_code == 302 and it.channel == "portal" and it.customer == hospital
    assert it.handler == quality  # the complaint line is quality's
    services.complaint_contact(actor=quality, complaint=it)
    services.complaint_classify(actor=quality, complaint=it, category="product_quality",
                                severity="general")  # fmt: skip
    services.complaint_answer(actor=quality, complaint=it, **RESOLUTION)
    page = client.get(f"/portal/complaints/{it.pk}/")
    assert RESOLUTION["solution_detail"] in page.content.decode()
    assert (
        client.post(
            f"/portal/complaints/{it.pk}/", {"acceptance": "accepted", "satisfaction": "5"}
        ).status_code
        == 302
    )
    it.refresh_from_db()
    assert it.status == "fed_back" and it.feedback_channel == "portal" and it.satisfaction == 5
    # Another customer's login finds nothing; staff pages stay closed.
    assert client.get("/complaints/").status_code == 403
    other = UserFactory(username="clinic-user", roles=["customer"])
    from mdss.customers.portal import portal_account_grant

    portal_account_grant(actor=quality.superior, user=other, customer=clinic)
    client.force_login(other)
    assert client.get(f"/portal/complaints/{it.pk}/").status_code == 404


def test_the_portal_api_for_complaints(api_client, member, quality, clinic, device, reference_data):
    theirs = receive(quality, clinic)
    api_client.as_user(member)
    response = api_client.post(
        "/api/v1/portal/complaints",
        {
            "concerns": "product",
            "device_id": device.pk,
            "content": "报警",
            "complainant_name": "韩",
        },
    )
    assert response.status_code == 201, response.json()
    mine = response.json()
    assert mine["allowed_actions"] == []
    assert api_client.get(f"/api/v1/portal/complaints/{theirs.pk}").status_code == 404
    assert [c["id"] for c in api_client.get("/api/v1/portal/complaints").json()["items"]] == [
        mine["id"]
    ]
    assert (
        api_client.post(
            f"/api/v1/portal/complaints/{mine['id']}/rate",
            {"acceptance": "accepted", "satisfaction": 5},
        ).status_code
        == 409
    )
