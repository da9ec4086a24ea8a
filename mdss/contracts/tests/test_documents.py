"""The printed contract and delivery note: Chinese text embedded and rendered (read
back from the PDF and drawn to a bitmap with PDFium), and scoped like the contract."""

from datetime import timedelta

import pypdfium2
import pytest

from mdss.contracts import documents
from mdss.contracts.tests.conftest import TODAY, deliver


def _pages(content: bytes):
    pdf = pypdfium2.PdfDocument(content)
    return [(page.get_textpage().get_text_range(), page.render(scale=1).to_pil()) for page in pdf]


def _ink(image, box) -> int:
    """Dark pixels in a region: glyphs drawn there, not empty boxes or blanks."""
    histogram = image.convert("L").crop(box).histogram()
    return sum(histogram[:128])


def test_the_contract_prints_in_chinese_with_the_amount_in_words(signed, hospital):
    text, image = _pages(documents.contract_pdf(signed))[0]
    assert "医疗器械销售合同" in text
    assert hospital.name in text
    assert signed.number in text
    assert "多参数监护仪" in text
    assert "叁拾捌万元整" in text  # 10 × 38,000.00
    assert "保修期：自交货之日起 12 个月" in text
    width, _height = image.size
    assert _ink(image, (0, 0, width, 90)) > 500  # the title is drawn


def test_the_delivery_note_lists_units_documents_and_receipt(signed, rep, monitor):
    from mdss.contracts import services

    monitor.product.needs_installation = True
    monitor.product.save()
    delivery = deliver(signed, rep, 2, units=["SN-A1", "SN-A2"], on=TODAY - timedelta(days=1))
    services.delivery_confirm_receipt(
        actor=rep, delivery=delivery, received_on=TODAY, received_by="设备科 张科长", today=TODAY
    )
    text, image = _pages(documents.delivery_note_pdf(delivery))[0]
    assert "医疗器械随货同行单" in text
    assert "SN-A1" in text and "SN-A2" in text
    assert "说明书、标签、合格证明" in text
    assert "设备科 张科长" in text
    assert _ink(image, (0, 0, image.size[0], 90)) > 500


@pytest.mark.django_db
def test_pdfs_are_served_within_the_contract_scope(client, signed, rep, other_rep):
    client.force_login(rep)
    response = client.get(f"/contracts/{signed.pk}/contract.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    client.force_login(other_rep)
    assert client.get(f"/contracts/{signed.pk}/contract.pdf").status_code == 404
