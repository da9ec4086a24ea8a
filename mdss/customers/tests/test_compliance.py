from datetime import date

import pytest

from mdss.catalog.tests.factories import ModelFactory
from mdss.customers.compliance import may_buy
from mdss.customers.tests.factories import CustomerFactory, QualificationFactory

ON = date(2026, 11, 27)


@pytest.fixture
def class_three(db):
    model = ModelFactory()
    model.product.device_class, model.product.category_code = "III", "07-03"
    model.product.save()
    return model


@pytest.fixture
def class_two(db):
    model = ModelFactory()
    model.product.device_class, model.product.category_code = "II", "14-01"
    model.product.save()
    return model


def test_a_hospital_with_a_valid_practice_licence_may_buy(class_three):
    hospital = CustomerFactory()
    licence = QualificationFactory(customer=hospital, valid_until=date(2027, 1, 1))
    decision = may_buy(hospital, class_three, ON)
    assert decision.ok and decision.qualification_id == licence.pk


def test_a_hospital_without_a_licence_may_not_and_is_told_which(class_three):
    decision = may_buy(CustomerFactory(name="杭州市第一人民医院"), class_three, ON)
    assert not decision.ok
    assert [r.code for r in decision.reasons] == ["qualification_missing"]
    assert "杭州市第一人民医院" in decision.reasons[0].message
    assert "医疗机构执业许可证" in decision.reasons[0].message


def test_an_expired_licence_names_its_number_and_dates(class_three):
    hospital = CustomerFactory()
    QualificationFactory(customer=hospital, number="PDY12345", valid_until=date(2026, 11, 26))
    decision = may_buy(hospital, class_three, ON)
    assert [r.code for r in decision.reasons] == ["qualification_expired"]
    message = decision.reasons[0].message
    assert "PDY12345" in message and "2026-11-26" in message and "2026-11-27" in message
    # the day before, it was fine; on the expiry day itself too
    assert may_buy(hospital, class_three, date(2026, 11, 26)).ok


def test_a_licence_not_yet_valid_is_refused(class_three):
    hospital = CustomerFactory()
    QualificationFactory(customer=hospital, valid_from=date(2026, 12, 1))
    assert [r.code for r in may_buy(hospital, class_three, ON).reasons] == [
        "qualification_not_yet_valid"
    ]


def test_a_voided_licence_does_not_count(class_three):
    from django.utils import timezone

    hospital = CustomerFactory()
    QualificationFactory(customer=hospital, voided_at=timezone.now(), void_reason="x")
    assert [r.code for r in may_buy(hospital, class_three, ON).reasons] == ["qualification_missing"]


def _dealer(**qualification):
    dealer = CustomerFactory(kind="dealer", hospital_level="")
    if qualification:
        QualificationFactory(customer=dealer, **qualification)
    return dealer


def test_a_dealer_needs_a_licence_covering_the_class_and_category(class_three, class_two):
    licence = {"kind": "business_licence", "scope_classes": ["II", "III"]}
    assert may_buy(_dealer(**licence), class_three, ON).ok
    narrow = _dealer(kind="business_licence", scope_classes=["II"])
    assert [r.code for r in may_buy(narrow, class_three, ON).reasons] == ["out_of_scope"]
    by_category = _dealer(**licence, scope_categories=["14"])
    assert may_buy(by_category, class_two, ON).ok
    reasons = may_buy(by_category, class_three, ON).reasons
    assert [r.code for r in reasons] == ["out_of_scope"]
    assert "07-03" in reasons[0].message


def test_a_class_two_filing_covers_class_two_not_three(class_three, class_two):
    dealer = _dealer(kind="business_filing", scope_classes=["II"], valid_until=None)
    assert may_buy(dealer, class_two, ON).ok
    assert [r.code for r in may_buy(dealer, class_three, ON).reasons] == ["qualification_missing"]


def test_class_one_and_public_bodies_need_no_trading_licence(class_two):
    class_one = ModelFactory()
    class_one.product.device_class = "I"
    class_one.product.save()
    assert may_buy(_dealer(), class_one, ON).ok
    assert may_buy(CustomerFactory(kind="government", hospital_level=""), class_two, ON).ok


def test_every_reason_is_listed_when_several_papers_fail(class_three):
    dealer = _dealer(kind="business_licence", scope_classes=["II"])
    QualificationFactory(
        customer=dealer,
        kind="business_licence",
        scope_classes=["III"],
        valid_until=date(2026, 1, 1),
    )
    codes = sorted(r.code for r in may_buy(dealer, class_three, ON).reasons)
    assert codes == ["out_of_scope", "qualification_expired"]
