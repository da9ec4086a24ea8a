"""Excel exports of contracts (X6): the ledger (合同台账, S10) and the sales record
that inspections ask for (销售记录: per unit or lot sold, with the product's
certificate, the maker's licence and the buyer's licence). Cells are formula-safe;
every export is an audit event. Rows follow the viewer's scope."""

from __future__ import annotations

from datetime import date

from mdss.audit import services as audit
from mdss.catalog.models import ManufacturerLicence, RegistrationCertificate
from mdss.core.excel import add_sheet, append_row, new_workbook, to_bytes

from .choices import ContractStatus
from .models import DeliveryItem

LEDGER_COLUMNS = [
    "合同编号",
    "客户",
    "地区",
    "销售代表",
    "状态",
    "签订日期",
    "合同金额",
    "已发货%",
    "已收款%",
    "未结问题",
    "下一截止日",
]
SALES_RECORD_COLUMNS = [
    "销售日期",
    "合同编号",
    "发货单号",
    "产品名称",
    "型号规格",
    "注册证/备案凭证编号",
    "数量",
    "单价",
    "金额",
    "批号",
    "序列号",
    "失效日期",
    "生产企业",
    "生产许可证/备案编号",
    "购货单位",
    "购货单位地址",
    "购货单位联系人及电话",
    "购货单位许可证编号",
]


def _percent(part, whole) -> str:
    return f"{round(100 * part / whole)}%" if whole else ""


def export_ledger(rows, *, actor) -> bytes:
    book = new_workbook()
    sheet = add_sheet(book, "合同台账", LEDGER_COLUMNS)
    count = 0
    for c in rows.iterator(chunk_size=2000):
        append_row(
            sheet,
            [
                c.number,
                c.customer.name,
                str(c.customer.region),
                c.rep.display_name,
                str(c.get_status_display()),
                c.signed_on,
                c.amount,
                _percent(c.delivered, c.ordered),
                _percent(c.paid, c.amount),
                c.open_problems,
                c.next_deadline,
            ],
        )
        count += 1
    audit.record(actor=actor, action="contracts.ledger_exported", changes={"contracts": count})
    return to_bytes(book)


RECEIVABLES_COLUMNS = ["合同编号", "客户", "销售代表", "应收至今", "已收", "逾期金额"]


def export_receivables(rows, *, actor) -> bytes:
    """The overdue receivables list as shown (receivables_overdue), audited like the
    ledger's export."""
    book = new_workbook()
    sheet = add_sheet(book, "逾期应收款", RECEIVABLES_COLUMNS)
    count = 0
    for c in rows.select_related("customer", "rep").iterator(chunk_size=2000):
        append_row(sheet, [c.number, c.customer.name, c.rep.display_name, c.due, c.paid, c.overdue])
        count += 1
    audit.record(actor=actor, action="contracts.receivables_exported", changes={"contracts": count})
    return to_bytes(book)


def _valid(rows, on: date):
    for row in rows:
        if row.voided_at is None and (row.valid_until is None or row.valid_until >= on):
            return row
    return rows[0] if rows else None


def export_sales_record(contracts, *, actor, start: date, end: date) -> bytes:
    """One row per unit (serial) or per delivered line (lots without serials)."""
    items = list(
        DeliveryItem.objects.filter(
            line__contract__in=contracts.values("pk"),
            delivery__delivered_on__range=(start, end),
        )
        .exclude(line__contract__status=ContractStatus.TERMINATED)
        .select_related(
            "delivery",
            "line__contract__customer",
            "line__model__product__manufacturer",
        )
        .prefetch_related(
            "devices",
            "line__contract__customer__contacts",
            "line__contract__customer__qualifications",
        )
        .order_by("delivery__delivered_on", "delivery__number", "id")
    )
    model_ids = {i.line.model_id for i in items}
    makers = {i.line.model.product.manufacturer_id for i in items}
    certificates: dict[int, list] = {}
    for cert in (
        RegistrationCertificate.objects.filter(models_covered__in=model_ids)
        .prefetch_related("models_covered")
        .order_by("-valid_until")
    ):
        for m in cert.models_covered.all():
            certificates.setdefault(m.pk, []).append(cert)
    licences: dict[int, list] = {}
    for lic in ManufacturerLicence.objects.filter(manufacturer_id__in=makers).order_by(
        "-valid_until"
    ):
        licences.setdefault(lic.manufacturer_id, []).append(lic)
    book = new_workbook()
    sheet = add_sheet(book, "销售记录", SALES_RECORD_COLUMNS)
    count = 0
    for item in items:
        line, delivery = item.line, item.delivery
        contract, customer, model = line.contract, line.contract.customer, line.model
        on = delivery.delivered_on
        cert = _valid(certificates.get(model.pk, []), on)
        licence = _valid(licences.get(model.product.manufacturer_id, []), on)
        qualification = _valid(list(customer.qualifications.all()), on)
        contact = next((p for p in customer.contacts.all() if p.is_active), None)
        common = [
            on,
            contract.number,
            delivery.number,
            model.product.name,
            model.code,
            cert.number if cert else "",
        ]
        buyer = [
            model.product.manufacturer.name,
            licence.number if licence else "",
            customer.name,
            customer.address,
            f"{contact.name} {contact.mobile or contact.phone}" if contact else "",
            qualification.number if qualification else "",
        ]
        units = list(item.devices.all())
        if units:
            for unit in units:
                append_row(
                    sheet,
                    common
                    + [1, line.unit_price, line.unit_price, unit.lot, unit.serial, unit.expiry_date]
                    + buyer,
                )
                count += 1
        else:
            append_row(
                sheet,
                common
                + [item.quantity, line.unit_price, line.unit_price * item.quantity, "", "", None]
                + buyer,
            )
            count += 1
    audit.record(
        actor=actor,
        action="contracts.sales_record_exported",
        changes={"rows": count, "from": start, "to": end},
    )
    return to_bytes(book)


def filename(kind: str, today: date) -> str:
    return f"{kind}-{today.isoformat()}.xlsx"
