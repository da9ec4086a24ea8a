"""The risk API: a risk recorded, assessed, measured and reviewed; the matrix read and
changed; signals decided; refusals (403, 404, 409, 422) and fixed query counts."""

from datetime import timedelta

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.catalog.tests.factories import CertificateFactory
from mdss.core.testing import assert_fixed_queries
from mdss.risk import services

from .conftest import TODAY, record

BASE = "/api/v1/risk"


def test_a_risk_through_the_api(api_client, quality, service_manager, engineer, reference_data):
    api_client.as_user(quality)
    body = {
        "category": "quality", "title": "血氧模块批次失效", "description": "同批次反复失效",
        "cause": "焊接工艺", "consequence": "监测中断", "owner_id": service_manager.pk,
        "source": "incident", "likelihood": 4, "impact": 4,
    }  # fmt: skip
    created = api_client.post(f"{BASE}/risks", body)
    assert created.status_code == 201, created.json()
    it = created.json()
    assert (it["score"], it["zone"], it["assessments"][0]["matrix_version"]) == (
        16, "unacceptable", 1,
    )  # fmt: skip
    url = f"{BASE}/risks/{it['id']}"
    measure = api_client.post(
        f"{url}/measures", {"type": "reduce", "description": "来料抽检", "owner_id": engineer.pk}
    )
    assert measure.status_code == 201 and measure.json()["due_at"]
    api_client.as_user(engineer)
    assert [m["id"] for m in api_client.get(f"{BASE}/measures").json()["items"]] == [
        measure.json()["id"]
    ]
    assert (
        api_client.post(f"{url}/assess", {"likelihood": 1, "impact": 1, "note": "x"}).status_code
        == 403
    )
    done = api_client.post(f"{BASE}/measures/{measure.json()['id']}/done", {"result": "已执行"})
    assert done.json()["status"] == "done"
    api_client.as_user(service_manager)  # the owner reviews
    reviewed = api_client.post(
        f"{url}/review",
        {"measures_done": True, "effective": True, "note": "无复发", "likelihood": 2, "impact": 4},
    )
    assert reviewed.status_code == 200 and reviewed.json()["zone"] == "tolerable"
    assert len(reviewed.json()["reviews"]) == 1 and len(reviewed.json()["assessments"]) == 2
    bad = api_client.post(f"{url}/assess", {"likelihood": 6, "impact": 1, "note": "x"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "likelihood"
    api_client.as_user(quality)
    assert api_client.post(f"{url}/close", {"reason": "已停售"}).json()["status"] == "closed"
    assert api_client.post(f"{url}/close", {"reason": "again"}).status_code == 409


def test_scope_and_filters(api_client, risk, rep, management, quality, service_manager):
    api_client.as_user(rep)
    assert api_client.get(f"{BASE}/risks/{risk.pk}").status_code == 404
    assert api_client.get(f"{BASE}/risks").json()["count"] == 0
    api_client.as_user(management)
    assert api_client.get(f"{BASE}/risks?zone=tolerable").json()["count"] == 1
    assert api_client.get(f"{BASE}/risks?zone=purple").status_code == 422


def test_the_matrix_read_and_changed_by_management(api_client, management, quality, reference_data):
    api_client.as_user(quality)
    current = api_client.get(f"{BASE}/matrix").json()
    assert current["version"] == 1 and current["zones"][4][4] == "unacceptable"
    assert (
        api_client.post(f"{BASE}/matrix", {"zones": [], "note": "x", "password": "x"}).status_code
        == 403
    )
    api_client.as_user(management)
    zones = services.DEFAULT_ZONES
    bad = api_client.post(
        f"{BASE}/matrix", {"zones": zones[:4], "note": "x", "password": TEST_PASSWORD}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "zones"
    changed = api_client.post(
        f"{BASE}/matrix", {"zones": zones, "note": "复核，不变", "password": TEST_PASSWORD}
    )
    assert changed.status_code == 201 and changed.json()["version"] == 2


def test_signals_decided_through_the_api(
    api_client, quality, service_manager, monitor, reference_data
):
    CertificateFactory(product=monitor.product, valid_until=TODAY + timedelta(days=30))
    [signal] = services.signal_scan(today=TODAY)
    api_client.as_user(service_manager)
    assert api_client.get(f"{BASE}/signals").json()["count"] == 1
    url = f"{BASE}/signals/{signal.pk}"
    assert api_client.post(f"{url}/dismiss", {"reason": "x"}).status_code == 403
    api_client.as_user(quality)
    missing = api_client.post(f"{url}/accept", {"likelihood": 3, "impact": 3})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "owner_id"
    accepted = api_client.post(
        f"{url}/accept", {"likelihood": 3, "impact": 4, "owner_id": quality.pk, "note": "延续中"}
    )
    assert accepted.json()["status"] == "accepted" and accepted.json()["risk_id"]
    assert api_client.post(f"{url}/dismiss", {"reason": "x"}).status_code == 409


def test_lists_cost_fixed_queries(api_client, quality, service_manager, engineer, reference_data):
    api_client.as_user(quality)

    def grow():
        for n in range(3):
            it = record(quality, service_manager, likelihood=n + 1, impact=3)
            services.measure_add(
                actor=quality, risk=it, type="reduce", description="措施", owner=engineer
            )

    record(quality, service_manager)
    assert_fixed_queries(api_client, [f"{BASE}/risks", f"{BASE}/signals", f"{BASE}/measures"], grow)
