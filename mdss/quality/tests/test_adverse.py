"""Suspected adverse events: the statutory clocks (death 7 days, serious injury 20
days, a cluster 12 hours), their escalation, the submission, and the hand-over from a
complaint."""

from datetime import date, timedelta

import pytest

from mdss.audit.models import AuditEvent
from mdss.calendars.selectors import clocks_for
from mdss.calendars.services import clock_sweep
from mdss.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification
from mdss.quality import services

from .conftest import at

AWARE = at("2026-11-26 09:00")


def suspect(actor, model, **kwargs):
    kwargs.setdefault("reporter_name", "设备科 周主任")
    kwargs.setdefault("event_on", date(2026, 11, 25))
    kwargs.setdefault("aware_at", AWARE)
    kwargs.setdefault("outcome", "serious_injury")
    kwargs.setdefault("narrative", "除颤时设备未放电，患者抢救延误")
    return services.ae_create(actor=actor, model=model, **kwargs)


@pytest.mark.parametrize(
    ("outcome", "cluster", "code", "hours"),
    [
        ("death", False, "quality.ae_death", 7 * 24),
        ("serious_injury", False, "quality.ae_serious", 20 * 24),
        ("potential", False, "quality.ae_serious", 20 * 24),
        ("serious_injury", True, "quality.ae_cluster", 12),
    ],
)
def test_the_statutory_clock(quality, monitor, reference_data, outcome, cluster, code, hours):
    event = suspect(quality, monitor, outcome=outcome, cluster=cluster)
    clock = clocks_for(event).get()
    assert clock.code == code and clock.started_at == AWARE
    assert clock.due_at == AWARE + timedelta(hours=hours) == event.due_at
    assert clock.responsible == quality


def test_no_statutory_clock_for_other_harm(quality, monitor, reference_data):
    event = suspect(quality, monitor, outcome="other")
    assert not clocks_for(event).exists() and event.due_at is None


def test_a_missed_report_escalates_to_management(
    quality, management, monitor, reference_data, django_capture_on_commit_callbacks
):
    event = suspect(quality, monitor, cluster=True)
    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep(now=AWARE + timedelta(hours=11, minutes=59))
    assert not Notification.objects.filter(kind="quality.ae_escalated").exists()
    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep(now=AWARE + timedelta(hours=12, minutes=1))
    clock = clocks_for(event).get()
    assert clock.breached_at is not None and clock.escalated_to == management
    assert Notification.objects.filter(recipient=management, kind="quality.ae_escalated").exists()
    assert AuditEvent.objects.filter(
        action="quality.ae_deadline_missed", object_id=str(event.pk)
    ).exists()


def test_submitted_then_closed_once_the_manufacturer_is_told(quality, monitor, reference_data):
    event = suspect(quality, monitor, outcome="death")
    with pytest.raises(ValidationFailed) as error:
        services.ae_submit(
            actor=quality, event=event, submitted_on=date(2026, 11, 28), receipt_number=""
        )
    assert {e.field for e in error.value.errors} == {"submitted_on", "receipt_number"}
    services.ae_submit(
        actor=quality, event=event, submitted_on=date(2026, 11, 27), receipt_number="GJ-2026-1"
    )
    event.refresh_from_db()
    assert event.status == "submitted" and event.due_at is None
    assert clocks_for(event).get().status == "met"
    with pytest.raises(ValidationFailed) as error:
        services.ae_close(actor=quality, event=event)
    assert error.value.errors[0].field == "manufacturer"
    services.ae_notify_manufacturer(
        actor=quality, event=event, notified_at=at("2026-11-26 15:00"), method="email"
    )
    services.ae_close(actor=quality, event=event)
    event.refresh_from_db()
    assert event.status == "closed"
    with pytest.raises(InvalidTransition):
        services.ae_submit(
            actor=quality, event=event, submitted_on=date(2026, 11, 27), receipt_number="x"
        )


def test_who_reports(engineer, service_manager, monitor, reference_data, quality):
    with pytest.raises(PermissionDenied):
        suspect(engineer, monitor)
    event = suspect(service_manager, monitor)  # the service manager may report
    assert clocks_for(event).get().responsible == quality  # quality answers for the clock
    with pytest.raises(PermissionDenied):
        services.ae_submit(
            actor=service_manager, event=event, submitted_on=date(2026, 11, 27), receipt_number="x"
        )


def test_the_patient_is_minimised_and_bounded(quality, monitor, reference_data):
    with pytest.raises(ValidationFailed) as error:
        suspect(quality, monitor, patient_age=200, patient_sex="x", narrative="", outcome="?")
    assert {e.field for e in error.value.errors} == {
        "patient_age", "patient_sex", "narrative", "outcome",
    }  # fmt: skip


def test_a_complaint_hand_over_opens_a_report_and_its_submission_closes_it(
    quality, hospital, device, reference_data, django_capture_on_commit_callbacks
):
    from mdss.complaints import services as complaints
    from mdss.complaints.tests.conftest import receive

    complaint = receive(quality, hospital, concerns="product", device=device)
    with django_capture_on_commit_callbacks(execute=True):
        complaints.complaint_assess(
            actor=quality, complaint=complaint, possible_adverse_event=True, death=True,
            note="家属称设备报警失灵",
        )  # fmt: skip
    complaint.refresh_from_db()
    event = complaint.adverse_events.get()
    assert (event.outcome, event.device, event.aware_at) == ("death", device, complaint.received_at)
    assert clocks_for(event).get().code == "quality.ae_death"
    assert complaint.handover_open
    services.ae_submit(
        actor=quality, event=event, submitted_on=date(2026, 11, 27), receipt_number="GJ-9"
    )
    complaint.refresh_from_db()
    handover = complaint.handovers.get()
    assert not complaint.handover_open and "GJ-9" in handover.reference
