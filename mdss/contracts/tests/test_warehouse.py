"""Deliveries are the warehouse's work (issue 15): the warehouse keeper sees the signed
contracts, records their deliveries and nothing else; the rep sees the deliveries."""

import pytest

from mdss.contracts import selectors, services
from mdss.contracts.tests.conftest import TODAY, review_and_sign
from mdss.core.errors import NotFound, PermissionDenied


def test_the_warehouse_sees_signed_contracts_only(draft, rep, legal, warehouse):
    assert not selectors.contract_list_for_user(warehouse).filter(pk=draft.pk).exists()
    with pytest.raises(NotFound):
        services.delivery_record(
            actor=warehouse, contract=draft, delivered_on=TODAY, today=TODAY, items=[], documents={}
        )
    review_and_sign(draft, rep, legal, days_ago=3)
    assert selectors.contract_list_for_user(warehouse).filter(pk=draft.pk).exists()
    assert list(selectors.deliveries_to_prepare(warehouse)) == [draft]


def test_the_warehouse_records_the_delivery_and_the_rep_sees_it(
    client, draft, rep, legal, warehouse, monitor
):
    review_and_sign(draft, rep, legal, days_ago=3)
    line = draft.lines.get()
    delivery = services.delivery_record(
        actor=warehouse,
        contract=draft,
        delivered_on=TODAY,
        today=TODAY,
        items=[{"line_id": line.pk, "quantity": line.quantity}],
        documents={monitor.pk: ["ifu", "label", "coc"]},
    )
    assert delivery.recorded_by == warehouse
    # Fully delivered: off the warehouse's list.
    assert not selectors.deliveries_to_prepare(warehouse).exists()
    client.force_login(rep)
    page = client.get(f"/contracts/{draft.pk}/?tab=deliveries").content.decode()
    assert delivery.number in page


def test_the_warehouse_records_no_payment_and_does_not_draft(draft, rep, legal, warehouse):
    review_and_sign(draft, rep, legal, days_ago=3)
    with pytest.raises(PermissionDenied):
        services.payment_record(
            actor=warehouse, contract=draft, received_on=TODAY, amount="100.00", today=TODAY
        )


def test_the_warehouse_list_page_and_its_dashboard_figure(client, draft, rep, legal, warehouse):
    review_and_sign(draft, rep, legal, days_ago=3)
    client.force_login(warehouse)
    page = client.get("/contracts/deliveries/").content.decode()
    assert draft.number in page and 'data-count="1"' in page
    home = client.get("/").content.decode()
    assert 'data-testid="figure-deliveries-to-prepare"' in home
    assert "¥" not in page  # the work list shows no prices


def test_a_contracts_rep_who_does_not_own_the_customer_gets_its_site_card(
    client, draft, rep, other_rep, hospital
):
    """The customer link on the contract page leads somewhere for every viewer of the
    contract (issue 15: no link answers 403/404)."""
    hospital.owner = other_rep
    hospital.save(update_fields=["owner"])
    client.force_login(rep)
    assert client.get(f"/contracts/{draft.pk}/").status_code == 200
    response = client.get(f"/customers/{hospital.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/customers/{hospital.pk}/site/"
    )
    assert client.get(response["Location"]).status_code == 200
    # A customer the rep has nothing to do with stays hidden.
    from mdss.customers.tests.factories import CustomerFactory

    stranger = CustomerFactory(owner=other_rep)
    assert client.get(f"/customers/{stranger.pk}/").status_code == 404
