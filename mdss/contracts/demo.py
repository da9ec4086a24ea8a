"""Demo contracts for the rep 孙丽 in Shanghai, one or more in every state: a draft,
one with legal, one approved, one signed, one terminated, and three performed —
completed (delivered with scanned UDIs, received, paid), in performance with an
overdue instalment, a payment problem and a warranty amendment in force, and in
performance with a partial delivery, a late-delivery problem and an amendment
waiting for legal. Made through the services, so every gate really passed and the
audit trail, review clocks and installed devices are real. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from mdss.accounts.demo import DEMO_PASSWORD
from mdss.accounts.models import User
from mdss.catalog.models import ProductModel
from mdss.core.dates import local_today
from mdss.customers.compliance import may_buy
from mdss.customers.models import Customer
from mdss.pricing.selectors import price_of

from . import services
from .models import Contract

CLAUSES = {
    "payment_terms": "合同签订后预付 30%，验收合格后 30 日内付清余款",
    "quality_standard": "符合产品注册证载明的产品技术要求及相关国家标准",
    "after_sales_terms": "整机保修 24 个月；接报修 1 小时内响应，复杂故障 24 小时内到场；免费操作培训",
    "warranty_months": 24,
}
# (products by name and model code with quantities, what happens to the contract)
PLANS = [
    ([("多参数监护仪", "PM-8000", 10), ("心电图机", "ECG-1206", 2)], "completed", 55),
    ([("彩色多普勒超声诊断系统", "DC-80 Pro", 1)], "amended", 40),
    ([("多参数监护仪", "PM-9000", 6), ("脉搏血氧仪", "SPO-10", 20)], "partial", 20),
    ([("多参数监护仪", "PM-8000", 4)], "signed", 10),
    ([("电子内窥镜", "EG-290", 1)], "terminated", 30),
    ([("彩色多普勒超声诊断系统", "DC-70", 2)], "approved", None),
    ([("心电图机", "ECG-1203", 4)], "in_review", None),
    ([("多参数监护仪", "PM-8000", 3)], "draft", None),
]


def seed(*, stdout=None):
    if Contract.objects.exists():
        return []
    users = {
        u.username: u for u in User.objects.filter(username__in=["sun.li", "zheng.hao", "zhao.min"])
    }
    if len(users) < 3:
        return []
    rep, legal, boss = users["sun.li"], users["zheng.hao"], users["zhao.min"]
    today = local_today()
    models = {(m.product.name, m.code): m for m in ProductModel.objects.select_related("product")}
    customers = [
        c
        for c in Customer.objects.filter(
            owner=rep, region__code="310000", kind__in=["public_hospital", "private_hospital"]
        ).order_by("pk")
        if may_buy(c, models[("多参数监护仪", "PM-8000")], today).ok
    ]
    made = 0
    performed = []
    with transaction.atomic():
        for (lines, state, days_ago), customer in zip(PLANS, customers, strict=False):
            contract = services.contract_create(
                actor=rep,
                customer_id=customer.pk,
                delivery_place=f"{customer.address or customer.name} 设备科",
                delivery_deadline=today + timedelta(days=45),
                **CLAUSES,
            )
            for name, code, quantity in lines:
                model = models[(name, code)]
                services.line_add(
                    actor=rep,
                    contract=contract,
                    model=model,
                    quantity=quantity,
                    unit_price=price_of(model.pk).list_price,
                )
            made += 1
            if state == "draft":
                continue
            services.contract_submit(actor=rep, contract=contract, today=today)
            if state == "in_review":
                continue
            signed = today - timedelta(days=days_ago if state != "approved" else 0)
            services.legal_approve(
                actor=legal,
                contract=contract,
                password=DEMO_PASSWORD,
                comment="条款齐全，同意签订",
                at=_morning_of(signed),  # the demo's history: approved the day it was signed
            )
            if state == "approved":
                continue
            services.contract_sign(
                actor=rep,
                contract=contract,
                signed_on=signed,
                customer_signed_on=signed,
                scan=ContentFile(b"%PDF-1.4 demo", name=f"{contract.number}.pdf"),
                today=today,
            )
            if state == "terminated":
                services.contract_terminate(
                    actor=boss,
                    contract=contract,
                    reason="医院预算调整，双方协商一致解除",
                    on=today - timedelta(days=5),
                )
            elif state != "signed":
                performed.append((state, contract, signed))
        for state, contract, signed in performed:
            PERFORM[state](contract, rep, legal, signed, today)
    if stdout:
        stdout.write(f"contracts: {made} demo contracts")
    return []


def _udi(model, n: int, made) -> str:
    """A GS1 UDI as printed on the unit: DI, production date, serial."""
    di = model.device_identifiers.all()[0].di
    return f"(01){di}(11){made:%y%m%d}(21){model.code.replace(' ', '')}-{n:05d}"


def _deliver(contract, rep, on, today, quantities: dict, site="设备科库房"):
    """Deliver ``quantities`` ({model code: n}) with every unit scanned and every
    document ticked."""
    lines = {
        line.model.code: line
        for line in contract.lines.select_related("model__product").prefetch_related(
            "model__device_identifiers"
        )
    }
    items, documents = [], {}
    for code, quantity in quantities.items():
        line = lines[code]
        # The contract's number (gap-free, from 1 in a new database), not its id, so a
        # unit's serial is the same whatever ran before in the database.
        start = int(contract.number.rsplit("-", 1)[1]) * 100
        items.append(
            {
                "line_id": line.pk,
                "quantity": quantity,
                "units": [
                    _udi(line.model, start + n, on - timedelta(days=60)) for n in range(quantity)
                ],
                "site": site,
            }
        )
        documents[line.model_id] = ["ifu", "label", "coc"]
    return services.delivery_record(
        actor=rep,
        contract=contract,
        delivered_on=on,
        items=items,
        documents=documents,
        carrier="顺丰速运",
        tracking_number=f"SF{contract.pk:04d}{on:%m%d}",
        today=today,
    )


def _completed(contract, rep, legal, signed, today):
    total = sum(line.amount for line in contract.lines.all())
    services.instalments_set(
        actor=rep,
        contract=contract,
        rows=[
            (signed + timedelta(days=7), total * 3 / 10, "预付款 30%"),
            (signed + timedelta(days=45), total - total * 3 / 10, "验收后付清"),
        ],
    )
    delivery = _deliver(
        contract, rep, signed + timedelta(days=14), today, {"PM-8000": 10, "ECG-1206": 2}
    )
    services.delivery_confirm_receipt(
        actor=rep,
        delivery=delivery,
        received_on=signed + timedelta(days=15),
        received_by="设备科 王科长",
        today=today,
    )
    services.payment_record(
        actor=rep,
        contract=contract,
        received_on=signed + timedelta(days=6),
        amount=total * 3 / 10,
        reference="预付款",
        today=today,
    )
    services.payment_record(
        actor=rep,
        contract=contract,
        received_on=signed + timedelta(days=44),
        amount=total - total * 3 / 10,
        reference="尾款",
        today=today,
    )


def _amended(contract, rep, legal, signed, today):
    total = sum(line.amount for line in contract.lines.all())
    services.instalments_set(
        actor=rep,
        contract=contract,
        rows=[
            (signed + timedelta(days=3), total * 3 / 10, "预付款 30%"),
            (signed + timedelta(days=30), total - total * 3 / 10, "验收后 30 日内付清"),
        ],
    )
    services.payment_record(
        actor=rep,
        contract=contract,
        received_on=signed + timedelta(days=3),
        amount=total * 3 / 10,
        reference="预付款",
        today=today,
    )
    delivery = _deliver(
        contract, rep, signed + timedelta(days=10), today, {"DC-80 Pro": 1}, site="超声科 3 诊室"
    )
    services.delivery_confirm_receipt(
        actor=rep,
        delivery=delivery,
        received_on=signed + timedelta(days=11),
        received_by="超声科 李主任",
        today=today,
    )
    problem = services.problem_raise(
        actor=rep,
        contract=contract,
        kind="payment_default",
        description="验收后 30 日尾款未付，医院称财政资金尚未拨付",
    )
    services.problem_note(actor=rep, problem=problem, text="电话联系财务科，承诺月底前支付")
    amendment = services.amendment_create(
        actor=rep,
        contract=contract,
        reason="医院要求延长整机保修至 36 个月，不调整价款",
        clauses={
            "warranty_months": 36,
            "after_sales_terms": CLAUSES["after_sales_terms"].replace("24", "36"),
        },
    )
    services.amendment_submit(actor=rep, amendment=amendment, today=today)
    services.amendment_approve(
        actor=legal,
        amendment=amendment,
        password=DEMO_PASSWORD,
        comment="同意",
        at=_morning_of(today - timedelta(days=3)),
    )
    services.amendment_sign(
        actor=rep,
        amendment=amendment,
        signed_on=today - timedelta(days=3),
        scan=ContentFile(b"%PDF-1.4 demo", name=f"{amendment.number}.pdf"),
        today=today,
    )


def _morning_of(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _partial(contract, rep, legal, signed, today):
    _deliver(contract, rep, signed + timedelta(days=8), today, {"PM-9000": 3}, site="ICU")
    services.problem_raise(
        actor=rep,
        contract=contract,
        kind="late_delivery",
        description="PM-9000 余下 3 台厂家缺货，预计晚于合同交货期 2 周",
    )
    spo = contract.lines.get(model__code="SPO-10")
    amendment = services.amendment_create(
        actor=rep,
        contract=contract,
        reason="ICU 扩床，追加脉搏血氧仪 10 台",
        line_changes=[{"line": spo.pk, "quantity": 30}],
    )
    services.amendment_submit(actor=rep, amendment=amendment, today=today)


PERFORM = {"completed": _completed, "amended": _amended, "partial": _partial}
