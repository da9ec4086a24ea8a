"""Product quality feedback (Q3): from a repair record to the manufacturer, and the
trend alert."""

from datetime import date, timedelta

import pytest
import time_machine

from mdss.calendars.selectors import clocks_for
from mdss.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification
from mdss.quality import selectors, services
from mdss.service import services as service

from .conftest import report

TODAY = date(2026, 11, 27)


def repair_with_defect(call, service_manager, engineer, suspected=True):
    service.request_contact(actor=service_manager, request=call)
    service.request_triage(actor=service_manager, request=call, triage="complex")
    service.request_dispatch(actor=service_manager, request=call, engineer=engineer)
    service.request_check_in(actor=engineer, request=call)
    return service.request_repair_record(
        actor=engineer,
        request=call,
        fault_symptom="血氧读数跳变",
        fault_cause="血氧模块焊点虚焊",
        repair_method="更换血氧模块",
        suspected_defect=suspected,
    )


def test_a_suspected_defect_in_a_repair_becomes_feedback_to_send(
    call, service_manager, qualified, device, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = repair_with_defect(call, service_manager, qualified)
    feedback = visit.quality_feedback
    assert feedback.source == "engineer"
    assert (feedback.device, feedback.model, feedback.serial) == (device, device.model, "SN-1")
    assert feedback.service_request == call and feedback.recorded_by == qualified
    assert "焊点虚焊" in feedback.description
    clock = clocks_for(feedback).get()
    assert clock.code == "quality.feedback" and feedback.due_at == clock.due_at
    # A retry of the signal finds the first feedback.
    assert services.feedback_from_visit(visit=visit, actor=qualified) == feedback


def test_no_flag_no_feedback(call, service_manager, qualified, django_capture_on_commit_callbacks):
    from mdss.quality.models import ProductFeedback

    with django_capture_on_commit_callbacks(execute=True):
        repair_with_defect(call, service_manager, qualified, suspected=False)
    assert not ProductFeedback.objects.exists()


def test_sent_answered_and_closed(feedback, quality):
    services.feedback_send(
        actor=quality, feedback=feedback, method="email", sent_to="厂家质量部 刘工", reference="M-1"
    )
    feedback.refresh_from_db()
    assert feedback.status == "sent" and feedback.due_at is None
    assert clocks_for(feedback).get().status == "met"
    with pytest.raises(InvalidTransition):
        services.feedback_close(actor=quality, feedback=feedback, note="")
    services.feedback_answer(
        actor=quality, feedback=feedback, answer="确认为批次焊接问题", action="该批次模块免费更换"
    )
    services.feedback_close(actor=quality, feedback=feedback)
    feedback.refresh_from_db()
    assert (feedback.status, feedback.manufacturer_action) == ("closed", "该批次模块免费更换")


def test_only_quality_sends_and_closing_unsent_needs_a_reason(feedback, engineer, quality):
    with pytest.raises(PermissionDenied):
        services.feedback_send(actor=engineer, feedback=feedback, method="email", sent_to="x")
    with pytest.raises(ValidationFailed) as error:
        services.feedback_send(actor=quality, feedback=feedback, method="pigeon", sent_to="")
    assert {e.field for e in error.value.errors} == {"method", "sent_to"}
    with pytest.raises(ValidationFailed) as error:
        services.feedback_close(actor=quality, feedback=feedback, note="")
    assert error.value.errors[0].field == "note"
    services.feedback_close(actor=quality, feedback=feedback, note="重复反馈，见 ZF-1")
    assert clocks_for(feedback).get().status == "cancelled"


def test_bad_input_names_the_field(quality, monitor, device, reference_data):
    with pytest.raises(ValidationFailed) as error:
        report(
            quality,
            monitor,
            description="",
            lot="L" * 101,
            source="rumour",
            received_on=TODAY + timedelta(days=1),
        )
    assert {e.field for e in error.value.errors} == {"description", "lot", "source", "received_on"}


def _alerts():
    return Notification.objects.filter(kind="quality.trend", channel="in_app").count()


def test_the_trend_alerts_once_when_a_lot_reaches_the_threshold(
    quality, engineer, monitor, reference_data, settings
):
    settings.QUALITY_POLICY = {**settings.QUALITY_POLICY, "feedback_alert_count": 3}
    # Outside the 30-day window, another lot, another model: none counts.
    report(quality, monitor, lot="L1", received_on=TODAY - timedelta(days=30))
    report(quality, monitor, lot="L2")
    report(engineer, monitor, lot="L1")
    report(engineer, monitor, lot="L1", received_on=TODAY - timedelta(days=29))
    assert _alerts() == 0
    third = report(engineer, monitor, lot="L1")
    assert _alerts() == 1  # one alert for each quality person (卫质量)
    note = Notification.objects.get(kind="quality.trend", channel="in_app")
    assert "L1" in note.subject and f"model={monitor.pk}" in note.link
    report(engineer, monitor, lot="L1")
    assert _alerts() == 1  # not again for the fourth
    trend = selectors.feedback_trend(monitor, lot="L1", today=TODAY)
    assert trend["alert"] and trend["window_count"] == 4
    assert [m["count"] for m in trend["series"]][-2:] == [2, 3]  # 28 and 29 October; November
    assert third.number.startswith("ZF-2026-")
    alerts = list(selectors.trend_alerts(TODAY))
    assert [(a["lot"], a["count"]) for a in alerts] == [("L1", 4)]


def test_per_100_installed_units(quality, monitor, device, reference_data):
    report(quality, monitor, device=device)
    with time_machine.travel("2026-11-27 12:00 +0800"):
        trend = selectors.feedback_trend(monitor, today=TODAY, months=2)
    assert trend["installed"] == 1
    assert trend["series"][-1] == {"month": date(2026, 11, 1), "count": 1, "per_100": 100.0}


def test_engineers_see_what_they_recorded(feedback, engineer, monitor, quality):
    own = report(engineer, monitor)
    assert list(selectors.feedback_for_user(engineer)) == [own]
    assert set(selectors.feedback_for_user(quality)) == {own, feedback}


def test_a_defect_found_in_a_repair_travels_to_a_verified_capa(
    call, service_manager, qualified, quality, device, django_capture_on_commit_callbacks
):
    """Issue 19's "done when": the engineer flags a suspected defect; quality sends it
    to the manufacturer, opens an incident from it, contains and analyses it, the
    owners do the corrective and preventive actions, and after the policy's wait the
    actions are verified effective and the incident is closed with a signature."""
    from mdss.accounts.tests.factories import TEST_PASSWORD

    from .conftest import ANALYSIS

    with time_machine.travel("2026-11-27 10:00 +0800", tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            visit = repair_with_defect(call, service_manager, qualified)
        feedback = visit.quality_feedback
        services.feedback_send(
            actor=quality, feedback=feedback, method="email", sent_to="厂家质量部", reference="M-2"
        )
        incident = services.incident_create(
            actor=quality, source="feedback", title="血氧模块焊点虚焊", feedback=feedback,
            description=feedback.description, occurred_on=feedback.received_on,
            model=feedback.model, lot=feedback.lot,
        )  # fmt: skip
        services.incident_contain(actor=quality, incident=incident, containment="隔离同批次模块")
        services.incident_analyse(actor=quality, incident=incident, **ANALYSIS)
        fix = services.capa_add(
            actor=quality, incident=incident, kind="corrective", description="更换该批次模块",
            owner=qualified,
        )  # fmt: skip
        guard = services.capa_add(
            actor=quality, incident=incident, kind="preventive", description="来料焊点抽检",
            owner=quality,
        )  # fmt: skip
        services.capa_done(actor=qualified, action=fix, result="已更换 12 台")
        services.capa_done(actor=quality, action=guard, result="来料检验规程已修订")
        incident.refresh_from_db()
        assert incident.status == "verifying" and incident.feedback == feedback
        clock.shift(timedelta(days=31))
        services.incident_verify(
            actor=quality, incident=incident, effective=True, evidence="无复发"
        )
        services.incident_close(
            actor=quality, incident=incident, password=TEST_PASSWORD, lessons="来料须抽检焊点"
        )
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.signature is not None
    assert feedback.incidents.get() == incident
