"""The printable contract (销售合同) and delivery note (随货同行单) as PDF.

Texts are in Chinese whatever the reader's language: these are the documents the
customer signs and keeps, and the inspectors read."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from mdss.catalog.models import RegistrationCertificate
from mdss.core.pdf import Document, rmb_in_words

from .choices import AmendmentStatus
from .services.performance import DOCUMENT_KINDS as DOCUMENT_NAMES


def _date(value) -> str:
    return value.strftime("%Y 年 %m 月 %d 日") if value else "____ 年 __ 月 __ 日"


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _certificates(model_ids, on) -> dict[int, str]:
    """The registration certificate number of each model, valid on the date if any."""
    numbers: dict[int, str] = {}
    rows = (
        RegistrationCertificate.objects.filter(models_covered__in=model_ids)
        .prefetch_related("models_covered")
        .order_by("-valid_until")
    )
    for cert in rows:
        for model in cert.models_covered.all():
            valid = cert.voided_at is None and (on is None or cert.valid_until >= on)
            if model.pk in model_ids and (valid or model.pk not in numbers):
                numbers.setdefault(model.pk, cert.number)
    return numbers


def contract_pdf(contract) -> bytes:
    from .models import Contract

    contract = Contract.objects.select_related("customer", "rep").get(pk=contract.pk)
    customer = contract.customer
    lines = list(contract.lines.select_related("model__product__manufacturer").order_by("id"))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    tax = (total * contract.tax_rate / (100 + contract.tax_rate)).quantize(Decimal("0.01"))
    certificates = _certificates({line.model_id for line in lines}, contract.signed_on)
    doc = Document(title=f"医疗器械销售合同 {contract.number}", reference=contract.number)
    doc.heading("医疗器械销售合同")
    doc.fields(
        [
            ("合同编号", contract.number),
            ("合同类型", contract.get_kind_display()),
            ("甲方（买方）", customer.name),
            ("地址", customer.address),
            ("统一社会信用代码", customer.credit_code),
            ("乙方（卖方）", settings.MDSS_COMPANY_NAME),
            ("地址", settings.MDSS_COMPANY_ADDRESS),
            ("经营许可证", settings.MDSS_COMPANY_LICENCE),
            ("销售代表", str(contract.rep)),
        ]
    )
    doc.section("一、产品名称、型号规格、数量和价款")
    doc.grid(
        ["序号", "产品名称", "型号规格", "注册证编号", "数量", "单价（元）", "金额（元）"],
        [
            [
                n,
                line.model.product.name,
                line.model.code,
                certificates.get(line.model_id, ""),
                line.quantity,
                _money(line.unit_price),
                _money(line.amount),
            ]
            for n, line in enumerate(lines, start=1)
        ],
        widths=[10, 36, 30, 36, 12, 25, 25],
        align="CLLLRRR",
    )
    doc.paragraph(
        f"合计金额（含税）：人民币 {_money(total)} 元（大写：{rmb_in_words(total)}），"
        f"其中增值税 {contract.tax_rate.normalize():f}%：{_money(tax)} 元。"
    )
    doc.section("二、交货")
    doc.fields(
        [
            ("交货地点", contract.delivery_place),
            ("交货期限", _date(contract.delivery_deadline)),
        ]
    )
    doc.section("三、付款方式")
    doc.paragraph(contract.payment_terms)
    plan = list(contract.instalments.order_by("due_on", "id"))
    if plan:
        doc.grid(
            ["期次", "付款日期", "金额（元）", "说明"],
            [
                [n, i.due_on.isoformat(), _money(i.amount), i.note]
                for n, i in enumerate(plan, start=1)
            ],
            widths=[14, 36, 36, 88],
            align="CLRL",
        )
    doc.section("四、质量标准")
    doc.paragraph(contract.quality_standard)
    doc.section("五、售后服务")
    doc.paragraph(
        f"保修期：自交货之日起 {contract.warranty_months} 个月。{contract.after_sales_terms}"
    )
    doc.section("六、其他约定")
    doc.paragraph(contract.other_clauses)
    amendments = list(contract.amendments.filter(status=AmendmentStatus.EFFECTIVE).order_by("seq"))
    if amendments:
        doc.section("七、合同变更")
        doc.paragraph(
            "本合同已按下列变更协议变更，以上条款为变更后现行有效的条款：\n"
            + "\n".join(f"{a.number}（{_date(a.signed_on)}签订）：{a.reason}" for a in amendments)
        )
    if contract.legal_signature_id:
        doc.paragraph(
            f"本合同已经乙方法务审核（{contract.legal_reviewer}，"
            f"{contract.legal_signature.signed_at:%Y-%m-%d}，电子签名）。",
            size=8,
        )
    doc.signatures(
        ["甲方（盖章）：", "授权代表（签字）：", f"签订日期：{_date(contract.customer_signed_on)}"],
        ["乙方（盖章）：", "授权代表（签字）：", f"签订日期：{_date(contract.signed_on)}"],
    )
    return doc.render()


def delivery_note_pdf(delivery) -> bytes:
    from .models import Delivery

    delivery = Delivery.objects.select_related("contract__customer").get(pk=delivery.pk)
    contract, customer = delivery.contract, delivery.contract.customer
    items = list(
        delivery.items.select_related("line__model__product__manufacturer")
        .prefetch_related("devices")
        .order_by("id")
    )
    certificates = _certificates({i.line.model_id for i in items}, delivery.delivered_on)
    doc = Document(title=f"随货同行单 {delivery.number}", reference=delivery.number)
    doc.heading("医疗器械随货同行单")
    doc.fields(
        [
            ("单号", delivery.number),
            ("合同编号", contract.number),
            ("收货单位", customer.name),
            ("收货地址", contract.delivery_place or customer.address),
            ("发货单位", f"{settings.MDSS_COMPANY_NAME}（{settings.MDSS_COMPANY_LICENCE}）"),
            ("发货日期", _date(delivery.delivered_on)),
            ("承运", f"{delivery.carrier} {delivery.tracking_number}".strip()),
        ]
    )
    rows, serials = [], []
    for n, item in enumerate(items, start=1):
        model = item.line.model
        units = list(item.devices.all())
        expiry = min((u.expiry_date for u in units if u.expiry_date), default=None)
        rows.append(
            [
                n,
                model.product.name,
                model.code,
                certificates.get(model.pk, ""),
                model.product.manufacturer.name,
                item.quantity,
                "、".join(sorted({u.lot for u in units if u.lot})),
                expiry.isoformat() if expiry else "",
            ]
        )
        numbers = [u.serial for u in units if u.serial]
        if numbers:
            serials.append(f"{model.product.name} {model.code}：{'、'.join(numbers)}")
    doc.section("货品明细")
    doc.grid(
        ["序号", "产品名称", "型号规格", "注册证编号", "生产企业", "数量", "批号", "有效期至"],
        rows,
        widths=[10, 30, 24, 32, 32, 12, 18, 16],
        align="CLLLLRLL",
    )
    if serials:
        doc.section("序列号")
        doc.paragraph("\n".join(serials), size=9)
    doc.section("随货资料")
    documents = delivery.documents or {}
    names = {
        str(i.line.model_id): f"{i.line.model.product.name} {i.line.model.code}" for i in items
    }
    doc.paragraph(
        "\n".join(
            f"{names.get(model_id, model_id)}："
            + "、".join(name for kind, name in DOCUMENT_NAMES.items() if kind in kinds)
            for model_id, kinds in documents.items()
        )
    )
    doc.section("收货确认")
    if delivery.received_on:
        doc.paragraph(f"已于 {_date(delivery.received_on)} 由 {delivery.received_by} 签收。")
    else:
        doc.paragraph("货品、数量、批号/序列号及随货资料经核对无误。")
    doc.signatures(
        ["发货人（签字）：", f"日期：{_date(delivery.delivered_on)}"],
        ["收货人（签字）：", f"日期：{_date(delivery.received_on)}"],
    )
    return doc.render()
