"""Demo catalog: fictional manufacturers, 32 products with models, IFU and CoC documents, certificates
(two expiring within 90 days, one expired), licences and UDI-DIs. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from .models import (
    Manufacturer,
    ManufacturerLicence,
    Product,
    ProductDocument,
    ProductModel,
    RegistrationCertificate,
    UdiDeviceIdentifier,
)

MANUFACTURERS = [
    # name, province prefix of licence numbers, licence number
    ("深圳安瑞医疗电子有限公司", "粤", "粤食药监械生产许20150101号"),
    ("苏州宏泰医疗器械有限公司", "苏", "苏食药监械生产许20160202号"),
    ("北京华康生物医学工程有限公司", "京", "京食药监械生产许20140303号"),
    ("广州健安医疗设备有限公司", "粤", "粤食药监械生产许20170404号"),
    ("杭州瑞思医疗科技有限公司", "浙", "浙食药监械生产许20180505号"),
    ("天津康仁医用材料有限公司", "津", "津食药监械生产许20190606号"),
]

# product, class, manufacturer index, category code, unit, implantable, installation, warranty, models
PRODUCTS = [
    ("彩色多普勒超声诊断系统", "II", 0, "06-07-02", "台", False, True, 24, ["DC-70", "DC-80 Pro"]),
    ("多参数监护仪", "II", 0, "07-03-03", "台", False, False, 12, ["PM-8000", "PM-9000"]),
    ("输液泵", "II", 0, "14-02-01", "台", False, False, 12, ["IP-300"]),
    ("注射泵", "II", 0, "14-02-02", "台", False, False, 12, ["SP-200"]),
    ("呼吸机", "III", 2, "08-01-01", "台", False, True, 24, ["VT-600", "VT-800"]),
    ("除颤仪", "III", 0, "10-02-01", "台", False, False, 24, ["DF-5"]),
    ("血液透析机", "III", 2, "10-04-01", "台", False, True, 24, ["HD-2000"]),
    ("心电图机", "II", 3, "07-03-01", "台", False, False, 12, ["ECG-1203", "ECG-1206"]),
    ("数字化X射线摄影系统", "II", 2, "06-02-01", "套", False, True, 24, ["DR-560"]),
    ("全自动生化分析仪", "II", 1, "22-02-02", "台", False, True, 12, ["BA-480"]),
    ("血细胞分析仪", "II", 1, "22-01-01", "台", False, True, 12, ["HA-5D"]),
    ("电子内窥镜", "II", 4, "06-14-01", "套", False, True, 12, ["EG-290", "EC-290"]),
    ("高频电刀", "III", 4, "01-01-01", "台", False, False, 12, ["ES-300"]),
    ("麻醉机", "III", 2, "08-02-01", "台", False, True, 24, ["AM-700"]),
    ("婴儿培养箱", "II", 3, "18-04-01", "台", False, True, 12, ["IC-100"]),
    ("医用分子筛制氧机", "II", 3, "08-05-01", "台", False, False, 12, ["OC-5", "OC-10"]),
    ("手术无影灯", "II", 3, "01-10-01", "套", False, True, 24, ["SL-700/500"]),
    ("电动手术台", "I", 3, "15-02-01", "台", False, True, 12, ["OT-3000"]),
    ("医用冷藏箱", "II", 1, "19-01-01", "台", False, False, 12, ["MC-300L"]),
    ("脉搏血氧仪", "II", 0, "07-03-04", "台", False, False, 12, ["SPO-10"]),
    ("电子血压计", "II", 1, "07-03-02", "台", False, False, 24, ["BP-60"]),
    ("植入式心脏起搏器", "III", 2, "12-01-01", "台", True, False, 12, ["PM-D1", "PM-S1"]),
    ("髋关节假体", "III", 5, "13-04-01", "套", True, False, 0, ["HJ-28", "HJ-32"]),
    ("一次性使用输液器", "III", 5, "14-03-01", "支", False, False, 0, ["带针 0.7mm"]),
    ("医用外科口罩", "II", 5, "14-14-01", "盒", False, False, 0, ["17.5×9.5cm"]),
    ("医用电子体温计", "II", 1, "07-03-05", "支", False, False, 12, ["TM-01"]),
    ("医用超声耦合剂", "I", 5, "06-07-06", "瓶", False, False, 0, ["250ml"]),
    ("医用检查手套", "II", 5, "14-13-01", "盒", False, False, 0, ["M", "L"]),
    ("手动病床", "I", 3, "18-01-01", "张", False, True, 12, ["HB-2"]),
    ("手动轮椅车", "I", 3, "19-01-03", "台", False, False, 12, ["WC-01"]),
    ("血糖仪", "II", 4, "22-11-01", "台", False, False, 24, ["GM-100"]),
    ("压缩式雾化器", "II", 4, "08-06-01", "台", False, False, 12, ["NB-20"]),
]


def _gtin(seed: int) -> str:
    """A GTIN-14 with a correct mod-10 check digit (company prefix 690123 is fictional)."""
    body = f"0690123{seed:06d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def seed(stdout=None, today: date | None = None):
    from mdss.core.dates import local_today

    today = today or local_today()
    if Product.objects.filter(name=PRODUCTS[0][0]).exists():
        return []
    with transaction.atomic():
        manufacturers = []
        for index, (name, province, licence_number) in enumerate(MANUFACTURERS):
            manufacturer = Manufacturer.objects.create(name=name, role="registrant", country="中国")
            manufacturers.append(manufacturer)
            ManufacturerLicence.objects.create(
                manufacturer=manufacturer,
                kind="licence",
                number=licence_number,
                issuer=f"{province}药品监督管理局",
                valid_from=date(2021, 1, 1),
                # one licence runs out within 90 days, so the quality role has work
                valid_until=today + timedelta(days=75) if index == 4 else date(2030, 12, 31),
            )
            ManufacturerLicence.objects.create(
                manufacturer=manufacturer,
                kind="filing",
                number=f"{province}械生产备2020{index:04d}号",
                issuer=f"{province}药品监督管理局",
                valid_from=date(2020, 6, 1),
                valid_until=None,
            )
        sequence = 0
        for number, (
            name,
            klass,
            maker,
            category,
            unit,
            implant,
            install,
            warranty,
            codes,
        ) in enumerate(PRODUCTS):
            manufacturer = manufacturers[maker]
            product = Product.objects.create(
                manufacturer=manufacturer,
                name=name,
                device_class=klass,
                category_code=category,
                unit=unit,
                implantable=implant,
                needs_installation=install,
                warranty_months=warranty,
                service_life_years=None if implant else 8,
                quality_standard=f"{'国械注准' if klass == 'III' else '械注'}2021{number:04d}",
            )
            models = []
            for code in codes:
                model = ProductModel.objects.create(product=product, code=code)
                sequence += 1
                UdiDeviceIdentifier.objects.create(model=model, di=_gtin(sequence))
                models.append(model)
            if klass == "I":
                certificate = RegistrationCertificate.objects.create(
                    kind="filing",
                    number=f"{MANUFACTURERS[maker][1]}械备2020{number:04d}号",
                    holder=manufacturer,
                    product=product,
                    approved_on=date(2020, 9, 1),
                    valid_until=None,
                )
            else:
                prefix = "国械注准" if klass == "III" else f"{MANUFACTURERS[maker][1]}械注准"
                if name == "压缩式雾化器":
                    valid_until = today - timedelta(days=20)  # expired: the gate refuses it
                elif name in ("注射泵", "婴儿培养箱"):
                    valid_until = today + timedelta(days=45)  # expiring soon
                else:
                    valid_until = date(2029, 6, 30)
                certificate = RegistrationCertificate.objects.create(
                    kind="registration",
                    holder=manufacturer,
                    product=product,
                    number=f"{prefix}2021{'3' if klass == 'III' else '2'}{category[:2]}{number:04d}",
                    approved_on=valid_until - timedelta(days=5 * 365),
                    valid_until=valid_until,
                )
            certificate.models_covered.set(models)
            for model in models:
                _demo_documents(model, product, manufacturer, certificate)
    return []


def _demo_documents(model, product, manufacturer, certificate) -> None:
    """An IFU and a certificate-of-conformity template per model, as short PDFs that
    carry the fields such documents must show (Q2)."""
    from django.core.files.base import ContentFile

    from mdss.core.pdf import plain_text_pdf

    for kind, title, body in (
        ("ifu", f"{product.name}说明书", "使用说明书"),
        ("coc", f"{product.name}合格证", "产品合格证"),
    ):
        text = (
            f"{body}\n产品名称：{product.name}\n型号规格：{model.code}\n"
            f"{certificate.get_kind_display()}编号：{certificate.number}\n生产企业：{manufacturer.name}\n"
            f"产品技术要求编号：{product.quality_standard}\n"
        )
        document = ProductDocument(
            model=model, kind=kind, version=1, title=title, effective_from=date(2026, 1, 1)
        )
        document.file.save(
            f"{kind}-{model.pk}.pdf", ContentFile(plain_text_pdf(text.splitlines())), save=False
        )
        document.save()
