from datetime import date
from decimal import Decimal

from mdss.catalog.tests.factories import ModelFactory, sellable_model
from mdss.pricing import services


def _seed(*models):
    services.price_list_seed(
        entries={m.pk: (Decimal("1000.00"), Decimal("900.00")) for m in models},
        effective_from=date(2026, 1, 1),
        note="",
    )


def test_a_change_through_the_api(api_client, sales_manager, management, db):
    model = ModelFactory()
    _seed(model)
    api_client.as_user(sales_manager)
    created = api_client.post(
        "/api/v1/pricing/price-changes",
        {
            "effective_from": "2026-11-27",
            "reason": "成本上涨",
            "lines": [{"model_id": model.pk, "list_price": "1100.00", "floor_price": "990.00"}],
        },
    )
    assert created.status_code == 201
    change_id = created.json()["id"]
    assert (
        api_client.post(f"/api/v1/pricing/price-changes/{change_id}/submit").json()["status"]
        == "submitted"
    )
    api_client.as_user(management)
    wrong = api_client.post(f"/api/v1/pricing/price-changes/{change_id}/approve", {"password": "x"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"
    approved = api_client.post(
        f"/api/v1/pricing/price-changes/{change_id}/approve",
        {"password": "correct-horse-battery-staple"},
    )
    assert approved.json()["status"] == "applied"
    again = api_client.post(
        f"/api/v1/pricing/price-changes/{change_id}/approve",
        {"password": "correct-horse-battery-staple"},
    )
    assert again.status_code == 409


def test_a_rep_cannot_see_changes_costs_or_floors(api_client, rep, db):
    model = ModelFactory()
    _seed(model)
    api_client.as_user(rep)
    assert api_client.get("/api/v1/pricing/price-changes").status_code == 403
    version_id = api_client.get("/api/v1/pricing/price-lists").json()["items"][0]["id"]
    entries = api_client.get(f"/api/v1/pricing/price-lists/{version_id}/entries").json()["items"]
    assert entries[0]["list_price"] == "1000.00" and entries[0]["floor_price"] is None


def test_a_manager_sees_floors(api_client, sales_manager, db):
    model = ModelFactory()
    _seed(model)
    api_client.as_user(sales_manager)
    version_id = api_client.get("/api/v1/pricing/price-lists").json()["items"][0]["id"]
    entries = api_client.get(f"/api/v1/pricing/price-lists/{version_id}/entries").json()["items"]
    assert entries[0]["floor_price"] == "900.00"


def test_a_quote_for_an_unsellable_model_names_the_document(api_client, rep, db):
    model = sellable_model()
    _seed(model)
    number = model.certificates.get().number
    body = (
        api_client.as_user(rep)
        .get("/api/v1/pricing/quote", {"model": model.pk, "quantity": 2, "on": "2030-06-01"})
        .json()
    )
    assert body["sellable"] is False and body["unit_price"] is None
    assert number in body["explanation"]
    ok = api_client.get(
        "/api/v1/pricing/quote", {"model": model.pk, "quantity": 2, "on": "2026-11-27"}
    ).json()
    assert (
        ok["unit_price"] == "1000.00" and ok["total"] == "2000.00" and ok["price_list_version"] == 1
    )
