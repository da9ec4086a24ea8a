"""Demo contracts for the rep 孙丽 in Shanghai, one or more in every state so far:
drafts, one with legal, one approved, signed ones (dated within her authorisation)
and a terminated one. Made through the services, so every gate really passed and
the audit trail and review clocks are real. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from mdss.accounts.demo import DEMO_PASSWORD
from mdss.accounts.models import User
from mdss.calendars.selectors import local_today
from mdss.catalog.models import ProductModel
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
    ([("多参数监护仪", "PM-8000", 10), ("心电图机", "ECG-1206", 2)], "signed", 55),
    ([("彩色多普勒超声诊断系统", "DC-80 Pro", 1)], "signed", 40),
    ([("多参数监护仪", "PM-9000", 6), ("脉搏血氧仪", "SPO-10", 20)], "signed", 20),
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
            services.legal_approve(
                actor=legal, contract=contract, password=DEMO_PASSWORD, comment="条款齐全，同意签订"
            )
            if state == "approved":
                continue
            signed = today - timedelta(days=days_ago)
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
    if stdout:
        stdout.write(f"contracts: {made} demo contracts")
    return []
