"""Every bad input found in review is a 4xx or a form error naming the field, never a
500, and writes nothing. One table per door: the API, the pages, the imports."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client

from mdss.contracts.models import Contract, Delivery, Instalment, Payment, Problem
from mdss.pricing.models import PriceAdjustment

BIG = "9" * 30


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Contract, Payment, Instalment, Delivery, Problem, PriceAdjustment)
    }


def _api(user):
    from mdss.accounts.services import api_token_create

    _token, raw = api_token_create(user=user, name="fuzz", actor=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


# (what, method, path (formatted with the contract), JSON body, expected statuses, field)
API_CASES = [
    ("amount 1e30", "post", "/api/v1/contracts/{c}/payments",
     {"received_on": "2026-11-27", "amount": "1e30"}, {422}, "amount"),
    ("amount 1e308", "post", "/api/v1/contracts/{c}/payments",
     {"received_on": "2026-11-27", "amount": 1e308}, {422}, "amount"),
    ("amount of 30 digits", "post", "/api/v1/contracts/{c}/payments",
     {"received_on": "2026-11-27", "amount": BIG}, {422}, "amount"),
    ("payment before 2000", "post", "/api/v1/contracts/{c}/payments",
     {"received_on": "1999-12-31", "amount": "10.00"}, {422}, "received_on"),
    ("payment before signing", "post", "/api/v1/contracts/{c}/payments",
     {"received_on": "2026-11-01", "amount": "10.00"}, {422}, "received_on"),
    ("reference longer than its column", "post", "/api/v1/contracts/{c}/payments",
     {"received_on": "2026-11-27", "amount": "10.00", "reference": "x" * 500}, {422}, "reference"),
    ("NUL in text", "post", "/api/v1/contracts/{c}/payments",
     {"received_on": "2026-11-27", "amount": "10.00", "reference": "a\x00b"}, {400}, "reference"),
    ("instalment 1e30", "put", "/api/v1/contracts/{c}/instalments",
     [{"due_on": "2027-01-31", "amount": "1e30"}], {422}, "instalments.1.amount"),
    ("carrier longer than its column", "post", "/api/v1/contracts/{c}/deliveries",
     {"delivered_on": "2026-11-27", "carrier": "x" * 500, "items": [{"line_id": "{line}",
      "quantity": 1, "units": ["SN-B1"]}], "documents": {"{model}": ["ifu", "label", "coc"]}},
     {422}, "carrier"),
    ("delivery before signing", "post", "/api/v1/contracts/{c}/deliveries",
     {"delivered_on": "2026-01-05", "items": [{"line_id": "{line}", "quantity": 1,
      "units": ["SN-B2"]}], "documents": {"{model}": ["ifu", "label", "coc"]}},
     {422}, "delivered_on"),
    ("a description of 100,000 characters", "post", "/api/v1/contracts/{c}/problems",
     {"kind": "quality", "description": "问" * 100_000}, {422}, "description"),
    ("id beyond 64 bits", "post", "/api/v1/contracts/{c}/deliveries",
     {"delivered_on": "2026-11-27", "items": [{"line_id": int(BIG), "quantity": 1}],
      "documents": {}}, {400}, "items.1.line_id"),
    ("warranty of a billion months", "post", "/api/v1/contracts",
     {"customer_id": "{customer}", "warranty_months": 1_000_000_000}, {422}, "warranty_months"),
    ("price request 1e30", "post", "/api/v1/pricing/adjustments",
     {"customer_id": "{customer}", "model_id": "{model}", "quantity": 1,
      "requested_price": "1e30", "reason": "x"}, {422}, "requested_price"),
]  # fmt: skip


def _fill(value, names):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return names[value[1:-1]]
    if isinstance(value, dict):
        return {_fill(k, names): _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


@pytest.mark.parametrize(("what", "method", "path", "body", "statuses", "field"), API_CASES)
def test_the_api_refuses(what, method, path, body, statuses, field, signed, rep, monitor):
    monitor.product.needs_installation = True
    monitor.product.save()
    names = {
        "c": signed.pk,
        "line": signed.lines.get().pk,
        "model": monitor.pk,
        "customer": signed.customer_id,
    }
    import json

    before = _counts()
    client = _api(rep)
    url = path.format(**names)
    response = getattr(client, method)(
        url, json.dumps(_fill(body, names)), content_type="application/json"
    )
    assert response.status_code in statuses, (what, response.status_code, response.content[:300])
    assert field in {e["field"] for e in response.json()["errors"]}, (what, response.json())
    assert _counts() == before, what


# (what, path, expected status): query strings that used to reach the database.
QUERY_CASES = [
    ("page beyond 64 bits", "/api/v1/contracts?page=99999999999999999999", 400),
    ("page 1e20", "/api/v1/contracts?page=1e20", 422),
    ("page beyond the bound", "/api/v1/contracts?page=100001", 422),
    ("customer filter beyond 64 bits", f"/api/v1/contracts?customer={BIG}", 400),
    ("NUL in a search", "/api/v1/contracts?search=a%00b", 400),
    ("year 10000", "/api/v1/training/compliance?year=10000", 422),
    ("a huge negative year", f"/api/v1/training/compliance?year=-{BIG}", 400),
    ("page view beyond 64 bits", "/customers/?page=99999999999999999999", 400),
    ("page view search with NUL", "/customers/?q=a%00b", 400),
    ("ledger page beyond 64 bits", f"/contracts/?customer={BIG}", 400),
]


@pytest.mark.parametrize(("what", "path", "status"), QUERY_CASES)
def test_query_strings_are_bounded(what, path, status, management):
    client = _api(management)
    client.force_login(management)
    response = client.get(path)
    assert response.status_code == status, (what, response.content[:300])


@pytest.mark.parametrize(
    "path",
    ["/{c}/attachments", "/{c}/sign", "/amendments/1/sign"],
)
def test_a_multipart_body_without_its_boundary_is_a_400(path, draft, rep):
    response = _api(rep).post(
        "/api/v1/contracts" + path.format(c=draft.pk),
        b"--x\r\nContent-Disposition: form-data; name=title\r\n\r\nx\r\n--x--",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_the_payment_page_shows_a_huge_amount_on_its_field(client, signed, rep):
    client.force_login(rep)
    before = _counts()
    response = client.post(
        f"/contracts/{signed.pk}/payments/",
        {"pay-received_on": "2026-11-27", "pay-amount": "1e30", "pay-reference": ""},
    )
    assert response.status_code in {200, 422}
    assert "1,000,000,000,000" in response.content.decode() or "1000000000000" in (
        response.content.decode()
    )
    assert _counts() == before


# --- imports -------------------------------------------------------------------------


def _workbook(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _catalog_rows(**changes):
    from mdss.catalog.excel import CERTIFICATE_COLUMNS, MODEL_COLUMNS, PRODUCT_COLUMNS

    product = dict.fromkeys(PRODUCT_COLUMNS, "")
    product.update(
        {"生产企业": "迈瑞", "产品名称": "监护仪", "管理类别": "II", "植入类": "否",
         "需要安装调试": "是", "保修期（月）": "12"}
    )  # fmt: skip
    model = dict.fromkeys(MODEL_COLUMNS, "")
    model.update({"生产企业": "迈瑞", "产品名称": "监护仪", "型号规格": "M-1"})
    certificate = {
        "证书类型": "注册证", "编号": "国械注准20263070001", "持证人": "迈瑞",
        "产品名称": "监护仪", "覆盖型号": "M-1", "批准日期": "2024-01-01", "有效期至": "2029-01-01",
    }  # fmt: skip
    for sheet, column, value in changes.get("set", []):
        {"产品": product, "型号规格": model, "注册证": certificate}[sheet][column] = value
    return _workbook(
        {
            "产品": [PRODUCT_COLUMNS, [product[c] for c in PRODUCT_COLUMNS]],
            "型号规格": [MODEL_COLUMNS, [model[c] for c in MODEL_COLUMNS]],
            "注册证": [CERTIFICATE_COLUMNS, [certificate[c] for c in CERTIFICATE_COLUMNS]],
        }
    )


@pytest.mark.parametrize(
    ("sheet", "column", "value"),
    [
        ("注册证", "有效期至", "0001-01-01"),
        ("注册证", "批准日期", "9999-12-31"),
        ("型号规格", "UDI-DI", "GARBAGE-DI"),
        ("型号规格", "UDI-DI", "０６９３１２３４５６７８９２"),
        ("产品", "保修期（月）", "1000000000000"),
        ("产品", "产品名称", "监" * 300),
    ],
)
def test_the_catalog_import_refuses_what_the_screen_refuses(sheet, column, value, quality):
    from mdss.catalog import excel
    from mdss.catalog.models import Product, RegistrationCertificate
    from mdss.catalog.tests.factories import ManufacturerFactory

    ManufacturerFactory(name="迈瑞")
    content = _catalog_rows(set=[(sheet, column, value)])
    if column == "产品名称":  # the model and the certificate name the same product
        content = _catalog_rows(
            set=[(s, "产品名称", value) for s in ("产品", "型号规格", "注册证")]
        )
    with pytest.raises(excel.ImportRefused) as refused:
        excel.import_catalog(content, actor=quality)
    assert column in {e.column for e in refused.value.errors}, refused.value.errors
    assert not Product.objects.exists() and not RegistrationCertificate.objects.exists()


def test_a_valid_catalog_file_still_imports(quality):
    from mdss.catalog import excel
    from mdss.catalog.tests.factories import ManufacturerFactory

    ManufacturerFactory(name="迈瑞")
    counts = excel.import_catalog(_catalog_rows(), actor=quality)
    assert counts == {"products": 1, "models": 1, "certificates": 1}


def test_the_customer_import_refuses_a_name_longer_than_the_column(sales_manager, rep):
    from mdss.accounts.tests.factories import RegionFactory
    from mdss.customers import excel
    from mdss.customers.models import Customer

    RegionFactory(code="330000", name="浙江省")
    row = dict.fromkeys(excel.COLUMNS, "")
    row.update(
        {"客户名称": "医" * 300, "客户类型": "民营医院", "省份": "浙江省", "负责销售": "rep"}
    )
    content = _workbook({excel.SHEET: [excel.COLUMNS, [row[c] for c in excel.COLUMNS]]})
    with pytest.raises(excel.ImportRefused) as refused:
        excel.import_customers(content, actor=sales_manager)
    assert "客户名称" in {e.column for e in refused.value.errors}
    assert not Customer.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(quality, settings):
    from mdss.catalog import excel

    settings.MDSS_IMPORT_MAX_UNPACKED_BYTES = 20_000
    rows = [["x" * 100] * 10 for _ in range(200)]  # ~200 KB of cells, a few KB zipped
    with pytest.raises(excel.ImportRefused) as refused:
        excel.import_catalog(_workbook({"产品": rows}), actor=quality)
    assert "MB" in refused.value.errors[0].message


def test_a_sheet_with_too_many_rows_is_refused(quality, settings):
    from mdss.catalog import excel
    from mdss.catalog.excel import PRODUCT_COLUMNS

    settings.MDSS_IMPORT_MAX_ROWS = 3
    rows = [PRODUCT_COLUMNS] + [["迈瑞", f"产品{n}"] for n in range(5)]
    with pytest.raises(excel.ImportRefused) as refused:
        excel.import_catalog(_workbook({"产品": rows}), actor=quality)
    assert any("at most" in e.message or "最多" in e.message for e in refused.value.errors)


def test_a_megabyte_scan_is_refused_at_once():
    from mdss.catalog.udi import parse_udi

    result = parse_udi("01" + "9" * 1_000_000)
    assert not result.ok and "512" in result.errors[0]


def test_full_width_digits_are_not_a_gtin():
    from mdss.catalog.udi import parse_udi
    from mdss.catalog.validators import di_problem

    assert di_problem("０６９３１２３４５６７８９２")
    assert not parse_udi("(01)０６９３１２３４５６７８９２(21)SN1").ok
    assert di_problem("06931234567899") is None


def test_rows_are_checked_against_their_columns_before_save(rep):
    from mdss.core.errors import ValidationFailed
    from mdss.customers.tests.factories import CustomerFactory

    customer = CustomerFactory(owner=rep)
    customer.address = "路" * 301
    with pytest.raises(ValidationFailed) as exc:
        customer.save()
    assert exc.value.errors[0].field == "address"
    customer.refresh_from_db()
    customer.needs_notes = "x\x00y"
    with pytest.raises(ValidationFailed):
        customer.save()
    assert connection.vendor in {"sqlite", "postgresql"}


def test_money_parsing_never_raises():
    from mdss.core.money import to_decimal

    for text in ("1e308", "1e30", BIG, "-1e999999", "NaN", "Infinity", "1" * 100, "１２"):
        value = to_decimal(text)
        assert value is None or value == Decimal("12.00"), text
    assert date(2026, 1, 1)  # the module's imports stay used
