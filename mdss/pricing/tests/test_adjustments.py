"""Price-adjustment requests (S13): superior approval, management below the floor."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404

from mdss.audit.models import ESignature
from mdss.audit.testing import assert_audited
from mdss.catalog.tests.factories import ModelFactory, sellable_model
from mdss.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mdss.customers.tests.factories import CustomerFactory
from mdss.pricing import services
from mdss.pricing.choices import AdjustmentStatus
from mdss.pricing.services import adjustments

PASSWORD = "correct-horse-battery-staple"
TODAY = date(2026, 11, 27)


@pytest.fixture
def deal(rep):
    model = sellable_model()
    services.price_list_seed(
        entries={model.pk: (Decimal("10000.00"), Decimal("9000.00"))},
        effective_from=date(2026, 1, 1),
        note="",
    )
    return {"model": model, "customer": CustomerFactory(owner=rep)}


def _request(rep, deal, price="9500", **kwargs):
    adjustment = adjustments.adjustment_create(
        actor=rep,
        customer_id=deal["customer"].pk,
        model=deal["model"],
        quantity=2,
        requested_price=price,
        reason="医院预算有限，竞品报价 9300",
        today=TODAY,
        **kwargs,
    )
    return adjustments.adjustment_submit(adjustment=adjustment, actor=rep)


def test_the_superior_approves_a_discount_above_the_floor(deal, rep, sales_manager):
    adjustment = _request(rep, deal)
    assert adjustment.number.startswith("JT-") and adjustment.discount_percent == Decimal("5.00")
    assert adjustment.superior == sales_manager
    approved = adjustments.adjustment_approve(
        adjustment=adjustment, actor=sales_manager, password=PASSWORD, today=TODAY
    )
    assert (
        approved.status == AdjustmentStatus.APPROVED
        and approved.valid_until == TODAY + timedelta(days=30)
    )
    assert ESignature.objects.filter(
        signer=sales_manager, meaning="price adjustment approved"
    ).exists()
    assert_audited("pricing.adjustment_approved", approved, actor=sales_manager)


def test_below_the_floor_management_must_approve_too(deal, rep, sales_manager, management):
    adjustment = _request(rep, deal, price="8500")
    step_one = adjustments.adjustment_approve(
        adjustment=adjustment, actor=sales_manager, password=PASSWORD, today=TODAY
    )
    assert step_one.status == AdjustmentStatus.AWAITING_MANAGEMENT
    with pytest.raises(PermissionDenied):
        adjustments.adjustment_approve(
            adjustment=adjustment, actor=sales_manager, password=PASSWORD, today=TODAY
        )
    final = adjustments.adjustment_approve(
        adjustment=adjustment, actor=management, password=PASSWORD, today=TODAY
    )
    assert final.status == AdjustmentStatus.APPROVED and final.management_signature is not None


def test_approving_twice_own_or_after_expiry_is_refused(deal, rep, sales_manager):
    with pytest.raises(PermissionDenied):
        adjustments.adjustment_approve(
            adjustment=_request(rep, deal), actor=rep, password=PASSWORD, today=TODAY
        )
    adjustment = _request(rep, deal)
    adjustments.adjustment_approve(
        adjustment=adjustment, actor=sales_manager, password=PASSWORD, today=TODAY
    )
    with pytest.raises(InvalidTransition):
        adjustments.adjustment_approve(
            adjustment=adjustment, actor=sales_manager, password=PASSWORD, today=TODAY
        )
    late = _request(rep, deal, valid_until=TODAY + timedelta(days=3))
    with pytest.raises(InvalidTransition):
        adjustments.adjustment_approve(
            adjustment=late, actor=sales_manager, password=PASSWORD, today=TODAY + timedelta(days=4)
        )


def test_another_rep_cannot_approve(deal, rep, other_rep):
    with pytest.raises(PermissionDenied):
        adjustments.adjustment_approve(
            adjustment=_request(rep, deal), actor=other_rep, password=PASSWORD, today=TODAY
        )


def test_a_rejection_needs_a_reason(deal, rep, sales_manager):
    adjustment = _request(rep, deal)
    with pytest.raises(ValidationFailed):
        adjustments.adjustment_reject(
            adjustment=adjustment, actor=sales_manager, comment="", today=TODAY
        )
    rejected = adjustments.adjustment_reject(
        adjustment=adjustment, actor=sales_manager, comment="折扣过大", today=TODAY
    )
    assert rejected.status == AdjustmentStatus.REJECTED
    assert_audited("pricing.adjustment_rejected", rejected, reason="折扣过大")


def test_requests_are_checked_before_they_exist(deal, rep, other_rep):
    with pytest.raises(ValidationFailed) as not_below:
        adjustments.adjustment_create(
            actor=rep,
            customer_id=deal["customer"].pk,
            model=deal["model"],
            quantity=1,
            requested_price="10000",
            reason="x",
            today=TODAY,
        )
    assert not_below.value.errors[0].field == "requested_price"
    with pytest.raises(Http404):  # not the rep's customer
        adjustments.adjustment_create(
            actor=other_rep,
            customer_id=deal["customer"].pk,
            model=deal["model"],
            quantity=1,
            requested_price="9000",
            reason="x",
            today=TODAY,
        )
    unsellable = ModelFactory()
    with pytest.raises(ValidationFailed) as gate:
        adjustments.adjustment_create(
            actor=rep,
            customer_id=deal["customer"].pk,
            model=unsellable,
            quantity=1,
            requested_price="1",
            reason="x",
            today=TODAY,
        )
    assert {e.rule for e in gate.value.errors} == {"no_certificate", "licence_missing"}


def test_the_quote_uses_an_approved_request_for_its_customer(api_client, deal, rep, sales_manager):
    adjustment = _request(rep, deal)
    adjustments.adjustment_approve(
        adjustment=adjustment, actor=sales_manager, password=PASSWORD, today=TODAY
    )
    api_client.as_user(rep)
    params = {
        "model": deal["model"].pk,
        "quantity": 2,
        "customer": deal["customer"].pk,
        "on": "2026-11-28",
    }
    body = api_client.get("/api/v1/pricing/quote", params).json()
    assert body["unit_price"] == "9500.00" and adjustment.number in body["explanation"]
    more = api_client.get("/api/v1/pricing/quote", {**params, "quantity": 3}).json()
    assert more["unit_price"] == "10000.00"  # beyond the approved quantity: list price


def test_the_api_flow_and_the_inbox(api_client, deal, rep, sales_manager):
    api_client.as_user(rep)
    created = api_client.post(
        "/api/v1/pricing/adjustments",
        {
            "customer_id": deal["customer"].pk,
            "model_id": deal["model"].pk,
            "quantity": 1,
            "requested_price": "9600",
            "reason": "老客户续购",
        },
    )
    assert (
        created.status_code == 201 and created.json()["floor_price"] is None
    )  # reps do not see floors
    adjustment_id = created.json()["id"]
    assert (
        api_client.post(f"/api/v1/pricing/adjustments/{adjustment_id}/submit").json()["status"]
        == "submitted"
    )
    api_client.as_user(sales_manager)
    inbox = api_client.get("/api/v1/pricing/adjustments", {"inbox": True}).json()
    assert [a["id"] for a in inbox["items"]] == [adjustment_id]
    approved = api_client.post(
        f"/api/v1/pricing/adjustments/{adjustment_id}/approve",
        {"password": PASSWORD, "comment": "同意"},
    )
    assert approved.json()["status"] == "approved"
