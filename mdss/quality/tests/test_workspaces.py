"""Quality workspaces through the pages, as their users work them: a product problem
recorded, sent and answered; an incident contained, analysed, its actions done by
their owners, verified and closed with a signature; an adverse event reported and
submitted; a recall started, its customers told and acknowledging; a record audit
drawn and checked with a finding the engineer rectifies; evaluations computed,
exported, printed and reviewed. Each refusal answers in the page, nothing is written;
lists cost a fixed number of queries."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.core.pdf import PDF_CONTENT_TYPE
from mdss.core.testing import assert_fixed_queries
from mdss.quality import services
from mdss.quality.models import (
    AdverseEvent,
    Evaluation,
    Incident,
    ProductFeedback,
    Recall,
    RecordAudit,
)

from .conftest import ANALYSIS, at, make_request, open_incident, report

NOW = "2026-11-27 10:00 +0800"


def _post(client, path, data):
    response = client.post(path, data)
    if response.status_code != 302:
        import re

        errors = re.findall(
            r'invalid-feedback d-block">([^<]*)<|form-error">([^<]*)<', response.content.decode()
        )
        raise AssertionError(f"{response.status_code}: {errors}")
    return response


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_feedback_is_recorded_sent_answered_and_closed(
    client, engineer, quality, monitor, frozen, reference_data
):
    client.force_login(engineer)
    page = client.get("/quality/feedback/new/")
    assert page.status_code == 200
    _post(client, "/quality/feedback/new/", {
        "source": "engineer", "received_on": "2026-11-26", "model": monitor.pk, "lot": "L1",
        "serial": "", "description": "血氧探头读数漂移",
    })  # fmt: skip
    it = ProductFeedback.objects.get()
    assert it.recorded_by == engineer and it.lot == "L1"
    # The engineer sees what they recorded in the list, not the workspace's actions.
    assert it.number in client.get("/quality/feedback/").content.decode()
    assert client.get(f"/quality/feedback/{it.pk}/feedback_send/").status_code == 403

    client.force_login(quality)
    detail = client.get(f"/quality/feedback/{it.pk}/").content.decode()
    assert 'data-testid="action-feedback_send"' in detail and 'data-testid="trend-chart"' in detail
    bad = client.post(f"/quality/feedback/{it.pk}/feedback_send/", {"method": "email"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    it.refresh_from_db()
    assert it.status == "open"
    _post(client, f"/quality/feedback/{it.pk}/feedback_send/", {
        "method": "email", "sent_to": "qa@maker.example", "reference": "M-77",
    })  # fmt: skip
    _post(client, f"/quality/feedback/{it.pk}/feedback_answer/", {
        "answer": "探头批次缺陷", "action": "更换探头批次",
    })  # fmt: skip
    _post(client, f"/quality/feedback/{it.pk}/feedback_close/", {"note": ""})
    it.refresh_from_db()
    assert it.status == "closed" and it.manufacturer_reference == "M-77"
    # A closed record offers no transition: 409.
    assert client.get(f"/quality/feedback/{it.pk}/feedback_send/").status_code == 409


def test_an_incident_runs_to_its_signed_closure_through_the_pages(
    client, quality, engineer, frozen, reference_data
):
    client.force_login(quality)
    _post(client, "/quality/incidents/new/", {
        "source": "service", "title": "血氧模块再次失效", "occurred_on": "2026-11-20",
        "description": "同一批次一个月内两次失效", "impact": "", "lot": "",
    })  # fmt: skip
    it = Incident.objects.get()
    _post(client, f"/quality/incidents/{it.pk}/contain/", {"containment": "隔离同批次库存"})
    form = {f"why{n}": why for n, why in enumerate(ANALYSIS["whys"], start=1)}
    form.update({"why5": "", "fb_machine": "回流焊炉未校准", "root_cause": ANALYSIS["root_cause"]})
    _post(client, f"/quality/incidents/{it.pk}/analyse/", form)
    it.refresh_from_db()
    assert it.whys == ANALYSIS["whys"] and it.fishbone == {"machine": "回流焊炉未校准"}
    for kind, owner in (("corrective", engineer), ("preventive", quality)):
        _post(client, f"/quality/incidents/{it.pk}/capa_add/", {
            "kind": kind, "description": f"{kind} 措施", "owner": owner.pk,
        })  # fmt: skip
    corrective, preventive = it.actions.order_by("pk")

    # The engineer sees the incident through his action, and only his own has a form.
    client.force_login(engineer)
    page = client.get(f"/quality/incidents/{it.pk}/").content.decode()
    assert f'data-testid="capa-done-{corrective.pk}"' in page
    assert f'data-testid="capa-done-{preventive.pk}"' not in page
    assert (
        f"/quality/incidents/{it.pk}/capa/{corrective.pk}/done/"
        in client.get("/quality/mine/").content.decode()
    )
    assert (
        client.post(
            f"/quality/incidents/{it.pk}/capa/{preventive.pk}/done/", {"result": "x"}
        ).status_code
        == 403
    )
    _post(client, f"/quality/incidents/{it.pk}/capa/{corrective.pk}/done/", {
        "result": "已重新焊接", "next": "mine",
    })  # fmt: skip

    client.force_login(quality)
    _post(client, f"/quality/incidents/{it.pk}/capa/{preventive.pk}/done/", {"result": "已校准"})
    it.refresh_from_db()
    assert it.status == "verifying"
    # Not before the effectiveness period: the page says why, nothing changes.
    early = client.post(
        f"/quality/incidents/{it.pk}/verify/", {"effective": "1", "evidence": "无复发"}
    )
    assert early.status_code == 200 and 'data-testid="form-error"' in early.content.decode()
    frozen.shift(timedelta(days=31))
    client.force_login(quality)  # the session would have expired meanwhile
    _post(client, f"/quality/incidents/{it.pk}/verify/", {"effective": "1", "evidence": "无复发"})
    wrong = client.post(f"/quality/incidents/{it.pk}/incident_close/", {
        "password": "wrong", "lessons": "定期校准回流焊炉",
    })  # fmt: skip
    assert wrong.status_code == 200
    it.refresh_from_db()
    assert it.status != "closed"
    _post(client, f"/quality/incidents/{it.pk}/incident_close/", {
        "password": TEST_PASSWORD, "lessons": "定期校准回流焊炉",
    })  # fmt: skip
    it.refresh_from_db()
    assert it.status == "closed" and it.signature_id
    found = client.get("/quality/incidents/?q=回流焊炉").content.decode()
    assert it.number in found


def test_an_adverse_event_is_reported_told_and_submitted(
    client, quality, monitor, frozen, reference_data
):
    client.force_login(quality)
    _post(client, "/quality/adverse-events/new/", {
        "reporter_name": "周主任", "reporter_org": "", "reporter_phone": "", "patient_age": "67",
        "patient_sex": "f", "event_on": "2026-11-26", "aware_at": "2026-11-26T18:00",
        "outcome": "serious_injury", "model": monitor.pk, "udi": "", "lot": "", "serial": "",
        "narrative": "除颤能量不足", "preliminary_cause": "",
    })  # fmt: skip
    it = AdverseEvent.objects.get()
    assert it.due_at == at("2026-12-16 18:00")  # 20 days from awareness
    assert it.number in client.get("/quality/adverse-events/").content.decode()
    _post(client, f"/quality/adverse-events/{it.pk}/ae_notify/", {
        "notified_at": "2026-11-27T09:00", "method": "phone", "reference": "",
    })  # fmt: skip
    _post(client, f"/quality/adverse-events/{it.pk}/ae_submit/", {
        "submitted_on": "2026-11-27", "receipt_number": "GJ-2026-1",
    })  # fmt: skip
    it.refresh_from_db()
    assert it.status == "submitted" and it.receipt_number == "GJ-2026-1"
    assert "GJ-2026-1" in client.get(f"/quality/adverse-events/{it.pk}/").content.decode()


def test_a_recall_is_started_told_and_acknowledged(
    client, quality, sales_manager, monitor, device, frozen, reference_data
):
    client.force_login(quality)
    _post(client, "/quality/recalls/new/", {
        "level": "2", "model": monitor.pk, "lots": "", "serials": "SN-1, SN-X",
        "manufacturer_notice": "M-9", "notice_on": "2026-11-20", "reason": "电源过热",
        "action": "更换电源",
    })  # fmt: skip
    it = Recall.objects.get()
    assert it.serials == ["SN-1", "SN-X"]
    _post(client, f"/quality/recalls/{it.pk}/recall_activate/", {})
    it.refresh_from_db()
    assert it.status == "active"
    client.force_login(sales_manager)
    _post(client, f"/quality/recalls/{it.pk}/recall_notice/", {
        "customer": device.customer_id, "channel": "phone", "sent_at": "2026-11-27T09:30",
        "note": "",
    })  # fmt: skip
    notice = it.notices.get()
    _post(client, f"/quality/recalls/{it.pk}/notices/{notice.pk}/acknowledge/", {
        "acknowledged_by": "设备科 王科长",
    })  # fmt: skip
    notice.refresh_from_db()
    assert notice.acknowledged_by == "设备科 王科长"
    # A customer that is not affected is not offered.
    other = client.post(f"/quality/recalls/{it.pk}/recall_notice/", {
        "customer": device.customer_id + 999, "channel": "phone", "sent_at": "2026-11-27T09:30",
    })  # fmt: skip
    assert other.status_code == 200 and it.notices.count() == 1


def test_a_record_audit_is_drawn_checked_and_its_finding_rectified(
    client, quality, engineer, hospital, device, frozen, reference_data
):
    for n in range(4):
        make_request(n, hospital, device, engineer, at(f"2026-11-0{n + 2} 10:00"))
    client.force_login(quality)
    _post(client, "/quality/audits/new/", {
        "period_start": "2026-11-01", "period_end": "2026-11-26", "strata": "engineer",
        "percent": "50", "seed": "7",
    })  # fmt: skip
    audit = RecordAudit.objects.get()
    item = audit.items.order_by("pk").first()
    assert audit.items.count() == 2
    checks = {"process": "1", "record": "1", "repair": "1", "confirmation": "0", "parts": "1"}
    _post(client, f"/quality/audits/{audit.pk}/items/{item.pk}/check/", {**checks, "note": ""})
    _post(client, f"/quality/audits/{audit.pk}/items/{item.pk}/finding/", {
        "description": "缺客户签字", "owner": engineer.pk, "due_on": "2026-12-10",
    })  # fmt: skip
    page = client.get(f"/quality/audits/{audit.pk}/").content.decode()
    assert "缺客户签字" in page and 'data-testid="audit-checks"' in page
    finding = item.findings.get()

    client.force_login(engineer)
    assert client.get(f"/quality/audits/{audit.pk}/").status_code == 403
    mine = client.get("/quality/mine/").content.decode()
    assert f"/quality/findings/{finding.pk}/done/" in mine
    _post(client, f"/quality/findings/{finding.pk}/done/", {"result": "已补签"})
    finding.refresh_from_db()
    assert finding.done_at is not None

    client.force_login(quality)
    last = audit.items.order_by("pk").last()
    _post(
        client,
        f"/quality/audits/{audit.pk}/items/{last.pk}/check/",
        {**checks, "confirmation": "1", "note": ""},
    )
    _post(client, f"/quality/audits/{audit.pk}/audit_close/", {"summary": "总体规范"})
    audit.refresh_from_db()
    assert audit.status == "closed"
    assert client.get(f"/quality/audits/{audit.pk}/items/{item.pk}/check/").status_code == 409


def test_evaluations_are_computed_exported_printed_and_reviewed(
    client, quality, service_manager, engineer, hospital, device, frozen, reference_data
):
    make_request(1, hospital, device, engineer, at("2026-08-10 10:00"))
    client.force_login(quality)
    # The default period is the last full quarter.
    page = client.get("/quality/evaluations/").content.decode()
    assert 'value="2026-07-01"' in page and 'value="2026-09-30"' in page
    _post(
        client, "/quality/evaluations/", {"period_start": "2026-07-01", "period_end": "2026-09-30"}
    )
    it = Evaluation.objects.get(engineer=engineer)
    assert it.figures["completed"] == 1
    listed = client.get("/quality/evaluations/?period_start=2026-07-01&period_end=2026-09-30")
    assert f"/quality/evaluations/{it.pk}/" in listed.content.decode()
    book = client.get("/quality/evaluations/export/?period_start=2026-07-01&period_end=2026-09-30")
    assert book["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(book.content))["服务质量评价"]
    assert any(row[3] == 1 for row in sheet.iter_rows(min_row=2, values_only=True))
    pdf = client.get(f"/quality/evaluations/{it.pk}/pdf/")
    assert pdf["Content-Type"] == PDF_CONTENT_TYPE and pdf.content.startswith(b"%PDF")
    # Quality computes; the service manager reviews.
    assert client.get(f"/quality/evaluations/{it.pk}/evaluation_review/").status_code == 403
    client.force_login(service_manager)
    _post(client, f"/quality/evaluations/{it.pk}/evaluation_review/", {"comment": "表现良好"})
    it.refresh_from_db()
    assert it.review == "表现良好"
    assert client.get(f"/quality/evaluations/{it.pk}/evaluation_review/").status_code == 409
    # The engineer reads his own, computes nothing.
    client.force_login(engineer)
    assert client.get(f"/quality/evaluations/{it.pk}/").status_code == 200
    assert (
        client.post(
            "/quality/evaluations/", {"period_start": "2026-07-01", "period_end": "2026-09-30"}
        ).status_code
        == 403
    )


def test_unknown_transitions_are_404_and_bad_input_names_the_field(
    client, quality, monitor, frozen, reference_data
):
    it = report(quality, monitor)
    client.force_login(quality)
    assert client.get(f"/quality/feedback/{it.pk}/analyse/").status_code == 404
    assert client.get(f"/quality/feedback/{it.pk}/nonsense/").status_code == 404
    response = client.post("/quality/feedback/new/", {
        "source": "customer", "received_on": "2026-11-26", "model": monitor.pk,
        "lot": "L" * 101, "description": "x",
    })  # fmt: skip
    assert response.status_code == 200 and ProductFeedback.objects.count() == 1
    assert "id_lot" in response.content.decode() and "invalid-feedback" in response.content.decode()


def test_lists_and_workspaces_cost_fixed_queries(
    client, quality, engineer, monitor, hospital, device, frozen, reference_data
):
    incident = open_incident(quality)
    feedback = report(quality, monitor, lot="LA")
    client.force_login(quality)

    def grow():
        services.incident_contain(actor=quality, incident=incident, containment="隔离")
        services.incident_analyse(actor=quality, incident=incident, **ANALYSIS)
        for _ in range(3):
            report(quality, monitor, lot="LA")
            open_incident(quality)
            services.capa_add(
                actor=quality, incident=incident, kind="corrective", description="措施",
                owner=engineer,
            )  # fmt: skip

    assert_fixed_queries(
        client,
        [
            "/quality/feedback/",
            "/quality/incidents/",
            "/quality/adverse-events/",
            "/quality/audits/",
            "/quality/evaluations/",
            "/quality/mine/",
            f"/quality/feedback/{feedback.pk}/",
            f"/quality/incidents/{incident.pk}/",
        ],
        grow,
    )


def test_an_incident_is_opened_from_a_feedback_page(
    client, quality, rep, monitor, frozen, reference_data
):
    it = report(quality, monitor, lot="L9", description="同批次血氧模块失效")
    client.force_login(quality)
    assert "?feedback=" in client.get(f"/quality/feedback/{it.pk}/").content.decode()
    form = client.get(f"/quality/incidents/new/?feedback={it.pk}").content.decode()
    assert 'value="L9"' in form and it.number in form
    _post(client, "/quality/incidents/new/", {
        "feedback": it.pk, "source": "feedback", "title": "同批次血氧模块失效",
        "occurred_on": "2026-11-26", "description": "同批次血氧模块失效", "lot": "L9",
        "model": monitor.pk,
    })  # fmt: skip
    incident = Incident.objects.get()
    assert incident.feedback == it
    assert incident.number in client.get(f"/quality/feedback/{it.pk}/").content.decode()
    # Someone else's feedback cannot be linked by a reporter who cannot see it.
    client.force_login(rep)
    assert client.get(f"/quality/incidents/new/?feedback={it.pk}").status_code == 403
