from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.catalog.tests.factories import CertificateFactory, sellable_model
from mdss.contracts import services
from mdss.customers.tests.factories import CustomerFactory, QualificationFactory
from mdss.pricing import services as pricing
from mdss.training.models import Authorisation
from mdss.training.validators import id_check_character

TODAY = date(2026, 11, 27)
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _contract_day():
    """Contract tests happen on TODAY (certificates, prices and signing dates are set
    around it); the clock still ticks for the tests that wait on each other."""
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


def _id():
    body = "31010119900307123"
    return body + id_check_character(body)


@pytest.fixture
def region(db):
    from mdss.accounts.tests.factories import RegionFactory

    province = RegionFactory(code="330000", name="浙江省")
    return RegionFactory(code="330100", name="杭州市", level="city", parent=province)


@pytest.fixture
def monitor(db):
    model = sellable_model("II", code="PM-8000")
    model.product.category_code = "07-03-01"
    model.product.name = "多参数监护仪"
    model.product.save()
    pricing.price_list_seed(
        entries={model.pk: (Decimal("38000.00"), Decimal("33000.00"))},
        effective_from=date(2026, 1, 1),
        note="",
    )
    return model


@pytest.fixture
def hospital(db, rep, region):
    customer = CustomerFactory(owner=rep, region=region, name="杭州市第一人民医院")
    QualificationFactory(customer=customer, valid_until=date(2028, 1, 1))
    return customer


@pytest.fixture
def authorised(db, rep, sales_manager, region):
    a = Authorisation.objects.create(
        rep=rep,
        number="SQ-1",
        id_number=_id(),
        categories_covered=["07"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 12, 31),
    )
    a.regions.set([region.parent])
    return a


CLAUSES = {
    "delivery_place": "杭州市上城区解放路 88 号 设备科",
    "delivery_deadline": date(2027, 1, 15),
    "quality_standard": "符合产品技术要求及国家标准 GB 9706.1",
    "after_sales_terms": "保修 24 个月；接到报修 1 小时内响应，24 小时内到场",
}


@pytest.fixture
def draft(rep, hospital, monitor, authorised):
    from mdss.contracts import services

    contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    services.line_add(
        actor=rep, contract=contract, model=monitor, quantity=10, unit_price=Decimal("38000.00")
    )
    return contract


def expire_certificate(model, on):
    from mdss.catalog.models import RegistrationCertificate

    RegistrationCertificate.objects.filter(models_covered=model).audited_update(valid_until=on)


ALL_DOCUMENTS = ["ifu", "label", "coc"]


def review_and_sign(contract, rep, legal, *, days_ago: int = 5):
    """Submitted and approved by legal ``days_ago`` days before TODAY, signed by both
    parties that day (never before the approval: 审核后签订), recorded on TODAY."""
    day = TODAY - timedelta(days=days_ago)
    with time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=True):
        services.contract_submit(actor=rep, contract=contract, today=day)
        services.legal_approve(actor=legal, contract=contract, password=PASSWORD)
    return services.contract_sign(
        actor=rep,
        contract=contract,
        signed_on=day,
        customer_signed_on=day,
        scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
        today=TODAY,
    )


@pytest.fixture
def signed(draft, rep, legal):
    return review_and_sign(draft, rep, legal)


def deliver(contract, actor, quantity, units=(), documents=None, on=TODAY):
    line = contract.lines.get()
    return services.delivery_record(
        actor=actor,
        contract=contract,
        delivered_on=on,
        items=[{"line_id": line.pk, "quantity": quantity, "units": list(units), "site": "ICU"}],
        documents=documents if documents is not None else {line.model_id: ALL_DOCUMENTS},
        today=TODAY,
    )


__all__ = [
    "ALL_DOCUMENTS",
    "CertificateFactory",
    "CLAUSES",
    "PASSWORD",
    "TODAY",
    "deliver",
    "expire_certificate",
]


def months_kept() -> dict:
    """The amounts signed per rep and month as kept (``SignedMonth``)."""
    from mdss.contracts.models import SignedMonth

    return {
        (r.rep_id, r.month): (r.amount, r.contracts)
        for r in SignedMonth.objects.filter(amount__gt=0)
    }


def months_recomputed() -> dict:
    """The same, summed from the signed contracts one by one."""
    from mdss.contracts.models import Contract

    months: dict = {}
    for c in Contract.objects.filter(signed_on__isnull=False):
        key = (c.rep_id, c.signed_on.replace(day=1))
        amount, n = months.get(key, (Decimal("0.00"), 0))
        months[key] = (amount + c.amount, n + 1)
    return months
