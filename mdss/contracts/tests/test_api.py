from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.contracts.tests.conftest import CLAUSES, PASSWORD

API = "/api/v1/contracts"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def _payload(customer):
    return {"customer_id": customer.pk, **{k: str(v) for k, v in CLAUSES.items()}}


def test_draft_submit_approve_sign_through_the_api(
    api_client, rep, legal, hospital, monitor, authorised
):
    api = api_client.as_user(rep)
    response = api.post(API, _payload(hospital))
    assert response.status_code == 201, response.json()
    contract_id = response.json()["id"]
    empty = api.post(f"{API}/{contract_id}/submit")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "lines"
    line = api.post(
        f"{API}/{contract_id}/lines", {"model_id": monitor.pk, "quantity": 3, "unit_price": "37000"}
    )
    assert line.status_code == 201
    refused = api.post(f"{API}/{contract_id}/submit")
    assert [(e["field"], e["rule"]) for e in refused.json()["errors"]] == [
        ("lines.1.unit_price", "off_list")
    ]
    api_client.as_user(legal)
    assert (
        api_client.post(f"{API}/{contract_id}/legal-approve", {"password": PASSWORD}).status_code
        == 409
    )
    api_client.as_user(rep)
    # back to list price (the API has no line edit: the service the page uses)
    from mdss.contracts.models import ContractLine
    from mdss.contracts.services import line_update

    line_update(
        actor=rep, line=ContractLine.objects.get(contract_id=contract_id), unit_price="38000"
    )
    assert api.post(f"{API}/{contract_id}/submit").json()["status"] == "in_review"
    assert api.post(f"{API}/{contract_id}/legal-approve", {"password": PASSWORD}).status_code == 403
    api_client.as_user(legal)
    approved = api_client.post(
        f"{API}/{contract_id}/legal-approve", {"password": PASSWORD, "comment": "同意"}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    api_client.as_user(rep)
    from django.test import Client

    signed = Client().post(
        f"{API}/{contract_id}/sign",
        {
            "signed_on": "2026-11-27",
            "customer_signed_on": "2026-11-27",
            "scan": SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
        },
        headers={"Authorization": f"Bearer {api_client.token}"},
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed" and signed.json()["total"] == "114000.00"
    ledger = api_client.get(f"{API}?status=signed").json()["items"]
    assert [(c["id"], c["amount"]) for c in ledger] == [(contract_id, "114000.00")]


def test_another_reps_contract_is_404(api_client, rep, other_rep, hospital):
    contract_id = api_client.as_user(rep).post(API, _payload(hospital)).json()["id"]
    other = api_client.as_user(other_rep)
    assert other.get(f"{API}/{contract_id}").status_code == 404
    assert other.post(f"{API}/{contract_id}/submit").status_code == 404
    assert other.get(API).json()["items"] == []
    assert other.post(API, _payload(hospital)).status_code == 404
    assert date(2026, 11, 27)


def test_plan_deliver_and_pay_through_the_api(
    api_client, rep, legal, hospital, monitor, authorised
):
    api = api_client.as_user(rep)
    contract_id = api.post(API, _payload(hospital)).json()["id"]
    api.post(
        f"{API}/{contract_id}/lines", {"model_id": monitor.pk, "quantity": 2, "unit_price": "38000"}
    )
    plan = api.put(
        f"{API}/{contract_id}/instalments", [{"due_on": "2027-01-31", "amount": "76000"}]
    )
    assert plan.status_code == 200, plan.json()
    api.post(f"{API}/{contract_id}/submit")
    api_client.as_user(legal)
    api_client.post(f"{API}/{contract_id}/legal-approve", {"password": PASSWORD})
    from mdss.contracts import services
    from mdss.contracts.models import Contract

    services.contract_sign(
        actor=rep,
        contract=Contract.objects.get(pk=contract_id),
        signed_on=date(2026, 11, 27),
        customer_signed_on=date(2026, 11, 27),
        scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
        today=date(2026, 11, 27),
    )
    api_client.as_user(rep)
    line_id = api_client.get(f"{API}/{contract_id}").json()["lines"][0]["id"]
    refused = api_client.post(
        f"{API}/{contract_id}/deliveries",
        {
            "delivered_on": "2026-11-27",
            "items": [{"line_id": line_id, "quantity": 2}],
            "documents": {},
        },
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["rule"] == "documents_missing"
    delivered = api_client.post(
        f"{API}/{contract_id}/deliveries",
        {
            "delivered_on": "2026-11-27",
            "items": [{"line_id": line_id, "quantity": 2, "units": ["A1", "A2"]}],
            "documents": {str(monitor.pk): ["ifu", "label", "coc"]},
        },
    )
    assert delivered.status_code == 201 and len(delivered.json()["devices"]) == 2
    paid = api_client.post(
        f"{API}/{contract_id}/payments", {"received_on": "2026-11-27", "amount": "76000"}
    )
    assert paid.json()["status"] == "completed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_record_one_payment(
    reference_data, signed, rep
):
    """Three simultaneous POSTs of one payment with the same key: one payment; the
    others replay its response (or are told it is in progress)."""
    import threading

    from django.db import connections
    from django.test import Client

    from mdss.accounts.services import api_token_create
    from mdss.contracts.models import Payment

    _token, raw = api_token_create(user=rep, name="erp", actor=rep)
    barrier = threading.Barrier(3)
    results = []

    def post():
        try:
            barrier.wait()
            response = Client().post(
                f"/api/v1/contracts/{signed.pk}/payments",
                {"received_on": "2026-11-27", "amount": "1000.00", "reference": "BANK-1"},
                content_type="application/json",
                headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "pay-1"},
            )
            results.append((response.status_code, response.get("Idempotent-Replayed")))
        except Exception as exc:  # noqa: BLE001 (a database error would show here)
            results.append((repr(exc), None))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Payment.objects.filter(contract=signed).count() == 1
    statuses = sorted(code for code, _replayed in results)
    assert statuses[0] == 200 and all(code in {200, 409} for code in statuses), results
    assert sum(1 for code, replayed in results if code == 200 and not replayed) == 1
