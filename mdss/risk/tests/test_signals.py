"""Signals from the data: each kind fires on planted data and not on clean data,
once per key; accepted as a new risk or a reassessment, or dismissed with a reason."""

from datetime import date, timedelta

import pytest

from mdss.audit.models import AuditEvent
from mdss.catalog.tests.factories import CertificateFactory
from mdss.core.errors import Conflict, PermissionDenied, ValidationFailed
from mdss.risk import services
from mdss.risk.models import Signal

from .conftest import TODAY, record


def _kinds(today=TODAY):
    return sorted(s.kind for s in services.signal_scan(today=today))


def test_clean_data_proposes_nothing(monitor, device, reference_data):
    CertificateFactory(product=monitor.product, valid_until=TODAY + timedelta(days=400))
    assert _kinds() == []


def test_an_expiring_certificate_without_renewal_is_proposed_once(monitor, reference_data):
    cert = CertificateFactory(
        product=monitor.product, valid_until=TODAY + timedelta(days=60), covers=[monitor]
    )
    assert _kinds() == ["certificate"]
    signal = Signal.objects.get()
    assert signal.evidence["certificate"] == cert.number and signal.evidence["days_left"] == 60
    assert signal.category == "legal" and signal.model == monitor
    assert _kinds() == []  # the same key is not proposed again


def test_a_renewed_certificate_is_not_a_risk(monitor, reference_data):
    CertificateFactory(product=monitor.product, valid_until=TODAY + timedelta(days=60))
    CertificateFactory(product=monitor.product, valid_until=date(2031, 6, 30))
    assert _kinds() == []


def test_a_complaint_trend_on_a_model_proposes_a_quality_risk(
    quality, hospital, device, reference_data
):
    import time_machine

    from mdss.complaints.tests.conftest import at, receive

    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        for day in ("2026-11-21", "2026-11-22"):
            receive(
                quality, hospital, device=device, concerns="product",
                received_at=at(f"{day} 09:00"),
            )  # fmt: skip
        assert _kinds() == []  # two: under the threshold of three
        receive(
            quality, hospital, device=device, concerns="product",
            received_at=at("2026-11-26 09:00"),
        )  # fmt: skip
        assert _kinds() == ["complaints"]
    signal = Signal.objects.get()
    assert signal.evidence["complaints"] == 3 and signal.category == "quality"
    assert signal.model == device.model and "3" in signal.title


def test_a_feedback_trend_is_proposed(quality, monitor, reference_data):
    from mdss.quality.tests.conftest import report

    for _ in range(3):
        report(quality, monitor, lot="L7", received_on=TODAY, today=TODAY)
    assert _kinds() == ["feedback"]
    assert Signal.objects.get().evidence["lot"] == "L7"


def test_accepted_as_a_new_risk_or_a_reassessment_or_dismissed(
    quality, management, service_manager, monitor, reference_data
):
    from mdss.catalog.tests.factories import ModelFactory

    CertificateFactory(product=monitor.product, valid_until=TODAY + timedelta(days=30))
    CertificateFactory(product=ModelFactory().product, valid_until=TODAY + timedelta(days=31))
    first, second = services.signal_scan(today=TODAY)
    with pytest.raises(PermissionDenied):
        services.signal_dismiss(actor=service_manager, signal=first, reason="x")
    risk = services.signal_accept(
        actor=quality, signal=first, owner=service_manager, likelihood=4, impact=4,
        note="厂家尚未提交延续申请", today=TODAY,
    )  # fmt: skip
    assert (risk.source, risk.category, risk.zone) == ("signal", "legal", "unacceptable")
    first.refresh_from_db()
    assert (first.status, first.risk) == ("accepted", risk)
    with pytest.raises(Conflict):
        services.signal_dismiss(actor=quality, signal=first, reason="x")
    # The second is judged part of the same risk: it reassesses it.
    services.signal_accept(
        actor=management, signal=second, risk=risk, likelihood=4, impact=5, note="又一证到期",
        today=TODAY,
    )  # fmt: skip
    assert risk.assessments.count() == 2
    third_risk = record(quality, service_manager)
    assert third_risk.pk != risk.pk
    assert AuditEvent.objects.filter(action="risk.signal_accepted").count() == 2


def test_a_dismissal_needs_a_reason(quality, monitor, reference_data):
    CertificateFactory(product=monitor.product, valid_until=TODAY + timedelta(days=30))
    [signal] = services.signal_scan(today=TODAY)
    with pytest.raises(ValidationFailed):
        services.signal_dismiss(actor=quality, signal=signal, reason=" ")
    services.signal_dismiss(actor=quality, signal=signal, reason="产品已停售")
    signal.refresh_from_db()
    assert signal.status == "dismissed" and signal.reason == "产品已停售"
