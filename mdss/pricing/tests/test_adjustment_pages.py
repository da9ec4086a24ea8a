from datetime import date
from decimal import Decimal

from mdss.catalog.tests.factories import sellable_model
from mdss.customers.tests.factories import CustomerFactory
from mdss.pricing import services
from mdss.pricing.models import PriceAdjustment

PASSWORD = "correct-horse-battery-staple"


def test_a_rep_requests_and_the_superior_approves_in_the_pages(
    client, rep, sales_manager, management
):
    model = sellable_model()
    services.price_list_seed(
        entries={model.pk: (Decimal("10000.00"), Decimal("9000.00"))},
        effective_from=date(2026, 1, 1),
        note="",
    )
    customer = CustomerFactory(owner=rep)
    client.force_login(rep)
    response = client.post(
        "/pricing/adjustments/new/",
        {
            "customer": customer.pk,
            "model": model.pk,
            "quantity": 1,
            "requested_price": "8800",
            "reason": "招标限价",
        },
    )
    adjustment = PriceAdjustment.objects.get()
    assert response.status_code == 302 and adjustment.status == "submitted"
    assert (
        "9000" not in client.get(f"/pricing/adjustments/{adjustment.pk}/").content.decode()
    )  # no floor for reps
    client.force_login(sales_manager)
    assert 'data-testid="adjustment-inbox"' in client.get("/pricing/adjustments/").content.decode()
    client.post(f"/pricing/adjustments/{adjustment.pk}/approve/", {"approve-password": PASSWORD})
    adjustment.refresh_from_db()
    assert adjustment.status == "awaiting_management"  # 8800 is below the 9000 floor
    client.force_login(management)
    client.post(f"/pricing/adjustments/{adjustment.pk}/approve/", {"approve-password": PASSWORD})
    adjustment.refresh_from_db()
    assert adjustment.status == "approved"


def test_the_form_offers_only_the_reps_own_customers(client, rep, other_rep):
    mine, theirs = (
        CustomerFactory(owner=rep, name="我的医院"),
        CustomerFactory(owner=other_rep, name="别人的医院"),
    )
    client.force_login(rep)
    page = client.get("/pricing/adjustments/new/").content.decode()
    assert mine.name in page and theirs.name not in page
