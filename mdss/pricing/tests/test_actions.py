"""The buttons come from the rules: the actions of price-list changes and
price-adjustment requests, per status, role and relation to the record."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from mdss.accounts import roles
from mdss.accounts.tests.factories import UserFactory
from mdss.catalog.tests.factories import ModelFactory, sellable_model
from mdss.core.errors import PermissionDenied
from mdss.customers.tests.factories import CustomerFactory
from mdss.pricing import services
from mdss.pricing.actions import adjustment_actions_for, change_actions_for
from mdss.pricing.services import adjustments

PASSWORD = "correct-horse-battery-staple"
TODAY = date(2026, 11, 27)


@pytest.fixture
def model(db):
    model = sellable_model()
    services.price_list_seed(
        entries={model.pk: (Decimal("10000.00"), Decimal("9000.00"))},
        effective_from=date(2026, 1, 1),
        note="",
    )
    return model


def _change(actor, model):
    return services.price_change_create(
        actor=actor,
        effective_from=TODAY,
        reason="成本上涨",
        lines=[services.LineInput(model.pk, "11000", "9900")],
    )


def _request(requester, model, price="9500"):
    adjustment = adjustments.adjustment_create(
        actor=requester,
        customer_id=CustomerFactory(owner=requester).pk,
        model=model,
        quantity=1,
        requested_price=price,
        reason="竞品报价",
        today=TODAY,
    )
    return adjustments.adjustment_submit(adjustment=adjustment, actor=requester)


def test_a_change_is_submitted_by_its_drafter_and_decided_by_management(
    model, sales_manager, management
):
    change = _change(sales_manager, model)
    assert change_actions_for(sales_manager, change) == ["submit"]
    assert change_actions_for(management, change) == []
    change = services.price_change_submit(change=change, actor=sales_manager)
    assert change_actions_for(management, change) == ["approve", "reject"]
    assert change_actions_for(sales_manager, change) == []
    own = services.price_change_submit(change=_change(management, model), actor=management)
    assert change_actions_for(management, own) == []  # nobody decides their own


def test_a_sales_manager_sees_a_change_but_may_not_approve_it(
    client, model, sales_manager, management
):
    change = services.price_change_submit(change=_change(management, model), actor=management)
    client.force_login(sales_manager)
    page = client.get(f"/pricing/changes/{change.pk}/")
    assert page.status_code == 200 and page.context["actions"] == []
    assert f'action="/pricing/changes/{change.pk}/approve/"' not in page.content.decode()
    refused = client.post(f"/pricing/changes/{change.pk}/approve/", {"approve-password": PASSWORD})
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        services.price_change_reject(change=change, actor=sales_manager, comment="太贵")
    change.refresh_from_db()
    assert change.status == "submitted"
    assert client.get(f"/pricing/changes/{change.pk}/approve/").status_code == 405


def test_a_refused_approval_shows_the_page_again_with_the_rule(
    client, model, sales_manager, management
):
    change = services.price_change_submit(change=_change(sales_manager, model), actor=sales_manager)
    client.force_login(management)
    page = client.get(f"/pricing/changes/{change.pk}/").content.decode()
    assert f'action="/pricing/changes/{change.pk}/approve/"' in page
    assert f'action="/pricing/changes/{change.pk}/reject/"' in page
    response = client.post(f"/pricing/changes/{change.pk}/reject/", {"reject-comment": ""})
    assert response.status_code == 200 and response.context["forms"]["reject"].errors


def test_a_request_is_decided_by_the_superior_then_management_below_the_floor(
    model, rep, sales_manager, management
):
    adjustment = _request(rep, model, price="8800")
    assert adjustment_actions_for(rep, adjustment) == []
    assert adjustment_actions_for(sales_manager, adjustment) == ["approve", "reject"]
    assert adjustment_actions_for(management, adjustment) == []  # the superior's step
    adjustment = adjustments.adjustment_approve(
        adjustment=adjustment, actor=sales_manager, password=PASSWORD, today=TODAY
    )
    assert adjustment.status == "awaiting_management"
    assert adjustment_actions_for(sales_manager, adjustment) == []
    assert adjustment_actions_for(management, adjustment) == ["approve", "reject"]
    with time_machine.travel("2027-03-01 10:00 +0800"):
        assert adjustment_actions_for(management, adjustment) == []  # expired


def test_a_superior_whose_role_may_not_decide_gets_403_and_permission_denied(client, model, rep):
    # A rep who happens to be somebody's superior sees the request but may not decide it.
    junior = UserFactory(username="junior", superior=rep, roles=[roles.SALES_REP])
    adjustment = _request(junior, model)
    assert adjustment.superior == rep
    assert adjustment_actions_for(rep, adjustment) == []
    client.force_login(rep)
    assert client.get(f"/pricing/adjustments/{adjustment.pk}/").status_code == 200
    refused = client.post(
        f"/pricing/adjustments/{adjustment.pk}/approve/", {"approve-password": PASSWORD}
    )
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        adjustments.adjustment_approve(
            adjustment=adjustment, actor=rep, password=PASSWORD, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        adjustments.adjustment_reject(adjustment=adjustment, actor=rep, comment="不行", today=TODAY)
    adjustment.refresh_from_db()
    assert adjustment.status == "submitted"


def test_roles_outside_sales_request_no_adjustment_and_propose_no_change(db, legal):
    model = ModelFactory()
    with pytest.raises(PermissionDenied):
        adjustments.adjustment_create(
            actor=legal,
            customer_id=CustomerFactory().pk,
            model=model,
            quantity=1,
            requested_price="1",
            reason="x",
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        _change(legal, model)


def test_the_api_details_list_the_allowed_actions(api_client, model, rep, sales_manager):
    adjustment = _request(rep, model)
    body = api_client.as_user(sales_manager).get(f"/api/v1/pricing/adjustments/{adjustment.pk}")
    assert body.json()["allowed_actions"] == ["approve", "reject"]
    body = api_client.as_user(rep).get(f"/api/v1/pricing/adjustments/{adjustment.pk}")
    assert body.json()["allowed_actions"] == []
    change = _change(sales_manager, model)
    body = api_client.as_user(sales_manager).get(f"/api/v1/pricing/price-changes/{change.pk}")
    assert body.json()["allowed_actions"] == ["submit"]
