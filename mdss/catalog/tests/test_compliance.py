"""The compliance gate (Q1): every refusal names the document and the date."""

from datetime import date

import pypdfium2
import pytest

from mdss.audit.models import ESignature
from mdss.audit.testing import assert_audited
from mdss.catalog import compliance, services
from mdss.catalog.tests.factories import (
    CertificateFactory,
    LicenceFactory,
    ModelFactory,
    sellable_model,
)
from mdss.core.errors import PermissionDenied, ValidationFailed

PASSWORD = "correct-horse-battery-staple"
TODAY = date(2026, 11, 27)


def test_a_model_with_valid_papers_is_sellable(db):
    model = sellable_model()
    result = compliance.sellable(model, TODAY)
    assert result.ok and result.reasons == []


def test_an_expired_certificate_is_named_with_its_date(db):
    model = sellable_model()
    certificate = model.certificates.get()
    old = CertificateFactory(
        product=model.product,
        covers=[model],
        number="国械注准20163070099",
        valid_until=date(2026, 3, 31),
    )
    assert compliance.sellable(model, TODAY).ok  # the newer certificate still covers it
    result = compliance.sellable(model, date(2030, 1, 1))
    assert not result.ok
    assert result.reasons[0].code == "certificate_expired"
    assert result.reasons[0].message == f"注册证 {certificate.number} 已于 2029-12-31 过期"
    assert old.number not in result.reasons[0].message  # the latest one is named


def test_a_certificate_that_does_not_cover_the_model_is_no_certificate(db):
    model = sellable_model()
    other = ModelFactory(product=model.product, code="X-9")
    result = compliance.sellable(other, TODAY)
    assert not result.ok and [r.code for r in result.reasons] == ["no_certificate"]
    assert "X-9" in result.reasons[0].message


def test_an_expired_manufacturer_licence_refuses(db):
    model = ModelFactory()
    CertificateFactory(product=model.product, covers=[model], valid_until=date(2029, 1, 1))
    LicenceFactory(
        manufacturer=model.product.manufacturer,
        number="沪械生产许20150001号",
        valid_until=date(2026, 1, 31),
    )
    result = compliance.sellable(model, TODAY)
    assert [r.code for r in result.reasons] == ["licence_expired"]
    assert (
        "沪械生产许20150001号" in result.reasons[0].message
        and "2026-01-31" in result.reasons[0].message
    )


def test_a_missing_licence_and_missing_certificate_are_both_reported(db):
    model = ModelFactory()
    result = compliance.sellable(model, TODAY)
    assert sorted(r.code for r in result.reasons) == ["licence_missing", "no_certificate"]


def test_class_one_needs_a_filing_not_a_registration(db):
    model = sellable_model(device_class="I")
    assert compliance.sellable(model, date(2040, 1, 1)).ok  # filings do not expire
    registration_only = ModelFactory(product__device_class="I")
    CertificateFactory(
        product=registration_only.product, covers=[registration_only], valid_until=date(2030, 1, 1)
    )
    LicenceFactory(
        manufacturer=registration_only.product.manufacturer, kind="filing", valid_until=None
    )
    result = compliance.sellable(registration_only, TODAY)
    assert [r.code for r in result.reasons] == ["no_certificate"]
    assert "备案凭证" in result.reasons[0].message


def test_a_voided_certificate_does_not_count(db, quality):
    from mdss.audit.services import void

    model = sellable_model()
    void(obj=model.certificates.get(), actor=quality, reason="注销")
    assert [r.code for r in compliance.sellable(model, TODAY).reasons] == ["no_certificate"]


def test_require_sellable_raises_with_every_reason(db):
    model = ModelFactory()
    with pytest.raises(ValidationFailed) as exc:
        compliance.require_sellable(model, TODAY)
    assert {e.rule for e in exc.value.errors} == {"licence_missing", "no_certificate"}
    assert {e.field for e in exc.value.errors} == {"model"}


class TestOverride:
    def test_quality_overrides_with_reason_and_signature(self, quality):
        model = ModelFactory()
        override = services.override_grant(
            model=model,
            actor=quality,
            password=PASSWORD,
            reason="注册证延续申请已受理",
            valid_from=TODAY,
            valid_until=date(2027, 1, 31),
        )
        result = compliance.sellable(model, TODAY)
        assert result.ok and result.override_id == override.pk and result.reasons
        assert ESignature.objects.filter(meaning="compliance override", signer=quality).exists()
        assert_audited("catalog.override_granted", override, actor=quality)

    def test_the_override_expires(self, quality):
        model = ModelFactory()
        services.override_grant(
            model=model,
            actor=quality,
            password=PASSWORD,
            reason="延续中",
            valid_from=TODAY,
            valid_until=date(2026, 12, 31),
        )
        assert compliance.sellable(model, date(2026, 12, 31)).ok
        assert not compliance.sellable(model, date(2027, 1, 1)).ok

    def test_only_quality_may_override(self, rep):
        with pytest.raises(PermissionDenied):
            services.override_grant(
                model=ModelFactory(),
                actor=rep,
                password=PASSWORD,
                reason="x",
                valid_from=TODAY,
                valid_until=TODAY,
            )

    def test_an_override_needs_the_password_a_reason_and_a_short_period(self, quality):
        model = ModelFactory()
        with pytest.raises(ValidationFailed) as wrong:
            services.override_grant(
                model=model,
                actor=quality,
                password="nope",
                reason="x",
                valid_from=TODAY,
                valid_until=TODAY,
            )
        assert wrong.value.errors[0].field == "password"
        with pytest.raises(ValidationFailed) as no_reason:
            services.override_grant(
                model=model,
                actor=quality,
                password=PASSWORD,
                reason=" ",
                valid_from=TODAY,
                valid_until=TODAY,
            )
        assert no_reason.value.errors[0].field == "reason"
        with pytest.raises(ValidationFailed) as too_long:
            services.override_grant(
                model=model,
                actor=quality,
                password=PASSWORD,
                reason="x",
                valid_from=TODAY,
                valid_until=date(2027, 6, 1),
            )
        assert too_long.value.errors[0].rule == "max_days"
        assert not model.overrides.exists()

    def test_a_revoked_override_no_longer_counts(self, quality):
        model = ModelFactory()
        override = services.override_grant(
            model=model,
            actor=quality,
            password=PASSWORD,
            reason="x",
            valid_from=TODAY,
            valid_until=TODAY,
        )
        services.override_revoke(override=override, actor=quality, reason="证件已延续")
        assert not compliance.sellable(model, TODAY).ok


def test_the_gate_costs_five_queries_for_any_number_of_models(db, django_assert_num_queries):
    """Models, certificates, licences, overrides, and the holds (quality's recalls)."""
    models = [sellable_model() for _ in range(5)] + [ModelFactory() for _ in range(3)]
    with django_assert_num_queries(5):
        results = compliance.check_models([m.pk for m in models], TODAY)
    assert sum(r.ok for r in results.values()) == 5


class TestExpiryWarnings:
    def test_each_threshold_warns_the_quality_role_once(self, quality):
        from mdss.notifications.models import Notification

        model = sellable_model()
        certificate = model.certificates.get()
        certificate.valid_until = date(2027, 5, 20)  # 174 days after TODAY
        certificate.save()
        assert services.expiry_warning_sweep(today=TODAY) == 1
        assert services.expiry_warning_sweep(today=TODAY) == 0
        assert services.expiry_warning_sweep(today=date(2027, 2, 19)) == 1  # 90 days
        assert services.expiry_warning_sweep(today=date(2027, 2, 20)) == 0
        assert services.expiry_warning_sweep(today=date(2027, 4, 20)) == 1  # 30 days
        assert (
            Notification.objects.filter(
                recipient=quality, kind="catalog.expiry", channel="in_app"
            ).count()
            == 3
        )
        assert_audited("catalog.expiry_warned", certificate, threshold_days=30)

    def test_documents_far_from_expiry_are_not_warned(self, quality):
        sellable_model()
        assert services.expiry_warning_sweep(today=TODAY) == 0


def test_the_demo_catalog_has_one_refused_product_and_expiring_papers(db):
    from mdss.catalog import demo
    from mdss.catalog.models import Product, ProductModel
    from mdss.catalog.selectors import expiring_documents

    demo.seed(today=TODAY)
    demo.seed(today=TODAY)  # idempotent
    assert Product.objects.count() == 32
    results = compliance.check_models(ProductModel.objects.values_list("pk", flat=True), TODAY)
    refused = [
        ProductModel.objects.get(pk=pk).product.name for pk, r in results.items() if not r.ok
    ]
    assert refused == ["压缩式雾化器"]
    assert len([d for d in expiring_documents(today=TODAY) if d.days_left <= 90]) == 4
    from mdss.catalog.models import ProductDocument

    ifu = ProductDocument.objects.filter(kind="ifu")
    assert ifu.count() == ProductModel.objects.count()
    document = pypdfium2.PdfDocument(ifu.first().file.read())
    assert "产品名称" in document[0].get_textpage().get_text_range()
