"""Excel export and all-or-nothing import of the catalog."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from mdss.audit.testing import assert_audited
from mdss.catalog import excel
from mdss.catalog.models import Product, ProductModel, RegistrationCertificate
from mdss.catalog.tests.factories import ManufacturerFactory, sellable_model


def _book(products=(), models=(), certificates=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "产品"
    sheet.append(excel.PRODUCT_COLUMNS)
    for row in products:
        sheet.append(row)
    sheet = book.create_sheet("型号规格")
    sheet.append(excel.MODEL_COLUMNS)
    for row in models:
        sheet.append(row)
    sheet = book.create_sheet("注册证")
    sheet.append(excel.CERTIFICATE_COLUMNS)
    for row in certificates:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def maker(db):
    return ManufacturerFactory(name="深圳安瑞医疗电子有限公司")


def test_a_clean_file_imports_products_models_and_certificates(maker, quality):
    content = _book(
        products=[
            [
                maker.name,
                "输液泵",
                "安瑞泵",
                "II",
                "14-02-01",
                "台",
                "否",
                "否",
                12,
                8,
                "粤械注准20212140001",
            ]
        ],
        models=[
            [maker.name, "输液泵", "IP-300", "", "06901234567892"],
            [maker.name, "输液泵", "IP-500", "", ""],
        ],
        certificates=[
            [
                "注册证",
                "粤械注准20212140001",
                maker.name,
                "输液泵",
                "IP-300、IP-500",
                date(2021, 5, 1),
                date(2026, 4, 30),
            ]
        ],
    )
    counts = excel.import_catalog(content, actor=quality)
    assert counts == {"products": 1, "models": 2, "certificates": 1}
    certificate = RegistrationCertificate.objects.get(number="粤械注准20212140001")
    assert sorted(certificate.models_covered.values_list("code", flat=True)) == ["IP-300", "IP-500"]
    assert_audited("catalog.imported", actor=quality, products=1)


def test_one_bad_row_imports_nothing_and_every_problem_is_named(maker, quality):
    content = _book(
        products=[
            [maker.name, "输液泵", "", "II", "", "台", "否", "否", 12, "", ""],
            ["不存在的公司", "监护仪", "", "IV", "", "台", "也许", "否", "十二", "", ""],
        ],
        models=[[maker.name, "输液泵", "IP-300", "", ""], [maker.name, "呼吸机", "V1", "", ""]],
        certificates=[["许可证", "X1", maker.name, "输液泵", "IP-300", "2021-05-01", ""]],
    )
    with pytest.raises(excel.ImportRefused) as refused:
        excel.import_catalog(content, actor=quality)
    problems = {(e.sheet, e.row, e.column) for e in refused.value.errors}
    assert {
        ("产品", 3, "生产企业"),
        ("产品", 3, "管理类别"),
        ("产品", 3, "植入类"),
        ("产品", 3, "保修期（月）"),
        ("型号规格", 3, "产品名称"),
        ("注册证", 2, "证书类型"),
    } <= problems
    assert not Product.objects.exists() and not ProductModel.objects.exists()


def test_a_changed_existing_certificate_is_refused(quality):
    model = sellable_model()
    certificate = model.certificates.get()
    content = _book(
        certificates=[
            [
                "注册证",
                certificate.number,
                model.product.manufacturer.name,
                model.product.name,
                model.code,
                certificate.approved_on,
                date(2030, 1, 1),
            ]
        ]
    )
    with pytest.raises(excel.ImportRefused) as refused:
        excel.import_catalog(content, actor=quality)
    assert refused.value.errors[0].column == "编号"


def test_not_an_excel_file(quality):
    with pytest.raises(excel.ImportRefused):
        excel.import_catalog(b"hello", actor=quality)


def test_the_export_reads_back_in_the_import_layout(db, quality):
    model = sellable_model()
    book = load_workbook(io.BytesIO(excel.export_catalog()))
    assert book.sheetnames == ["产品", "型号规格", "注册证"]
    assert [c.value for c in book["型号规格"][1]] == excel.MODEL_COLUMNS
    assert book["型号规格"].cell(2, 3).value == model.code
    # Exporting and importing again changes nothing and is accepted.
    counts = excel.import_catalog(excel.export_catalog(), actor=quality)
    assert counts == {"products": 0, "models": 0, "certificates": 0}


def test_the_pages_export_and_import(client, quality, rep, maker):
    client.force_login(rep)
    response = client.get("/catalog/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/catalog/import/").status_code == 403
    client.force_login(quality)
    bad = _book(products=[[maker.name, "输液泵", "", "IX", "", "台", "否", "否", 12, "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        "/catalog/import/", {"file": SimpleUploadedFile("c.xlsx", bad)}
    ).content.decode()
    assert 'data-testid="import-errors"' in page and "管理类别" in page
