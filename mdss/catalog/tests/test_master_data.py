"""Creating and correcting catalog records in the pages (quality role)."""

from datetime import date

from mdss.audit.testing import assert_audited
from mdss.catalog.models import Product, RegistrationCertificate
from mdss.catalog.tests.factories import ManufacturerFactory, ModelFactory, sellable_model


def test_quality_creates_a_product_with_models(client, quality):
    maker = ManufacturerFactory()
    client.force_login(quality)
    response = client.post(
        "/catalog/products/new/",
        {
            "manufacturer": maker.pk,
            "name": "血糖仪",
            "device_class": "II",
            "unit": "台",
            "warranty_months": 24,
            "is_active": "on",
            "new_models": "GM-100\nGM-200\n",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(name="血糖仪")
    assert sorted(product.models.values_list("code", flat=True)) == ["GM-100", "GM-200"]
    assert_audited("catalog.product_created", product, actor=quality)


def test_a_rep_cannot_create_products(client, rep):
    client.force_login(rep)
    assert client.get("/catalog/products/new/").status_code == 403


def test_a_certificate_must_fit_the_class_and_have_an_expiry(client, quality):
    model = ModelFactory(product__device_class="III")
    client.force_login(quality)
    url = f"/catalog/products/{model.product_id}/certificates/new/"
    response = client.post(
        url,
        {
            "kind": "filing",
            "number": "X1",
            "holder": model.product.manufacturer_id,
            "approved_on": "2025-01-01",
            "models_covered": [model.pk],
        },
    )
    assert list(response.context["form"].errors) == ["kind"]
    response = client.post(
        url,
        {
            "kind": "registration",
            "number": "X1",
            "holder": model.product.manufacturer_id,
            "approved_on": "2025-01-01",
            "models_covered": [model.pk],
        },
    )
    assert list(response.context["form"].errors) == ["valid_until"]
    assert not RegistrationCertificate.objects.exists()
    response = client.post(
        url,
        {
            "kind": "registration",
            "number": "国械注准20253070001",
            "holder": model.product.manufacturer_id,
            "approved_on": "2025-01-01",
            "valid_until": "2030-01-01",
            "models_covered": [model.pk],
        },
    )
    assert response.status_code == 302
    certificate = RegistrationCertificate.objects.get()
    assert_audited("catalog.certificate_recorded", certificate, actor=quality)


def test_correcting_a_certificate_needs_a_reason_and_keeps_the_diff(client, quality):
    model = sellable_model()
    certificate = model.certificates.get()
    client.force_login(quality)
    url = f"/catalog/products/{model.product_id}/certificates/{certificate.pk}/"
    data = {
        "kind": "registration",
        "number": certificate.number,
        "holder": certificate.holder_id,
        "approved_on": "2021-04-01",
        "valid_until": "2030-06-30",
        "models_covered": [model.pk],
    }
    response = client.post(url, data)
    assert "reason" in response.context["form"].errors
    client.post(url, {**data, "reason": "录入时有效期抄错"})
    certificate.refresh_from_db()
    assert certificate.valid_until == date(2030, 6, 30)
    event = assert_audited("catalog.certificate_corrected", certificate, reason="录入时有效期抄错")
    assert event.changes["valid_until"] == {"before": "2029-12-31", "after": "2030-06-30"}


def test_documents_get_consecutive_versions_and_old_ones_stay(client, quality, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mdss.catalog.models import ProductDocument

    settings.MEDIA_ROOT = tmp_path
    model = ModelFactory()
    client.force_login(quality)
    for text in (b"%PDF-1.4 v1", b"%PDF-1.4 v2"):
        response = client.post(
            f"/catalog/models/{model.pk}/documents/new/",
            {
                "kind": "ifu",
                "title": "说明书",
                "effective_from": "2026-11-01",
                "file": SimpleUploadedFile("ifu.pdf", text, content_type="application/pdf"),
            },
        )
        assert response.status_code == 302
    versions = list(
        ProductDocument.objects.filter(model=model)
        .order_by("version")
        .values_list("version", flat=True)
    )
    assert versions == [1, 2]
    assert_audited("catalog.document_uploaded", ProductDocument.objects.get(version=2), version=2)
    page = client.get(f"/catalog/models/{model.pk}/").content.decode()
    assert "说明书 v2" in page and "说明书 v1" in page


def test_a_rep_cannot_upload_documents(client, rep):
    client.force_login(rep)
    assert client.get(f"/catalog/models/{ModelFactory().pk}/documents/new/").status_code == 403
