"""Price-list changes (S12): draft → submitted → approved (signed) → in force on its date."""

from datetime import date
from decimal import Decimal

import pytest

from mdss.audit.models import ESignature
from mdss.audit.testing import assert_audited
from mdss.catalog.tests.factories import ModelFactory, sellable_model
from mdss.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mdss.pricing import selectors, services
from mdss.pricing.choices import ChangeStatus
from mdss.pricing.models import PriceListVersion

PASSWORD = "correct-horse-battery-staple"
TODAY = date(2026, 11, 27)


@pytest.fixture
def models(db):
    return [ModelFactory(), ModelFactory()]


@pytest.fixture
def price_list(models):
    return services.price_list_seed(
        entries={
            models[0].pk: (Decimal("10000.00"), Decimal("9000.00")),
            models[1].pk: (Decimal("500.00"), Decimal("450.00")),
        },
        effective_from=date(2026, 1, 1),
        note="开业价格表",
    )


def _change(actor, models, effective_from=TODAY, price="11000"):
    return services.price_change_create(
        actor=actor,
        effective_from=effective_from,
        reason="成本上涨 8%",
        evidence="供应商调价函",
        lines=[services.LineInput(models[0].pk, price, "9900")],
    )


def test_a_change_goes_through_approval_and_becomes_the_active_list(
    price_list, models, sales_manager, management
):
    change = _change(sales_manager, models)
    assert change.number.startswith("TJ-") and change.status == ChangeStatus.DRAFT
    services.price_change_submit(change=change, actor=sales_manager)
    services.price_change_approve(
        change=change, actor=management, password=PASSWORD, comment="同意", today=TODAY
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED
    active = selectors.active_version()
    assert active.number == 2 and active.change == change
    assert selectors.price_of(models[0].pk).list_price == Decimal("11000.00")
    assert selectors.price_of(models[1].pk).list_price == Decimal("500.00")  # copied
    assert PriceListVersion.objects.get(number=1).entries.count() == 2  # history kept
    assert ESignature.objects.filter(
        meaning="price-list change approved", signer=management
    ).exists()
    for action in ("pricing.change_created", "pricing.change_submitted", "pricing.change_approved"):
        assert_audited(action, change)


def test_a_future_change_waits_for_its_date(price_list, models, sales_manager, management):
    change = _change(sales_manager, models, effective_from=date(2027, 1, 1))
    services.price_change_submit(change=change, actor=sales_manager)
    services.price_change_approve(change=change, actor=management, password=PASSWORD, today=TODAY)
    assert selectors.active_version().number == 1
    assert services.price_changes_apply_due(today=date(2026, 12, 31)) == 0
    assert services.price_changes_apply_due(today=date(2027, 1, 1)) == 1
    assert services.price_changes_apply_due(today=date(2027, 1, 1)) == 0
    assert selectors.active_version().number == 2


def test_reps_cannot_change_prices(models, rep):
    with pytest.raises(PermissionDenied):
        _change(rep, models)


def test_nobody_approves_their_own_change(price_list, models, management):
    change = _change(management, models)
    services.price_change_submit(change=change, actor=management)
    with pytest.raises(PermissionDenied):
        services.price_change_approve(
            change=change, actor=management, password=PASSWORD, today=TODAY
        )


def test_only_management_approves(price_list, models, sales_manager, rep):
    change = _change(sales_manager, models)
    services.price_change_submit(change=change, actor=sales_manager)
    with pytest.raises(PermissionDenied):
        services.price_change_approve(change=change, actor=rep, password=PASSWORD, today=TODAY)


def test_approving_twice_is_refused(price_list, models, sales_manager, management):
    change = _change(sales_manager, models, effective_from=date(2027, 1, 1))
    services.price_change_submit(change=change, actor=sales_manager)
    services.price_change_approve(change=change, actor=management, password=PASSWORD, today=TODAY)
    with pytest.raises(InvalidTransition):
        services.price_change_approve(
            change=change, actor=management, password=PASSWORD, today=TODAY
        )


def test_a_draft_cannot_be_approved_and_a_wrong_password_changes_nothing(
    price_list, models, sales_manager, management
):
    change = _change(sales_manager, models)
    with pytest.raises(InvalidTransition):
        services.price_change_approve(
            change=change, actor=management, password=PASSWORD, today=TODAY
        )
    services.price_change_submit(change=change, actor=sales_manager)
    with pytest.raises(ValidationFailed) as exc:
        services.price_change_approve(change=change, actor=management, password="nope", today=TODAY)
    assert exc.value.errors[0].field == "password"
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_a_rejection_needs_a_reason_and_is_final(price_list, models, sales_manager, management):
    change = _change(sales_manager, models)
    services.price_change_submit(change=change, actor=sales_manager)
    with pytest.raises(ValidationFailed):
        services.price_change_reject(change=change, actor=management, comment=" ")
    services.price_change_reject(change=change, actor=management, comment="竞品价格更低，暂缓")
    assert_audited("pricing.change_rejected", change, reason="竞品价格更低，暂缓")
    with pytest.raises(InvalidTransition):
        services.price_change_approve(
            change=change, actor=management, password=PASSWORD, today=TODAY
        )


def test_bad_lines_name_the_field(models, sales_manager):
    with pytest.raises(ValidationFailed) as exc:
        services.price_change_create(
            actor=sales_manager,
            effective_from=TODAY,
            reason="x",
            lines=[
                services.LineInput(models[0].pk, "100", "200"),
                services.LineInput(999999, "1", "1"),
                services.LineInput(models[1].pk, "abc", "1"),
            ],
        )
    assert {(e.field, e.rule) for e in exc.value.errors} == {
        ("lines.0.floor_price", "above_list"),
        ("lines.1.model_id", "unknown"),
        ("lines.2.list_price", "decimal"),
    }


def test_management_is_told_of_a_submitted_change(price_list, models, sales_manager, management):
    from mdss.notifications.models import Notification

    services.price_change_submit(change=_change(sales_manager, models), actor=sales_manager)
    assert Notification.objects.filter(
        recipient=management, kind="pricing.change_submitted"
    ).exists()
    assert list(selectors.approvals_waiting_for(management))


def test_the_price_basis_is_for_managers(models, sales_manager, rep):
    basis = services.price_basis_set(
        model=models[0],
        actor=sales_manager,
        unit_cost="6200.5",
        market_demand="三甲医院更新换代需求旺盛",
    )
    assert basis.unit_cost == Decimal("6200.50")
    assert_audited("pricing.basis_set", basis, actor=sales_manager)
    with pytest.raises(PermissionDenied):
        services.price_basis_set(model=models[0], actor=rep, unit_cost="1")


def test_quote_uses_the_list_price_of_a_sellable_model(db):
    model = sellable_model()
    services.price_list_seed(
        entries={model.pk: (Decimal("8800.00"), Decimal("8000.00"))},
        effective_from=date(2026, 1, 1),
        note="",
    )
    answer = selectors.quote(model=model, quantity=3, on_date=TODAY)
    assert answer["gate"].ok and answer["total"] == Decimal("26400.00")


def test_the_demo_price_list_covers_the_demo_catalog(db):
    from mdss.catalog import demo as catalog_demo
    from mdss.catalog.models import ProductModel
    from mdss.pricing import demo

    catalog_demo.seed(today=TODAY)
    demo.seed()
    demo.seed()  # idempotent
    version = selectors.active_version()
    assert version.entries.count() == ProductModel.objects.count()
    assert all(e.floor_price < e.list_price for e in version.entries.all())


def test_a_change_dated_before_the_list_in_force_is_not_approved(
    price_list, models, sales_manager, management
):
    """Approving it would override the newer version's prices with stale ones."""
    older = _change(sales_manager, models, effective_from=TODAY, price="10500")
    services.price_change_submit(change=older, actor=sales_manager)
    newer = _change(sales_manager, models, effective_from=date(2026, 12, 1), price="12000")
    services.price_change_submit(change=newer, actor=sales_manager)
    services.price_change_approve(change=newer, actor=management, password=PASSWORD, today=TODAY)
    assert services.price_changes_apply_due(today=date(2026, 12, 1)) == 1
    with pytest.raises(ValidationFailed) as exc:
        services.price_change_approve(
            change=older, actor=management, password=PASSWORD, today=date(2026, 12, 2)
        )
    assert exc.value.errors[0].rule == "older_than_current"
    assert selectors.price_of(models[0].pk).list_price == Decimal("12000.00")


def test_a_change_is_never_backdated(models, sales_manager):
    with pytest.raises(ValidationFailed) as exc:
        _change(sales_manager, models, effective_from=date(2026, 11, 26))
    assert exc.value.errors[0].field == "effective_from"
