"""Contract scans and annexes are judged by their content (core.uploads)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mdss.contracts import services
from mdss.contracts.tests.conftest import PASSWORD, TODAY
from mdss.core.errors import ValidationFailed

HTML = b"<html><script>alert(1)</script></html>"


@pytest.mark.django_db
def test_the_annex_api_refuses_html_with_a_field_error(api_client, draft, rep, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api_client.as_user(rep)
    response = Client().post(
        f"/api/v1/contracts/{draft.pk}/attachments",
        {"title": "参数", "file": SimpleUploadedFile("spec.html", HTML, content_type="text/html")},
        headers={"Authorization": f"Bearer {api_client.token}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert not draft.attachments.exists()


def test_a_signed_scan_that_is_html_is_refused(draft, rep, legal):
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    with pytest.raises(ValidationFailed) as exc:
        services.contract_sign(
            actor=rep,
            contract=draft,
            signed_on=TODAY,
            customer_signed_on=TODAY,
            scan=SimpleUploadedFile("signed.pdf", HTML),
            today=TODAY,
        )
    assert exc.value.errors[0].field == "signed_scan"
    draft.refresh_from_db()
    assert draft.status == "approved"
