"""Stored files are served only through views that check the record's scope."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def _body(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_customer_licence_scan_follows_the_customer_scope(client, rep, other_rep):
    from mdss.customers.tests.factories import CustomerFactory, QualificationFactory

    customer = CustomerFactory(owner=rep)
    scan = QualificationFactory(
        customer=customer, file=SimpleUploadedFile("licence.pdf", b"%PDF licence")
    )
    url = f"/customers/{customer.pk}/qualifications/{scan.pk}/file/"
    client.force_login(rep)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert url in page
    assert _body(client.get(url)) == b"%PDF licence"
    client.force_login(other_rep)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page


@pytest.mark.django_db
def test_product_documents_and_training_files(client, rep, engineer, trainer, management):
    from mdss.catalog.models import ProductDocument
    from mdss.catalog.tests.factories import ModelFactory
    from mdss.training.models import ExternalTraining, TrainingSession

    model = ModelFactory()
    document = ProductDocument.objects.create(
        model=model,
        kind="ifu",
        version=1,
        title="说明书",
        file=SimpleUploadedFile("ifu.pdf", b"%PDF ifu"),
        effective_from=date(2026, 1, 1),
        uploaded_by=management,
    )
    client.force_login(engineer)
    assert _body(client.get(f"/catalog/documents/{document.pk}/file/")) == b"%PDF ifu"
    session = TrainingSession.objects.create(
        kind="internal",
        team="service",
        title="超声维修",
        held_on=date(2026, 11, 20),
        trainer="蒋华",
        created_by=trainer,
        materials=SimpleUploadedFile("slides.pdf", b"%PDF slides"),
    )
    assert _body(client.get(f"/training/sessions/{session.pk}/materials/")) == b"%PDF slides"
    request = ExternalTraining.objects.create(
        requester=engineer,
        course="厂家高级维修认证",
        organiser="厂家",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 3),
        cost=Decimal("3000.00"),
        proof=SimpleUploadedFile("proof.pdf", b"%PDF proof"),
    )
    url = f"/training/external/{request.pk}/proof/"
    assert _body(client.get(url)) == b"%PDF proof"
    client.force_login(rep)  # another person's request: not in a rep's scope
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_verify_files_names_a_missing_or_changed_file(settings, tmp_path, rep):
    from django.core.management import CommandError, call_command

    from mdss.customers.tests.factories import CustomerFactory, QualificationFactory

    settings.MEDIA_ROOT = tmp_path
    customer = CustomerFactory(owner=rep)
    scan = QualificationFactory(
        customer=customer, file=SimpleUploadedFile("licence.pdf", b"%PDF-1.4 licence")
    )
    call_command("verify_files")
    (tmp_path / scan.file.name).unlink()
    with pytest.raises(CommandError, match=f"customers.Qualification #{scan.pk}"):
        call_command("verify_files")
