"""Excel export and import of the catalog: products, models and certificates (X6).

The import is all or nothing: every row is checked first, every problem is reported
with its sheet, row and column, and nothing is written unless the whole file is
clean. Manufacturers must exist already (a typo must not create a second company).
Certificates are regulated records: the import adds new ones and leaves an existing
number alone only if the file says exactly the same; changing one is done one by
one in the admin, with its audit trail.
"""

from __future__ import annotations

import io

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from mdss.audit import services as audit
from mdss.core.dates import local_today
from mdss.core.errors import model_errors
from mdss.core.excel import ImportRefused, RowError, append_row, open_workbook
from mdss.core.excel import as_date as _as_date
from mdss.core.excel import rows as _rows
from mdss.core.excel import text as _text

from .choices import CertificateKind, DeviceClass
from .models import (
    Manufacturer,
    Product,
    ProductModel,
    RegistrationCertificate,
    UdiDeviceIdentifier,
)
from .services import certificate_errors
from .validators import di_problem

PRODUCT_COLUMNS = [
    "生产企业",
    "产品名称",
    "商品名称",
    "管理类别",
    "分类编码",
    "单位",
    "植入类",
    "需要安装调试",
    "保修期（月）",
    "使用年限（年）",
    "产品技术要求",
]
MODEL_COLUMNS = ["生产企业", "产品名称", "型号规格", "描述", "UDI-DI"]
CERTIFICATE_COLUMNS = ["证书类型", "编号", "持证人", "产品名称", "覆盖型号", "批准日期", "有效期至"]
SHEETS = {"产品": PRODUCT_COLUMNS, "型号规格": MODEL_COLUMNS, "注册证": CERTIFICATE_COLUMNS}
CERTIFICATE_KINDS = {"注册证": CertificateKind.REGISTRATION, "备案凭证": CertificateKind.FILING}
YES = {"是", "yes", "y", "true", "1"}
NO = {"否", "no", "n", "false", "0", ""}


def _header(sheet, columns):
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for index, name in enumerate(columns, 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, len(name) * 2 + 4
        )
    sheet.freeze_panes = "A2"


def export_catalog(models=None) -> bytes:
    """The catalog (or the given models) as an .xlsx file in the import's own layout."""
    models = list(
        (models if models is not None else ProductModel.objects.all())
        .select_related("product__manufacturer")
        .prefetch_related("device_identifiers")
        .order_by("product__name", "code")
    )
    products = {m.product_id: m.product for m in models}
    certificates = (
        RegistrationCertificate.objects.filter(models_covered__in=[m.pk for m in models])
        .select_related("holder", "product")
        .prefetch_related("models_covered")
        .distinct()
        .order_by("number")
    )
    book = Workbook()
    sheet = book.active
    sheet.title = "产品"
    _header(sheet, PRODUCT_COLUMNS)
    for p in sorted(products.values(), key=lambda p: p.name):
        append_row(
            sheet,
            [
                p.manufacturer.name,
                p.name,
                p.trade_name,
                p.device_class,
                p.category_code,
                p.unit,
                "是" if p.implantable else "否",
                "是" if p.needs_installation else "否",
                p.warranty_months,
                p.service_life_years,
                p.quality_standard,
            ],
        )
    sheet = book.create_sheet("型号规格")
    _header(sheet, MODEL_COLUMNS)
    for m in models:
        append_row(
            sheet,
            [
                m.product.manufacturer.name,
                m.product.name,
                m.code,
                m.description,
                "、".join(i.di for i in m.device_identifiers.all()),
            ],
        )
    sheet = book.create_sheet("注册证")
    _header(sheet, CERTIFICATE_COLUMNS)
    kind_names = {v: k for k, v in CERTIFICATE_KINDS.items()}
    for c in certificates:
        append_row(
            sheet,
            [
                kind_names[c.kind],
                c.number,
                c.holder.name,
                c.product.name,
                "、".join(m.code for m in c.models_covered.all()),
                c.approved_on,
                c.valid_until,
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PRODUCT_FIELD_COLUMNS = {
    "name": "产品名称",
    "trade_name": "商品名称",
    "device_class": "管理类别",
    "category_code": "分类编码",
    "unit": "单位",
    "warranty_months": "保修期（月）",
    "service_life_years": "使用年限（年）",
    "quality_standard": "产品技术要求",
}
CERTIFICATE_FIELD_COLUMNS = {
    "kind": "证书类型",
    "approved_on": "批准日期",
    "valid_until": "有效期至",
}


def _product_fields(row, flags, numbers) -> dict:
    return {
        "trade_name": _text(row["商品名称"]),
        "category_code": _text(row["分类编码"]),
        "unit": _text(row["单位"]) or "台",
        "implantable": flags["植入类"],
        "needs_installation": flags["需要安装调试"],
        "warranty_months": numbers["保修期（月）"] or 0,
        "service_life_years": numbers["使用年限（年）"],
        "quality_standard": _text(row["产品技术要求"]),
    }


def import_catalog(content: bytes, *, actor) -> dict[str, int]:
    """Check the whole workbook, then write it in one transaction; ImportRefused lists every problem."""
    errors: list[RowError] = []
    book = open_workbook(content)
    if not any(name in book.sheetnames for name in SHEETS):
        raise ImportRefused([RowError("", 0, "", _("No sheet named 产品, 型号规格 or 注册证."))])
    manufacturers = {m.name: m for m in Manufacturer.objects.all()}
    existing_products = {
        (p.manufacturer.name, p.name): p for p in Product.objects.select_related("manufacturer")
    }

    products_in = []
    file_products = set()
    for number, row in _rows(book, "产品", PRODUCT_COLUMNS, errors):
        maker, name = _text(row["生产企业"]), _text(row["产品名称"])
        if maker not in manufacturers:
            errors.append(
                RowError(
                    "产品",
                    number,
                    "生产企业",
                    _("Unknown manufacturer: %(name)s") % {"name": maker},
                )
            )
        if not name:
            errors.append(RowError("产品", number, "产品名称", _("Required.")))
        klass = _text(row["管理类别"]).upper()
        if klass not in DeviceClass.values:
            errors.append(RowError("产品", number, "管理类别", _("Use I, II or III.")))
        flags = {}
        for column in ("植入类", "需要安装调试"):
            value = _text(row[column]).lower()
            if value not in YES | NO:
                errors.append(RowError("产品", number, column, _("Use 是 or 否.")))
            flags[column] = value in YES
        numbers = {}
        for column in ("保修期（月）", "使用年限（年）"):
            value = _text(row[column])
            whole = value.isascii() and value.isdigit() and len(value) < 10
            if value and not whole:
                errors.append(RowError("产品", number, column, _("A whole number, please.")))
            numbers[column] = int(value) if whole else None
        # The same rules as the product form: every field through the model's validators.
        probe = Product(
            manufacturer=manufacturers.get(maker),
            name=name,
            device_class=klass,
            **_product_fields(row, flags, numbers),
        )
        for error in model_errors(probe, exclude=["manufacturer"]):
            errors.append(
                RowError("产品", number, PRODUCT_FIELD_COLUMNS.get(error.field, ""), error.message)
            )
        products_in.append((number, maker, name, row, klass, flags, numbers))
        file_products.add((maker, name))

    models_in = []
    seen_models = set()
    known_dis = set(UdiDeviceIdentifier.objects.values_list("di", flat=True))
    for number, row in _rows(book, "型号规格", MODEL_COLUMNS, errors):
        key = (_text(row["生产企业"]), _text(row["产品名称"]))
        code = _text(row["型号规格"])
        if key not in file_products and key not in existing_products:
            errors.append(
                RowError(
                    "型号规格", number, "产品名称", _("No such product in the file or the catalog.")
                )
            )
        if not code:
            errors.append(RowError("型号规格", number, "型号规格", _("Required.")))
        if (key, code) in seen_models:
            errors.append(RowError("型号规格", number, "型号规格", _("This model appears twice.")))
        seen_models.add((key, code))
        dis = [d.strip() for d in _text(row["UDI-DI"]).replace(";", "、").split("、") if d.strip()]
        for di in dis:
            if problem := di_problem(di):
                errors.append(RowError("型号规格", number, "UDI-DI", problem))
        models_in.append((number, key, code, _text(row["描述"]), dis))

    existing_models = set(
        ProductModel.objects.values_list("product__manufacturer__name", "product__name", "code")
    )
    certificates_in = []
    existing_certificates = {
        c.number: c for c in RegistrationCertificate.objects.select_related("product")
    }
    for number, row in _rows(book, "注册证", CERTIFICATE_COLUMNS, errors):
        kind = CERTIFICATE_KINDS.get(_text(row["证书类型"]))
        if kind is None:
            errors.append(RowError("注册证", number, "证书类型", _("Use 注册证 or 备案凭证.")))
        cert_number = _text(row["编号"])
        holder = _text(row["持证人"])
        if holder not in manufacturers:
            errors.append(
                RowError(
                    "注册证",
                    number,
                    "持证人",
                    _("Unknown manufacturer: %(name)s") % {"name": holder},
                )
            )
        key = (holder, _text(row["产品名称"]))
        if key not in file_products and key not in existing_products:
            errors.append(
                RowError(
                    "注册证", number, "产品名称", _("No such product in the file or the catalog.")
                )
            )
        codes = [
            c.strip() for c in _text(row["覆盖型号"]).replace(";", "、").split("、") if c.strip()
        ]
        for code in codes:
            if (key, code) not in seen_models and (*key, code) not in existing_models:
                errors.append(
                    RowError(
                        "注册证", number, "覆盖型号", _("Unknown model: %(code)s") % {"code": code}
                    )
                )
        try:
            approved_on, valid_until = _as_date(row["批准日期"]), _as_date(row["有效期至"])
        except ValueError:
            errors.append(
                RowError("注册证", number, "批准日期", _("Dates are written 2026-03-31."))
            )
            continue
        if approved_on is None:
            errors.append(RowError("注册证", number, "批准日期", _("Required.")))
        if kind == CertificateKind.REGISTRATION and valid_until is None:
            errors.append(
                RowError(
                    "注册证",
                    number,
                    "有效期至",
                    _("A registration certificate has an expiry date."),
                )
            )
        product = existing_products.get(key) or Product(
            device_class=next((p[4] for p in products_in if (p[1], p[2]) == key), "")
        )
        probe = RegistrationCertificate(
            kind=kind, number=cert_number, approved_on=approved_on, valid_until=valid_until
        )
        for error in certificate_errors(probe, product, today=local_today()):
            if error.rule != "required":  # reported above in the sheet's own words
                errors.append(
                    RowError(
                        "注册证", number, CERTIFICATE_FIELD_COLUMNS[error.field], error.message
                    )
                )
        if cert_number in existing_certificates:
            old = existing_certificates[cert_number]
            if (old.approved_on, old.valid_until, old.product.name) != (
                approved_on,
                valid_until,
                key[1],
            ):
                errors.append(
                    RowError(
                        "注册证",
                        number,
                        "编号",
                        _("Certificate %(number)s exists with other data; change it in the admin.")
                        % {"number": cert_number},
                    )
                )
            continue
        certificates_in.append((number, kind, cert_number, key, codes, approved_on, valid_until))

    for number, _key, _code, _description, dis in models_in:
        for di in dis:
            if di in known_dis:
                errors.append(
                    RowError(
                        "型号规格",
                        number,
                        "UDI-DI",
                        _("UDI-DI %(di)s is already used.") % {"di": di},
                    )
                )
            known_dis.add(di)
    if errors:
        raise ImportRefused(errors)

    counts = {"products": 0, "models": 0, "certificates": 0}
    with transaction.atomic():
        products = dict(existing_products)
        for _number, maker, name, row, klass, flags, numbers in products_in:
            defaults = {"device_class": klass, **_product_fields(row, flags, numbers)}
            product, created = Product.objects.update_or_create(
                manufacturer=manufacturers[maker], name=name, defaults=defaults
            )
            products[(maker, name)] = product
            counts["products"] += created
        models = {}
        for _number, key, code, description, dis in models_in:
            model, created = ProductModel.objects.update_or_create(
                product=products[key], code=code, defaults={"description": description}
            )
            for di in dis:
                UdiDeviceIdentifier.objects.create(model=model, di=di)
            models[(key, code)] = model
            counts["models"] += created
        for _number, kind, cert_number, key, codes, approved_on, valid_until in certificates_in:
            certificate = RegistrationCertificate.objects.create(
                kind=kind,
                number=cert_number,
                holder=manufacturers[key[0]],
                product=products[key],
                approved_on=approved_on,
                valid_until=valid_until,
            )
            certificate.models_covered.set(
                [
                    models.get((key, code))
                    or ProductModel.objects.get(product=products[key], code=code)
                    for code in codes
                ]
            )
            counts["certificates"] += 1
        audit.record(actor=actor, action="catalog.imported", changes=counts)
    return counts
