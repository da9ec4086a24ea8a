"""Uploads are judged by their content; downloads never render in our origin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.core import uploads
from mdss.core.errors import ValidationFailed
from mdss.core.pdf import plain_text_pdf

HTML = b"<html><script>fetch('/api/v1/accounts/tokens',{method:'POST'})</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (plain_text_pdf(["许可证"]), uploads.PDF),
        (PNG, uploads.PNG),
        (JPEG, uploads.JPEG),
        (HTML, None),
        (SVG, None),
        (b"PK\x03\x04 not a workbook", None),
    ],
)
def test_the_kind_comes_from_the_bytes(content, kind):
    assert uploads.sniff(io.BytesIO(content)) is kind


def test_a_workbook_is_a_spreadsheet_and_not_a_document():
    workbook = SimpleUploadedFile("data.xlsx", _xlsx())
    assert uploads.sniff(workbook) is uploads.XLSX
    assert uploads.problem(workbook, uploads.SPREADSHEET) is None
    assert "PDF" in uploads.problem(workbook, uploads.DOCUMENT)


def test_an_html_licence_named_pdf_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as exc:
        uploads.check(SimpleUploadedFile("licence.pdf", HTML), field="signed_scan")
    assert exc.value.errors[0].field == "signed_scan"
    assert exc.value.errors[0].rule == "file_type"


def test_a_pdf_called_html_is_stored_under_the_pdf_extension():
    upload = SimpleUploadedFile("licence.html", plain_text_pdf(["x"]))
    uploads.check(upload, field="file")
    assert upload.name == "licence.pdf"


def test_a_file_over_the_limit_is_refused(settings):
    settings.MDSS_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as exc:
        uploads.check(SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 200), field="file")
    assert exc.value.errors[0].field == "file"


@pytest.mark.django_db
def test_the_qualification_page_refuses_an_svg_scan(client, rep, settings, tmp_path):
    from mdss.customers.models import Qualification
    from mdss.customers.tests.factories import CustomerFactory

    settings.MEDIA_ROOT = tmp_path
    customer = CustomerFactory(owner=rep)
    client.force_login(rep)
    response = client.post(
        f"/customers/{customer.pk}/qualifications/new/",
        {
            "kind": "medical_institution",
            "number": "PDY00000001",
            "valid_from": "2024-01-01",
            "valid_until": "2028-12-31",
            "file": SimpleUploadedFile("licence.svg", SVG, content_type="image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Qualification.objects.exists()


@pytest.mark.django_db
def test_an_import_that_is_not_a_workbook_is_refused(client, quality):
    client.force_login(quality)
    response = client.post(
        "/catalog/import/", {"file": SimpleUploadedFile("catalog.xlsx", HTML)}, follow=True
    )
    assert "file" in response.context["form"].errors


def _stored_qualification(rep, content, name, tmp_path, settings):
    from django.core.files.base import ContentFile

    from mdss.customers.tests.factories import CustomerFactory, QualificationFactory

    settings.MEDIA_ROOT = tmp_path
    customer = CustomerFactory(owner=rep)
    # Stored behind the check's back (a file from before it existed).
    qualification = QualificationFactory(customer=customer, file=ContentFile(content, name=name))
    return f"/customers/{customer.pk}/qualifications/{qualification.pk}/file/"


@pytest.mark.django_db
def test_a_checked_pdf_opens_inline_but_sandboxed(client, rep, settings, tmp_path):
    url = _stored_qualification(rep, plain_text_pdf(["许可证"]), "licence.pdf", tmp_path, settings)
    client.force_login(rep)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.django_db
def test_a_stored_html_file_is_only_ever_a_download(client, rep, settings, tmp_path):
    url = _stored_qualification(rep, HTML, "licence.html", tmp_path, settings)
    client.force_login(rep)
    response = client.get(url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_every_page_carries_a_policy_that_forbids_inline_script(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_no_template_carries_inline_script_or_event_handlers():
    """What the policy would block, caught before a browser does: <script> without src
    (other than JSON data), on…= attributes and javascript: links."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    offenders = []
    for template in [*root.glob("mdss/*/templates/**/*.html"), *root.glob("templates/**/*.html")]:
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{template.name}: {match.group()}")
        offenders += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        offenders += [f"{template.name}: javascript:" for _ in re.findall(r"javascript:", text)]
    assert offenders == []
