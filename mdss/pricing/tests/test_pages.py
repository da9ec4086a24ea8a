from datetime import date
from decimal import Decimal

from mdss.catalog.tests.factories import ModelFactory
from mdss.core.testing import assert_fixed_queries
from mdss.pricing import services
from mdss.pricing.models import PriceBasis, PriceChange

PASSWORD = "correct-horse-battery-staple"


def _seed(model):
    services.price_list_seed(
        entries={model.pk: (Decimal("1000.00"), Decimal("900.00"))},
        effective_from=date(2026, 1, 1),
        note="",
    )
    PriceBasis.objects.create(model=model, unit_cost=Decimal("600.00"))


def test_a_rep_sees_list_prices_but_no_cost_or_floor(client, rep):
    model = ModelFactory()
    _seed(model)
    client.force_login(rep)
    page = client.get("/pricing/").content.decode()
    assert "1,000.00" in page or "1000.00" in page
    assert "900.00" not in page and "600.00" not in page
    assert client.get("/pricing/changes/").status_code == 403


def test_a_manager_sees_floor_cost_and_margin(client, sales_manager):
    model = ModelFactory()
    _seed(model)
    client.force_login(sales_manager)
    page = client.get("/pricing/").content.decode()
    assert "900.00" in page and "600.00" in page and "40.0%" in page


def test_a_change_is_drafted_submitted_and_approved_in_the_pages(client, sales_manager, management):
    model = ModelFactory()
    _seed(model)
    client.force_login(sales_manager)
    response = client.post(
        "/pricing/changes/new/",
        {
            "effective_from": "2026-11-27",
            "reason": "原材料涨价",
            "evidence": "",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-model": model.pk,
            "lines-0-list_price": "1080",
            "lines-0-floor_price": "950",
        },
    )
    change = PriceChange.objects.get()
    assert response.status_code == 302
    client.post(f"/pricing/changes/{change.pk}/submit/")
    client.force_login(management)
    inbox = client.get("/pricing/changes/").content.decode()
    assert 'data-testid="approval-inbox"' in inbox and change.number in inbox
    detail = client.get(f"/pricing/changes/{change.pk}/").content.decode()
    assert "8.0%" in detail  # 1000 → 1080
    client.post(f"/pricing/changes/{change.pk}/approve/", {"approve-password": "wrong"})
    change.refresh_from_db()
    assert change.status == "submitted"
    client.post(
        f"/pricing/changes/{change.pk}/approve/",
        {"approve-password": PASSWORD, "approve-comment": "同意"},
    )
    change.refresh_from_db()
    assert change.status == "applied"


def test_a_floor_above_the_list_price_is_shown_on_the_form(client, sales_manager):
    model = ModelFactory()
    client.force_login(sales_manager)
    response = client.post(
        "/pricing/changes/new/",
        {
            "effective_from": "2026-11-27",
            "reason": "x",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-model": model.pk,
            "lines-0-list_price": "100",
            "lines-0-floor_price": "200",
        },
    )
    assert response.status_code == 200
    assert "底价不能高于目录价" in response.content.decode()
    assert not PriceChange.objects.exists()


def test_reps_cannot_open_the_change_form(client, rep):
    client.force_login(rep)
    assert client.get("/pricing/changes/new/").status_code == 403


def test_the_price_basis_shows_cost_margin_and_competitors_to_managers_only(
    client, sales_manager, rep
):
    from mdss.pricing.models import CompetitorPrice

    model = ModelFactory()
    _seed(model)
    CompetitorPrice.objects.create(
        model=model,
        competitor="某品牌",
        competitor_product="X5",
        price=Decimal("1200"),
        observed_on=date(2026, 9, 1),
        source="中标公告",
    )
    client.force_login(sales_manager)
    page = client.get(f"/pricing/models/{model.pk}/").content.decode()
    assert "600.00" in page and "40.0%" in page and "某品牌" in page
    client.force_login(rep)
    assert client.get(f"/pricing/models/{model.pk}/").status_code == 403


def test_price_list_costs_fixed_queries(client, sales_manager):
    models = [ModelFactory() for _ in range(6)]
    services.price_list_seed(
        entries={m.pk: (Decimal("1000.00"), Decimal("900.00")) for m in models},
        effective_from=date(2026, 1, 1),
        note="",
    )
    PriceBasis.objects.create(model=models[0], unit_cost=Decimal("500.00"))
    client.force_login(sales_manager)
    assert_fixed_queries(
        client,
        ["/pricing/"],
        lambda: [
            PriceBasis.objects.create(model=m, unit_cost=Decimal("400.00")) for m in models[1:]
        ],
    )


def test_change_and_adjustment_lists_cost_fixed_queries(client, sales_manager, rep):
    from mdss.catalog.tests.factories import sellable_model
    from mdss.customers.tests.factories import CustomerFactory
    from mdss.pricing.services import adjustments

    model = sellable_model()
    services.price_list_seed(
        entries={model.pk: (Decimal("1000.00"), Decimal("900.00"))},
        effective_from=date(2026, 1, 1),
        note="",
    )
    customer = CustomerFactory(owner=rep)

    def add_rows(n):
        for _ in range(n):
            services.price_change_create(
                actor=sales_manager,
                effective_from=date(2027, 1, 1),
                reason="x",
                lines=[services.LineInput(model.pk, "1100", "990")],
            )
            a = adjustments.adjustment_create(
                actor=rep,
                customer_id=customer.pk,
                model=model,
                quantity=1,
                requested_price="950",
                reason="x",
                today=date(2026, 11, 27),
            )
            adjustments.adjustment_submit(adjustment=a, actor=rep)

    add_rows(1)
    client.force_login(sales_manager)
    assert_fixed_queries(
        client, ["/pricing/changes/", "/pricing/adjustments/"], lambda: add_rows(4)
    )


def test_the_price_list_sorts_by_price_in_the_page_and_the_api(client, api_client, rep):
    cheap, dear = ModelFactory(code="CHEAP-1"), ModelFactory(code="DEAR-1")
    services.price_list_seed(
        entries={
            cheap.pk: (Decimal("100.00"), Decimal("90.00")),
            dear.pk: (Decimal("9000.00"), Decimal("8000.00")),
        },
        effective_from=date(2026, 1, 1),
        note="",
    )
    client.force_login(rep)
    page = client.get("/pricing/", {"sort": "-price"}).content.decode()
    assert page.index("DEAR-1") < page.index("CHEAP-1")
    page = client.get("/pricing/", {"sort": "price"}).content.decode()
    assert page.index("CHEAP-1") < page.index("DEAR-1")
    api = api_client.as_user(rep)
    version = api.get("/api/v1/pricing/price-lists").json()["items"][0]["id"]
    rows = api.get(f"/api/v1/pricing/price-lists/{version}/entries?sort=-price").json()["items"]
    assert [r["model_id"] for r in rows][:2] == [dear.pk, cheap.pk]
    bad = api.get(f"/api/v1/pricing/price-lists/{version}/entries?sort=cost")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "sort"
