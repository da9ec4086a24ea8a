"""The operational, financial and supplier signals on planted data, and not on clean
data: deadline breaches in a province, a customer's long-overdue receivables, a
supplier's paper expiring without a successor."""

from datetime import date, timedelta

from mdss.calendars.services import clock_start, clock_stop
from mdss.risk import services
from mdss.risk.models import Signal

from .conftest import TODAY


def _kinds(today=TODAY):
    return sorted(s.kind for s in services.signal_scan(today=today))


def _requests(hospital, engineer, n, late, *, first=0, start="2026-11-02 09:00"):
    """``n`` requests reported day after day from ``start``, the first ``late`` of
    them with a missed contact deadline (1 h target, stopped after 2 h)."""
    from mdss.quality.tests.conftest import at, make_request

    for k in range(n):
        reported = at(start) + timedelta(days=k)
        request = make_request(first + k, hospital, None, engineer, None, reported=reported)
        clock = clock_start(subject=request, code="service.contact", at=reported)
        clock_stop(clock=clock, actor=None, at=reported + timedelta(hours=2 if k < late else 0.5))


def test_a_province_with_many_missed_deadlines_is_proposed(hospital, engineer, reference_data):
    _requests(hospital, engineer, 10, late=1)
    assert _kinds() == []  # 1 of 10: under the 20 % threshold
    _requests(hospital, engineer, 2, late=2, first=100, start="2026-11-20 09:00")
    assert _kinds() == ["sla"]  # 3 of 12 missed: 25 %
    signal = Signal.objects.get(kind="sla")
    assert signal.region == hospital.province and signal.category == "operational"
    assert (signal.evidence["requests"], signal.evidence["missed"]) == (12, 3)


def test_few_requests_are_not_a_rate(hospital, engineer, reference_data):
    _requests(hospital, engineer, 5, late=5)  # 100 %, but only five requests
    assert _kinds() == []


def test_a_supplier_paper_expiring_without_a_successor(reference_data):
    from mdss.inventory.models import Supplier, SupplierDocument

    supplier = Supplier.objects.create(name="上海医配贸易有限公司")
    SupplierDocument.objects.create(
        supplier=supplier, kind="business_licence", number="91310000X", valid_until=date(2035, 1, 1)
    )
    assert _kinds() == []
    paper = SupplierDocument.objects.create(
        supplier=supplier, kind="quality_agreement", number="QA-1",
        valid_until=TODAY + timedelta(days=45),
    )  # fmt: skip
    assert _kinds() == ["supplier"]
    assert Signal.objects.get().evidence["number"] == paper.number
    SupplierDocument.objects.create(
        supplier=supplier, kind="quality_agreement", number="QA-2", valid_until=date(2028, 1, 1)
    )
    assert _kinds(TODAY + timedelta(days=1)) == []  # renewed: nothing new
