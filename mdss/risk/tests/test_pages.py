"""Risk pages: the register with its heat map and filters, a risk worked through its
pages, the review calendar, the signals decided, the matrix changed; refusals and
fixed query counts."""

from datetime import timedelta

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.catalog.tests.factories import CertificateFactory
from mdss.core.testing import assert_fixed_queries
from mdss.risk import services
from mdss.risk.models import Risk, RiskMatrix

from .conftest import TODAY, record


def _post(client, path, data):
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def test_the_register_shows_the_heat_map_and_filters_by_cell(
    client, management, quality, service_manager, reference_data
):
    record(quality, service_manager, likelihood=4, impact=4)
    record(quality, service_manager, likelihood=1, impact=2, title="小风险")
    client.force_login(management)
    page = client.get("/risk/").content.decode()
    assert 'data-testid="heat-chart"' in page and '"heatmap"' in page
    assert 'data-testid="cell-4-4"' in page and "小风险" in page
    cell = client.get("/risk/?likelihood=4&impact=4").content.decode()
    assert "小风险" not in cell and 'data-count="1"' in cell
    assert 'data-count="1"' in client.get("/risk/?zone=acceptable").content.decode()


def test_a_risk_worked_through_its_pages(
    client, quality, service_manager, engineer, reference_data
):
    client.force_login(quality)
    _post(client, "/risk/new/", {
        "category": "quality", "title": "血氧模块批次失效", "description": "同批次反复失效",
        "cause": "焊接工艺", "consequence": "监测中断", "owner": service_manager.pk,
        "source": "incident", "process": "", "likelihood": "4", "impact": "4", "note": "",
    })  # fmt: skip
    it = Risk.objects.get()
    assert it.zone == "unacceptable"
    form = client.get(f"/risk/{it.pk}/measure_add/").content.decode()
    assert "加强质量控制" in form  # the policy's template for a quality risk
    from mdss.quality import services as qs
    from mdss.quality.tests.conftest import ANALYSIS, open_incident

    incident = open_incident(quality)
    qs.incident_contain(actor=quality, incident=incident, containment="隔离")
    qs.incident_analyse(actor=quality, incident=incident, **ANALYSIS)
    capa = qs.capa_add(
        actor=quality, incident=incident, kind="preventive", description="来料抽检", owner=engineer
    )
    _post(client, f"/risk/{it.pk}/measure_add/", {
        "type": "reduce", "description": "来料抽检", "owner": engineer.pk, "capa": capa.pk,
    })  # fmt: skip
    measure = it.measures.get()
    assert measure.capa == capa
    client.force_login(engineer)
    assert (
        f'data-testid="measure-done-{measure.pk}"' in client.get(f"/risk/{it.pk}/").content.decode()
    )
    assert client.get(f"/risk/{it.pk}/assess/").status_code == 403
    _post(client, f"/risk/{it.pk}/measures/{measure.pk}/done/", {"result": "已执行"})
    client.force_login(service_manager)  # the owner reviews
    _post(client, f"/risk/{it.pk}/review/", {
        "measures_done": "1", "effective": "1", "note": "无复发", "likelihood": "2", "impact": "4",
    })  # fmt: skip
    it.refresh_from_db()
    assert it.zone == "tolerable" and it.reviews.count() == 1
    page = client.get(f"/risk/{it.pk}/").content.decode()
    assert 'data-testid="history-chart"' in page and "v1" in page
    bad = client.post(
        f"/risk/{it.pk}/assess/", {"kind": "residual", "likelihood": "9", "impact": "1", "note": ""}
    )
    assert bad.status_code == 200 and it.assessments.count() == 2
    assert client.get(f"/risk/{it.pk}/close/").status_code == 403
    client.force_login(quality)
    _post(client, f"/risk/{it.pk}/close/", {"reason": "已停售"})
    assert client.get(f"/risk/{it.pk}/assess/").status_code == 409


def test_the_review_calendar_counts_the_overdue(
    client, management, quality, service_manager, reference_data
):
    record(quality, service_manager, likelihood=4, impact=4, today=TODAY - timedelta(days=200))
    record(quality, service_manager, likelihood=1, impact=1)
    client.force_login(management)
    page = client.get("/risk/reviews/").content.decode()
    assert 'data-testid="overdue-count" data-count="1"' in page


def test_signals_are_decided_on_their_pages(
    client, quality, service_manager, monitor, reference_data
):
    from mdss.catalog.tests.factories import ModelFactory

    CertificateFactory(product=monitor.product, valid_until=TODAY + timedelta(days=30))
    CertificateFactory(product=ModelFactory().product, valid_until=TODAY + timedelta(days=20))
    signals = services.signal_scan(today=TODAY)
    client.force_login(quality)
    listed = client.get("/risk/signals/").content.decode()
    assert all(f'data-testid="accept-{s.pk}"' in listed for s in signals)
    first = signals[0]
    _post(client, f"/risk/signals/{first.pk}/accept/", {
        "owner": service_manager.pk, "risk": "", "likelihood": "3", "impact": "4", "note": "",
    })  # fmt: skip
    first.refresh_from_db()
    assert first.status == "accepted" and first.risk.owner == service_manager
    client.force_login(service_manager)
    assert client.get("/risk/signals/").status_code == 200
    assert client.get(f"/risk/signals/{first.pk}/dismiss/").status_code == 403


def test_management_changes_the_matrix_on_its_page(client, management, quality, reference_data):
    client.force_login(quality)
    assert client.get("/risk/matrix/").status_code == 200
    assert client.post("/risk/matrix/", {}).status_code == 403
    client.force_login(management)
    data = {
        f"z{li}{im}": services.DEFAULT_ZONES[li - 1][im - 1]
        for li in range(1, 6)
        for im in range(1, 6)
    }
    data.update({"z55": "acceptable", "note": "试图放宽", "password": TEST_PASSWORD})
    refused = client.post("/risk/matrix/", data)
    assert refused.status_code == 200 and RiskMatrix.objects.count() == 1
    data.update({"z55": "unacceptable", "z35": "unacceptable", "z45": "unacceptable"})
    _post(client, "/risk/matrix/", data)
    assert RiskMatrix.objects.get(is_active=True).version == 2


def test_pages_cost_fixed_queries(
    client, management, quality, service_manager, engineer, reference_data
):
    first = record(quality, service_manager)
    client.force_login(management)

    def grow():
        for n in range(3):
            it = record(quality, service_manager, likelihood=n + 1, impact=3)
            services.measure_add(
                actor=quality, risk=it, type="reduce", description="措施", owner=engineer
            )
            services.measure_add(
                actor=quality, risk=first, type="reduce", description="措施", owner=engineer
            )
            services.risk_assess(actor=quality, risk=first, likelihood=2, impact=2, note="复核")

    assert_fixed_queries(
        client,
        ["/risk/", "/risk/reviews/", "/risk/signals/", "/risk/matrix/", f"/risk/{first.pk}/"],
        grow,
    )


def test_the_heat_map_before_measures(client, management, quality, service_manager, reference_data):
    it = record(quality, service_manager, likelihood=5, impact=5)
    services.risk_assess(actor=quality, risk=it, likelihood=2, impact=2, note="措施后")
    client.force_login(management)
    now = client.get("/risk/").content.decode()
    before = client.get("/risk/?view=inherent").content.decode()
    assert 'data-testid="cell-2-2"' in now and ">1</a>" in now
    assert '"value": [4, 4, 2, 1]' in before and '"value": [1, 1, 0, 1]' not in before


def test_the_annual_report_and_its_workbook(
    client, management, quality, service_manager, engineer, reference_data
):
    import time_machine

    # The report counts by the year things happened: freeze the day they happen on.
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        _report_year(client, management, quality, service_manager, engineer)


def _report_year(client, management, quality, service_manager, engineer):
    from io import BytesIO

    from openpyxl import load_workbook

    it = record(quality, service_manager, likelihood=4, impact=4, today=TODAY)
    measure = services.measure_add(
        actor=quality, risk=it, type="reduce", description="抽检", owner=engineer
    )
    services.measure_done(actor=engineer, measure=measure, result="已做")
    services.risk_review(
        actor=service_manager, risk=it, measures_done=True, effective=True, note="有效",
        likelihood=2, impact=4, today=TODAY,
    )  # fmt: skip
    client.force_login(management)
    year = it.created_at.year
    page = client.get(f"/risk/report/?year={year}").content.decode()
    assert 'data-testid="report-figures"' in page and it.number in page
    book = load_workbook(BytesIO(client.get(f"/risk/report/?year={year}&format=xlsx").content))
    figures = dict(book["年度风险报告"].iter_rows(min_row=2, values_only=True))
    assert figures["新登记风险"] == 1 and figures["完成评审"] == 1 and figures["完成措施"] == 1
    assert client.get("/risk/report/?year=abc").status_code == 200
