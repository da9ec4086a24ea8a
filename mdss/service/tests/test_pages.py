"""The service pages: the hotline's lookup and call log, the request page with its
clocks and the actions the viewer may take, and the whole case through the
transition pages (each one form, one service call)."""

import base64

import pytest

from mdss.service.models import ServiceRequest

from .conftest import PNG, log_call


def test_the_caller_lookup_finds_the_customer_and_device_by_phone_and_serial(
    client, service_manager, hospital, device, reference_data
):
    from mdss.customers.models import Contact

    Contact.objects.create(customer=hospital, name="李护士长", mobile="13912345678")
    client.force_login(service_manager)
    page = client.get("/service/new/", {"find": "13912345678"})
    assert [c.pk for c in page.context["matches"]] == [hospital.pk]
    assert page.context["selected_customer"] == str(hospital.pk)
    assert page.context["selected_device"] == str(device.pk)  # its only unit
    page = client.get("/service/new/", {"find": "SN-1"})
    assert [u.matched for u in page.context["matches"][0].units] == [True]
    response = client.post(
        "/service/new/?find=SN-1",
        {
            "customer": hospital.pk,
            "device": device.pk,
            "reporter_name": "李护士长",
            "reporter_phone": "13912345678",
            "symptom": "黑屏",
            "urgency": "high",
            "channel": "hotline",
            "reported_at": "2026-11-27T09:50",
        },
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/{request.pk}/"
    assert request.reported_at.isoformat().startswith("2026-11-27T01:50")  # 09:50 in Shanghai


def test_a_bad_call_log_names_the_field_on_the_page(
    client, service_manager, hospital, reference_data
):
    client.force_login(service_manager)
    response = client.post(
        "/service/new/",
        {"customer": hospital.pk, "reporter_name": "李", "symptom": "黑屏", "urgency": "high",
         "channel": "hotline", "reported_at": "2026-11-30T09:50"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "reported_at" in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_the_whole_case_through_the_pages(
    client, service_manager, engineer, qualified, hospital, device, reference_data
):
    request = log_call(service_manager, hospital, device)
    client.force_login(service_manager)
    page = client.get(f"/service/{request.pk}/")
    assert page.context["actions"] == ["contact", "dispatch", "cancel"]
    assert 'data-code="service.contact"' in page.content.decode()
    page = client.get(f"/service/{request.pk}/dispatch/")
    (candidate,) = page.context["candidates"]
    assert candidate == engineer and candidate.qualified.ok
    assert (
        client.post(f"/service/{request.pk}/dispatch/", {"engineer": engineer.pk}).status_code
        == 302
    )

    client.force_login(engineer)
    assert [j.pk for j in client.get("/service/mine/").context["page"]] == [request.pk]
    for action, data in [
        ("contact", {"note": "已回电"}),
        ("triage", {"triage": "complex"}),
        ("check_in", {}),
        ("repair_record", {"fault_symptom": "黑屏", "repair_method": "更换排线",
                           "parts.1.quantity": "1"}),
        ("complete", {"outcome": "已修复"}),
        ("confirm", {"accepted": "yes", "method": "signature", "signer_name": "李护士长",
                     "signature": "data:image/png;base64," + base64.b64encode(PNG).decode()}),
    ]:  # fmt: skip
        response = client.post(f"/service/{request.pk}/{action}/", data)
        assert response.status_code == 302, (
            action,
            response.context and response.context["form"].errors,
        )
    page = client.get(f"/service/{request.pk}/")
    assert page.context["it"].status == "confirmed"
    assert page.context["confirmations"][0].signature_src.startswith("data:image/png;base64,")

    client.force_login(service_manager)
    response = client.post(
        f"/service/{request.pk}/follow_up/",
        {"contacted_person": "李", "attitude": "1", "quality": "2", "timeliness": "2",
         "satisfied": "no", "comments": "来得太慢"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/service/improvements/")
    (action,) = page.context["page"]
    response = client.post("/service/improvements/", {"improvement": action.pk, "result": "已复训"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


@pytest.mark.parametrize(
    ("action", "status"),
    [("check_in", 403), ("close", 409), ("nonsense", 404)],
)
def test_an_action_page_refuses_what_may_not_be_done(
    client, service_manager, hospital, device, reference_data, action, status
):
    request = log_call(service_manager, hospital, device)
    client.force_login(service_manager)
    assert client.get(f"/service/{request.pk}/{action}/").status_code == status


def test_a_refused_confirmation_shows_the_missing_signature(
    client, service_manager, engineer, qualified, hospital, device, reference_data
):
    from mdss.service import services

    request = log_call(service_manager, hospital, device)
    services.request_dispatch(actor=service_manager, request=request, engineer=engineer)
    services.request_contact(actor=engineer, request=request)
    services.request_triage(actor=engineer, request=request, triage="complex")
    services.request_check_in(actor=engineer, request=request)
    services.request_repair_record(
        actor=engineer, request=request, fault_symptom="黑屏", repair_method="更换排线"
    )
    services.request_complete(actor=engineer, request=request)
    client.force_login(engineer)
    response = client.post(
        f"/service/{request.pk}/confirm/",
        {"accepted": "yes", "method": "signature", "signer_name": "李", "signature": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() or response.context["form"].errors
    request.refresh_from_db()
    assert request.status == "completed"


def test_the_service_report_prints_the_case_in_chinese_with_the_signature(
    client, service_manager, engineer, qualified, hospital, device, reference_data
):
    import pypdfium2

    from mdss.service import services

    request = log_call(service_manager, hospital, device)
    services.request_dispatch(actor=service_manager, request=request, engineer=engineer)
    services.request_contact(actor=engineer, request=request)
    services.request_triage(actor=engineer, request=request, triage="complex")
    services.request_check_in(actor=engineer, request=request)
    services.request_repair_record(
        actor=engineer, request=request, fault_symptom="开机黑屏", repair_method="更换主控板排线"
    )
    services.request_complete(actor=engineer, request=request)
    services.request_confirm(
        actor=engineer, request=request, accepted=True, signer_name="李护士长", signature_png=PNG
    )
    client.force_login(service_manager)
    response = client.get(f"/service/{request.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    for expected in ("售后服务报告", request.number, hospital.name, "更换主控板排线", "李护士长",
                     "接到服务请求后联系客户", "按时"):  # fmt: skip
        assert expected in text
