"""Service-quality evaluation (Q4): the arithmetic on a known set of requests,
follow-ups and clocks; the review freezes it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mdss.calendars.services import clock_start, clock_stop
from mdss.core.errors import Conflict, PermissionDenied, ValidationFailed
from mdss.quality import selectors, services
from mdss.service.models import FollowUp, ServiceRequest, Visit

from .conftest import at
from .conftest import make_request as _request

Q4 = {"period_start": date(2026, 10, 1), "period_end": date(2026, 12, 31)}


def _visits(request, engineer, n):
    for k in range(n):
        Visit.objects.create(
            request=request, engineer=engineer,
            checked_in_at=request.completed_at - timedelta(hours=3 + 2 * k),
            checked_out_at=request.completed_at - timedelta(hours=2 + 2 * k),
        )  # fmt: skip


def _rated(request, manager, attitude, quality, timeliness):
    FollowUp.objects.create(
        request=request, attitude=attitude, quality=quality, timeliness=timeliness,
        satisfied=True, contacted_person="护士长", recorded_by=manager,
        recorded_at=request.completed_at + timedelta(days=1),
    )  # fmt: skip


def _clock(request, engineer, hours):
    """The on-site clock (24 h) stopped ``hours`` after it started: met under 24."""
    started = request.completed_at - timedelta(days=2)
    clock = clock_start(subject=request, code="service.onsite", responsible=engineer, at=started)
    clock_stop(clock=clock, actor=None, at=started + timedelta(hours=hours))


@pytest.fixture
def known(engineer, service_manager, hospital, device, reference_data):
    """Three requests completed in Q4 by 冯工 (one, two and no visits; the last is
    followed by a repair of the same unit within 30 days), rated (5,4,3) and (3,4,5);
    one completed in September rated (1,1,1), outside the period; on-site clocks:
    three met, one missed."""
    r0 = _request(0, hospital, device, engineer, at("2026-09-20 15:00"))
    _rated(r0, service_manager, 1, 1, 1)
    r1 = _request(1, hospital, device, engineer, at("2026-10-10 15:00"))
    _visits(r1, engineer, 1)
    _rated(r1, service_manager, 5, 4, 3)
    r2 = _request(2, hospital, None, engineer, at("2026-11-05 15:00"))
    _visits(r2, engineer, 2)
    _rated(r2, service_manager, 3, 4, 5)
    r3 = _request(3, hospital, device, engineer, at("2026-11-20 15:00"))
    again = _request(4, hospital, device, None, None, reported=at("2026-11-25 09:00"))
    for request, hours in ((r1, 5), (r2, 20), (r3, 23), (again, 30)):
        if request.completed_at is None:
            request.completed_at = at("2026-11-26 09:00")
        _clock(request, engineer, hours)
    return engineer


def test_the_arithmetic_on_a_known_set(known, service_manager, quality):
    from mdss.accounts import roles
    from mdss.accounts.tests.factories import UserFactory

    UserFactory(username="idle", full_name="闲工", roles=[roles.SERVICE_ENGINEER])
    saved = services.evaluation_compute(actor=service_manager, today=date(2026, 12, 31), **Q4)
    it = next(e for e in saved if e.engineer == known)
    assert it.figures == {
        "completed": 3, "first_time_fixes": 2, "repeat_repairs": 1, "follow_ups": 2,
        "attitude_rating": 4.0, "quality_rating": 4.0, "timeliness_rating": 4.0,
        "deadlines_met": 3, "deadlines_missed": 1,
        "audited": 0, "audit_passed": 0, "audit_findings": 0,
    }  # fmt: skip
    # attitude: (4 − 1) / 4 → 75; quality: 0.4 × 75 + 0.3 × 66.7 (first-time) + 0.3 × 66.7
    # (no repeat) = 70; efficiency: 0.5 × 75 + 0.5 × 75 (deadlines) = 75;
    # overall: 0.3 × 75 + 0.4 × 70 + 0.3 × 75 = 73.
    assert (it.attitude, it.quality, it.efficiency, it.overall) == (
        Decimal("75.0"), Decimal("70.0"), Decimal("75.0"), Decimal("73.0"),
    )  # fmt: skip
    nobody = next(e for e in saved if e.engineer != known)
    assert nobody.figures["completed"] == 0 and nobody.overall is None


def test_record_audits_join_the_quality_score(known, service_manager, quality):
    """Two of 冯工's Q4 records audited: one passed every point, one missed the
    customer's confirmation and has a finding. The audit part (50) joins the quality
    mean with its weight: (0.4 × 75 + 0.3 × 66.7 + 0.3 × 66.7 + 0.3 × 50) / 1.3 = 65.4;
    overall 0.3 × 75 + 0.4 × 65.4 + 0.3 × 75 = 71.2."""
    from mdss.quality.models import AuditItem, Finding, RecordAudit

    audit = RecordAudit.objects.create(
        number="JH-T-1", period_start=date(2026, 10, 1), period_end=date(2026, 11, 30),
        percent=50, strata="engineer", seed=1, population=3, auditor=quality,
    )  # fmt: skip
    passed = dict.fromkeys(("process", "record", "repair", "confirmation", "parts"), True)
    for number, checks in (("FW-T-1", passed), ("FW-T-3", {**passed, "confirmation": False})):
        item = AuditItem.objects.create(
            audit=audit, service_request=ServiceRequest.objects.get(number=number),
            stratum="冯工", checks=checks, checked_at=at("2026-12-01 10:00"),
        )  # fmt: skip
    Finding.objects.create(
        item=item, description="缺客户签字", owner=known, due_on=date(2026, 12, 10)
    )
    saved = services.evaluation_compute(actor=service_manager, today=date(2026, 12, 31), **Q4)
    it = next(e for e in saved if e.engineer == known)
    assert (it.figures["audited"], it.figures["audit_passed"], it.figures["audit_findings"]) == (
        2, 1, 1,
    )  # fmt: skip
    assert (it.quality, it.overall) == (Decimal("65.4"), Decimal("71.2"))


def test_a_review_freezes_the_evaluation(known, service_manager, management, quality):
    [it] = [
        e
        for e in services.evaluation_compute(actor=quality, today=date(2026, 12, 31), **Q4)
        if e.engineer == known
    ]
    with pytest.raises(PermissionDenied):
        services.evaluation_review(actor=quality, evaluation=it, comment="好")
    with pytest.raises(ValidationFailed):
        services.evaluation_review(actor=service_manager, evaluation=it, comment=" ")
    services.evaluation_review(actor=service_manager, evaluation=it, comment="首次修复率需提高")
    with pytest.raises(Conflict):
        services.evaluation_review(actor=management, evaluation=it, comment="again")
    _rated(ServiceRequest.objects.get(number="FW-T-3"), service_manager, 1, 1, 1)
    again = services.evaluation_compute(actor=quality, today=date(2026, 12, 31), **Q4)
    assert known not in [e.engineer for e in again]  # the reviewed one is kept
    it.refresh_from_db()
    assert it.overall == Decimal("73.0") and it.review == "首次修复率需提高"


def test_who_sees_and_computes(known, service_manager, rep, engineer, reference_data):
    services.evaluation_compute(actor=service_manager, today=date(2026, 12, 31), **Q4)
    assert [e.engineer for e in selectors.evaluations_for_user(engineer)] == [engineer]
    with pytest.raises(PermissionDenied):
        list(selectors.evaluations_for_user(rep))
    with pytest.raises(PermissionDenied):
        services.evaluation_compute(actor=engineer, **Q4)
    with pytest.raises(ValidationFailed) as error:
        services.evaluation_compute(
            actor=service_manager, period_start=date(2026, 12, 31), period_end=date(2026, 1, 1)
        )
    assert error.value.errors[0].field == "period_end"


def test_the_export_has_a_row_per_engineer(known, service_manager):
    import io

    from openpyxl import load_workbook

    from mdss.quality.excel import export_evaluations

    services.evaluation_compute(actor=service_manager, today=date(2026, 12, 31), **Q4)
    book = load_workbook(
        io.BytesIO(export_evaluations(selectors.evaluations_for_user(service_manager)))
    )
    rows = list(book["服务质量评价"].values)
    assert rows[0][0] == "工程师" and len(rows) == 1 + 1  # header + 冯工 (the one engineer)
    assert rows[1][rows[0].index("综合")] == 73.0
