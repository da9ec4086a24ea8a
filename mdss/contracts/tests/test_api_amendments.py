"""Amendments, receipts, payments and problems through /api/v1/contracts."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mdss.contracts import services
from mdss.contracts.tests.conftest import PASSWORD, TODAY, deliver

API = "/api/v1/contracts"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def _multipart(api_client, path, data):
    return Client().post(path, data, headers={"Authorization": f"Bearer {api_client.token}"})


def test_an_amendment_through_the_api(api_client, signed, rep, legal, other_rep):
    line = signed.lines.get()
    api = api_client.as_user(rep)
    refused = api.post(
        f"{API}/{signed.pk}/amendments",
        {"reason": "减量", "line_changes": [{"line": line.pk, "quantity": -2}]},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "line_changes.1.quantity"
    created = api.post(
        f"{API}/{signed.pk}/amendments",
        {
            "reason": "追加 2 台，延长保修",
            "clauses": {"warranty_months": 24},
            "line_changes": [{"line": line.pk, "quantity": 12}],
        },
    )
    assert created.status_code == 201, created.json()
    amendment = created.json()
    assert (amendment["number"], amendment["status"]) == (f"{signed.number}-BG1", "draft")
    url = f"{API}/amendments/{amendment['id']}"
    assert api.put(url, {"reason": "追加 2 台", "clauses": {"warranty_months": 18}}).json()[
        "clauses"
    ] == {"warranty_months": 18}
    assert api.post(f"{url}/submit").json()["status"] == "in_review"
    api_client.as_user(other_rep)
    assert api_client.get(url).status_code == 404
    api_client.as_user(legal)
    assert api_client.post(f"{url}/legal-approve", {"password": PASSWORD}).status_code == 200
    api_client.as_user(rep)
    signed_amendment = _multipart(
        api_client,
        f"{url}/sign",
        {"signed_on": "2026-11-27", "scan": SimpleUploadedFile("bg.pdf", b"%PDF-1.4")},
    )
    assert signed_amendment.status_code == 200, signed_amendment.content
    body = signed_amendment.json()
    assert body["status"] == "effective"
    assert body["before"]["clauses"]["warranty_months"] == 12
    assert body["after"]["clauses"]["warranty_months"] == 18
    contract = api_client.get(f"{API}/{signed.pk}").json()
    assert contract["warranty_months"] == 18 and contract["total"] == "380000.00"
    listed = api_client.get(f"{API}/{signed.pk}/amendments").json()
    assert [a["status"] for a in listed] == ["effective"]


def test_receipt_payments_and_problems_through_the_api(api_client, signed, rep, management):
    delivery = deliver(signed, rep, 2)
    api_client.as_user(rep)
    future = _multipart(
        api_client,
        f"{API}/deliveries/{delivery.pk}/receipt",
        {"received_on": "2026-12-01", "received_by": "张科长"},
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "received_on"
    received = _multipart(
        api_client,
        f"{API}/deliveries/{delivery.pk}/receipt",
        {"received_on": "2026-11-27", "received_by": "张科长"},
    )
    assert received.status_code == 200 and received.json()["received_by"] == "张科长"
    deliveries = api_client.get(f"{API}/{signed.pk}/deliveries").json()
    assert [(d["number"], d["received_on"]) for d in deliveries] == [
        (delivery.number, "2026-11-27")
    ]
    api_client.post(
        f"{API}/{signed.pk}/payments", {"received_on": "2026-11-27", "amount": "1000.00"}
    )
    money = api_client.get(f"{API}/{signed.pk}/payments").json()
    assert [p["amount"] for p in money["payments"]] == ["1000.00"]
    raised = api_client.post(
        f"{API}/{signed.pk}/problems", {"kind": "quality", "description": "外壳划伤"}
    )
    assert raised.status_code == 201
    problem = raised.json()["id"]
    noted = api_client.post(f"{API}/problems/{problem}/notes", {"text": "已拍照上报厂家"})
    assert [n["text"] for n in noted.json()["notes"]] == ["已拍照上报厂家"]
    escalated = api_client.post(f"{API}/problems/{problem}/escalate", {"text": "厂家拒绝换货"})
    assert escalated.json()["status"] == "escalated"
    assert (
        api_client.post(
            f"{API}/problems/{problem}/decide", {"decision": "settle", "note": "x"}
        ).status_code
        == 403
    )
    api_client.as_user(management)
    decided = api_client.post(
        f"{API}/problems/{problem}/decide", {"decision": "settle", "note": "折让 2%"}
    )
    assert decided.json()["status"] == "decided"
    assert [p["status"] for p in api_client.get(f"{API}/{signed.pk}/problems").json()] == [
        "decided"
    ]


def test_a_multipart_upload_with_an_idempotency_key_is_replayed_not_broken(api_client, signed, rep):
    """The multipart body is parsed before the idempotency check reads it: the key's
    fingerprint is taken from the fields and files, and a retry replays the answer."""
    from mdss.contracts.models import Amendment

    line = signed.lines.get()
    amendment = services.amendment_create(
        actor=rep, contract=signed, reason="加量", line_changes=[{"line": line.pk, "quantity": 11}]
    )
    api_client.as_user(rep)
    path = f"{API}/amendments/{amendment.pk}/sign"

    def send(content=b"%PDF-1.4"):
        return Client().post(
            path,
            {"signed_on": TODAY.isoformat(), "scan": SimpleUploadedFile("s.pdf", content)},
            headers={"Authorization": f"Bearer {api_client.token}", "Idempotency-Key": "sign-1"},
        )

    first, again = send(), send()
    assert first.status_code == again.status_code != 500
    assert again["Idempotent-Replayed"] == "true"
    assert send(b"%PDF-1.4 another").status_code == 422  # same key, other file
    assert Amendment.objects.count() == 1
