from datetime import timedelta

import pytest
import time_machine

from mdss.catalog.models import UdiDeviceIdentifier
from mdss.catalog.tests.factories import CertificateFactory, ModelFactory, sellable_model
from mdss.core.dates import local_today


@pytest.fixture(autouse=True)
def _day():
    """A fixed day: the dates these tests use are set around 27 November 2026."""
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


def test_the_list_shows_which_models_may_be_sold(client, rep):
    good = sellable_model()
    ModelFactory(code="NOPE-1")
    client.force_login(rep)
    page = client.get("/catalog/").content.decode()
    assert good.product.name in page and "NOPE-1" in page
    assert "注册证" in page or "没有覆盖型号" in page  # the refusal reason is shown


def test_the_list_costs_the_same_queries_for_more_models(client, rep):
    from mdss.core.testing import assert_fixed_queries

    sellable_model()
    client.force_login(rep)
    assert_fixed_queries(client, ["/catalog/"], lambda: [sellable_model() for _ in range(6)])


def test_the_detail_page_colours_documents_by_days_left(client, rep):
    model = ModelFactory()
    CertificateFactory(
        product=model.product,
        covers=[model],
        number="国械注准20233070042",
        valid_until=local_today() + timedelta(days=20),
    )
    client.force_login(rep)
    page = client.get(f"/catalog/models/{model.pk}/").content.decode()
    assert "国械注准20233070042" in page and "text-bg-danger" in page


def test_quality_signs_an_override_in_the_page(client, quality):
    model = ModelFactory()
    client.force_login(quality)
    today = local_today()
    response = client.post(
        f"/catalog/models/{model.pk}/",
        {
            "reason": "延续注册已受理",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=30)).isoformat(),
            "password": "correct-horse-battery-staple",
        },
    )
    assert response.status_code == 302
    assert model.overrides.count() == 1


def test_a_rep_cannot_post_an_override(client, rep):
    model = ModelFactory()
    client.force_login(rep)
    assert client.post(f"/catalog/models/{model.pk}/", {"reason": "x"}).status_code == 403


def test_the_quality_dashboard_lists_expiring_documents(client, quality):
    model = ModelFactory()
    CertificateFactory(
        product=model.product,
        covers=[model],
        number="国械注准20233070077",
        valid_until=local_today() + timedelta(days=60),
    )
    client.force_login(quality)
    page = client.get("/").content.decode()
    assert 'data-testid="figure-expiring-documents" data-value="1"' in page
    assert "国械注准20233070077" in page
    assert "国械注准20233070077" in client.get("/catalog/expiring/").content.decode()


def test_the_scan_box_reads_a_udi_and_finds_the_model(client, engineer):
    model = sellable_model()
    UdiDeviceIdentifier.objects.create(model=model, di="06901234567892")
    client.force_login(engineer)
    response = client.post(
        "/catalog/scan/",
        {"text": "(01)06901234567892(10)A1(17)280100"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert "<html" not in content and str(model) in content and "2028-01-31" in content


def test_customers_do_not_see_the_catalog_pages(client, customer_user):
    client.force_login(customer_user)
    assert client.get("/catalog/").status_code == 403


def test_an_expiring_document_links_the_model_page_that_shows_it(client, engineer):
    from mdss.catalog.tests.factories import LicenceFactory

    model = ModelFactory()
    certificate = CertificateFactory(
        product=model.product, covers=[model], valid_until=local_today() + timedelta(days=60)
    )
    licence = LicenceFactory(
        manufacturer=model.product.manufacturer, valid_until=local_today() + timedelta(days=20)
    )
    client.force_login(engineer)
    page = client.get("/catalog/expiring/").content.decode()
    assert f'href="/catalog/models/{model.pk}/#certificate-{certificate.pk}"' in page
    assert f'href="/catalog/models/{model.pk}/#licence-{licence.pk}"' in page
    detail = client.get(f"/catalog/models/{model.pk}/").content.decode()
    assert f'id="certificate-{certificate.pk}"' in detail and f'id="licence-{licence.pk}"' in detail
