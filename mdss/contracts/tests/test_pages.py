from decimal import Decimal

import pytest
import time_machine

from mdss.contracts import services
from mdss.contracts.models import Contract
from mdss.contracts.tests.conftest import CLAUSES, PASSWORD
from mdss.core.testing import assert_fixed_queries


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def test_a_rep_drafts_and_submits_in_the_pages(client, rep, hospital, monitor, authorised):
    client.force_login(rep)
    response = client.post(
        f"/contracts/new/?customer={hospital.pk}",
        {
            "kind": "purchase",
            "delivery_place": CLAUSES["delivery_place"],
            "warranty_months": 24,
            "tax_rate": "13",
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302 and contract.rep == rep
    client.post(
        f"/contracts/{contract.pk}/lines/",
        {"line-model": monitor.pk, "line-quantity": 2, "line-unit_price": "38000"},
    )
    assert contract.lines.count() == 1
    page = client.post(f"/contracts/{contract.pk}/submit/").content.decode()
    assert 'data-testid="submit-errors"' in page
    assert "质量标准" in page or "quality standard" in page
    contract.refresh_from_db()
    assert contract.status == "draft"


def test_legal_approves_in_the_page_and_others_cannot_open_it(
    client, rep, other_rep, legal, hospital, monitor, authorised
):
    contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    services.line_add(
        actor=rep, contract=contract, model=monitor, quantity=1, unit_price=Decimal("38000")
    )
    services.contract_submit(
        actor=rep, contract=contract, today=__import__("datetime").date(2026, 11, 27)
    )
    client.force_login(other_rep)
    assert client.get(f"/contracts/{contract.pk}/").status_code == 404
    client.force_login(legal)
    assert contract.number in client.get("/contracts/review/").content.decode()
    response = client.post(
        f"/contracts/{contract.pk}/approve/",
        {"approve-password": PASSWORD, "approve-comment": "同意"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "approved"


def test_the_ledger_costs_fixed_queries(client, rep, legal, hospital, monitor, authorised):
    def add(n):
        for _ in range(n):
            c = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
            services.line_add(
                actor=rep, contract=c, model=monitor, quantity=1, unit_price=Decimal("38000")
            )

    add(2)
    client.force_login(legal)
    assert_fixed_queries(client, ["/contracts/"], lambda: add(4))
    page = client.get("/contracts/").content.decode()
    assert "38,000.00" in page


def test_the_timeline_names_each_step(client, rep, hospital, monitor, authorised):
    contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    client.force_login(rep)
    events = client.get(f"/contracts/{contract.pk}/").context["events"]
    assert [str(e.label) for e in events] == ["起草"]


def test_the_ledger_sorts_by_amount_on_the_page_and_in_the_api(
    client, api_client, rep, hospital, monitor, authorised
):
    numbers = []
    for quantity in (3, 1, 2):
        c = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
        services.line_add(
            actor=rep, contract=c, model=monitor, quantity=quantity, unit_price=Decimal("1000")
        )
        numbers.append(c.number)
    small, middle, large = numbers[1], numbers[2], numbers[0]
    client.force_login(rep)
    page = client.get("/contracts/", {"sort": "-amount"}).content.decode()
    assert page.index(large) < page.index(middle) < page.index(small)
    assert 'href="?sort=amount" data-testid="sort-amount"' in page
    api = api_client.as_user(rep)
    rows = api.get("/api/v1/contracts", {"sort": "amount"}).json()["items"]
    assert [row["number"] for row in rows] == [small, middle, large]
    assert api.get("/api/v1/contracts", {"sort": "rep__password"}).status_code == 422
