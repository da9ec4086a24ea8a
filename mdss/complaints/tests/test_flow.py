"""The complaint through the services: the channels, the 2 h / 24 h / 48 h clocks at
their edges, classification, the special team and its fairness rule, the resolution,
the complainant's feedback, the hand-over to quality and the signed closure."""

from datetime import timedelta

import pytest
import time_machine

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.audit.models import AuditEvent
from mdss.calendars.selectors import clocks_for
from mdss.calendars.services import clock_sweep
from mdss.complaints import services
from mdss.complaints.choices import ComplaintStatus as S
from mdss.complaints.models import Complaint
from mdss.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification

from .conftest import RESOLUTION, at, receive


def clock(complaint, code):
    return clocks_for(complaint).get(code=code)


def fields(exc) -> dict:
    return {e.field: e.rule for e in exc.value.errors}


def test_an_email_becomes_a_numbered_complaint_with_a_two_hour_countdown(
    quality, hospital, device, reference_data
):
    from mdss.customers.models import Contact

    Contact.objects.create(customer=hospital, name="周主任", email="zhou@hospital.cn")
    body = "您好：\n序列号 SN-1 的监护仪多次黑屏，" + "详细情况如下。" * 800
    received = at("2026-11-27 09:15")
    complaint = services.complaint_from_email(
        actor=quality,
        sender="周主任 <ZHOU@hospital.cn>",
        subject="投诉：监护仪反复故障",
        body=body,
        message_id="<m1@hospital.cn>",
        received_at=received,
    )
    assert complaint.number.startswith("TS-2026-")
    assert complaint.channel == "email" and complaint.customer == hospital
    assert complaint.device == device and complaint.concerns == "product"
    assert len(complaint.content) == 4000 and complaint.content.endswith("…")
    assert complaint.original.body == body  # kept whole
    assert complaint.original.message_id == "<m1@hospital.cn>"
    assert clock(complaint, "complaint.contact").due_at == received + timedelta(hours=2)
    assert complaint.due_at == received + timedelta(hours=2)
    # The gateway retries the same message: the same complaint.
    again = services.complaint_from_email(
        actor=quality,
        sender="zhou@hospital.cn",
        subject="x",
        body="y",
        message_id="<m1@hospital.cn>",
    )
    assert again.pk == complaint.pk
    assert Complaint.objects.count() == 1


def test_a_mail_from_an_unknown_sender_is_still_a_complaint(quality, reference_data):
    complaint = services.complaint_from_email(
        actor=quality, sender="患者家属 <family@example.com>", subject="投诉", body="服务态度差"
    )
    assert complaint.customer is None
    assert complaint.complainant_name == "患者家属"
    assert complaint.complainant_email == "family@example.com"


@pytest.mark.parametrize(("minutes", "outcome"), [(119, "met"), (121, "missed")])
def test_the_complainant_is_contacted_within_two_hours(complaint, quality, minutes, outcome):
    with time_machine.travel(complaint.received_at + timedelta(minutes=minutes), tick=False):
        services.complaint_contact(actor=quality, complaint=complaint, note="已电话致歉")
    assert clock(complaint, "complaint.contact").status == outcome


def test_the_sweep_marks_the_contact_missed_at_two_hours(complaint, quality):
    clock_sweep(now=complaint.received_at + timedelta(minutes=119))
    assert clock(complaint, "complaint.contact").status == "running"
    clock_sweep(now=complaint.received_at + timedelta(minutes=121))
    assert clock(complaint, "complaint.contact").breached_at is not None


def _general(complaint, actor):
    services.complaint_contact(actor=actor, complaint=complaint)
    return services.complaint_classify(
        actor=actor, complaint=complaint, category="service", severity="general"
    )


@pytest.mark.parametrize(("hours", "outcome"), [(23.98, "met"), (24.02, "missed")])
def test_a_general_complaint_is_answered_within_24_hours(complaint, quality, hours, outcome):
    _general(complaint, quality)
    with time_machine.travel(complaint.received_at + timedelta(hours=hours), tick=False):
        services.complaint_answer(actor=quality, complaint=complaint, **RESOLUTION)
    assert clock(complaint, "complaint.answer").status == outcome
    complaint.refresh_from_db()
    assert complaint.status == S.RESOLVED and complaint.due_at is None


def _major(complaint, actor, at_time=None):
    services.complaint_contact(actor=actor, complaint=complaint)
    return services.complaint_classify(
        actor=actor,
        complaint=complaint,
        category="product_quality",
        severity="major",
        criteria=["patient_harm"],
        at=at_time,
    )


@pytest.mark.parametrize(("hours", "outcome"), [(47.98, "met"), (48.02, "missed")])
def test_a_major_complaint_gets_its_team_within_48_hours(
    complaint, quality, management, rep, service_manager, hours, outcome
):
    _major(complaint, quality)
    started = clock(complaint, "complaint.team").started_at
    assert clock(complaint, "complaint.answer").status == "cancelled"
    with time_machine.travel(started + timedelta(hours=hours), tick=False):
        services.complaint_form_team(
            actor=quality,
            complaint=complaint,
            members=[(management, "leader"), (quality, "investigator"), (rep, "account")],
            resolution_due=started + timedelta(days=10),
        )
    assert clock(complaint, "complaint.team").status == outcome
    complaint.refresh_from_db()
    assert complaint.status == S.INVESTIGATING
    assert complaint.due_at == started + timedelta(days=10)


def test_a_major_complaint_without_a_team_at_48_hours_escalates(
    complaint, quality, management, django_capture_on_commit_callbacks
):
    _major(complaint, quality)
    team = clock(complaint, "complaint.team")
    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep(now=team.started_at + timedelta(hours=47, minutes=59))
    assert not Notification.objects.filter(kind="complaint.escalated").exists()
    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep(now=team.started_at + timedelta(hours=48, minutes=1))
    team.refresh_from_db()
    assert team.breached_at is not None
    assert team.escalation_level == 1 and team.escalated_to == management  # the handler's boss
    assert Notification.objects.filter(recipient=management, kind="complaint.escalated").exists()
    assert AuditEvent.objects.filter(
        action="complaint.deadline_missed", object_id=str(complaint.pk)
    ).exists()


def test_the_person_complained_about_cannot_investigate(
    quality, management, rep, hospital, reference_data, sales_manager
):
    complaint = receive(
        quality, hospital, concerns="conduct", person=rep, content="销售代表承诺未兑现"
    )
    _major(complaint, quality)
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_form_team(
            actor=quality,
            complaint=complaint,
            members=[(management, "leader"), (rep, "investigator"), (sales_manager, "account")],
            resolution_due=complaint.received_at + timedelta(days=7),
        )
    assert fields(refused)["investigator"] == "complained_about"
    complaint.refresh_from_db()
    assert complaint.status == S.CONTACTED and not complaint.team.exists()
    # Nor may they act on it or see it.
    with pytest.raises(PermissionDenied):
        services.note_add(actor=rep, complaint=complaint, text="我没有承诺")
    from mdss.complaints.selectors import complaints_for_user

    assert not complaints_for_user(rep).filter(pk=complaint.pk).exists()


def test_the_team_needs_a_leader_from_management_or_quality_and_the_account(
    complaint, quality, service_manager, engineer, management
):
    _major(complaint, quality)
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_form_team(
            actor=quality,
            complaint=complaint,
            members=[(engineer, "leader"), (quality, "investigator")],
            resolution_due=complaint.received_at - timedelta(days=1),
        )
    assert fields(refused) == {
        "leader": "not_qualified",
        "account": "required",
        "resolution_due": "range",
    }


def test_a_major_complaint_is_resolved_fed_back_and_closed_by_quality_with_a_signature(
    complaint, quality, management, rep
):
    _major(complaint, quality)
    services.complaint_form_team(
        actor=quality,
        complaint=complaint,
        members=[(quality, "leader"), (management, "investigator"), (rep, "account")],
        resolution_due=complaint.received_at + timedelta(days=5),
    )
    services.note_add(actor=rep, complaint=complaint, text="客户希望本周内答复")
    task = services.task_add(
        actor=quality,
        complaint=complaint,
        title="取回导联线送检",
        assignee=rep,
        due_on=complaint.received_at.date() + timedelta(days=2),
        today=complaint.received_at.date(),
    )
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_resolve(
            actor=quality, complaint=complaint, **{**RESOLUTION, "root_cause": ""}
        )
    assert fields(refused) == {"root_cause": "required"}
    services.complaint_resolve(actor=quality, complaint=complaint, **RESOLUTION)
    services.complaint_assess(actor=quality, complaint=complaint, possible_adverse_event=False)
    services.complaint_feedback(
        actor=quality, complaint=complaint, channel="call", acceptance="accepted", satisfaction=4
    )
    with pytest.raises(Conflict):  # the task is still open
        services.complaint_close(actor=quality, complaint=complaint, password=TEST_PASSWORD)
    services.task_done(actor=rep, task=task, result="已送检，报告见附件")
    with pytest.raises(PermissionDenied):  # management may not close a major complaint
        services.complaint_close(actor=management, complaint=complaint, password="x")
    with pytest.raises(ValidationFailed):
        services.complaint_close(actor=quality, complaint=complaint, password="wrong")
    services.complaint_close(
        actor=quality, complaint=complaint, password=TEST_PASSWORD, comment="结案"
    )
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED
    assert complaint.signature.signer == quality
    actions = list(
        AuditEvent.objects.filter(object_id=str(complaint.pk), action__startswith="complaint.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaint.created",
        "complaint.contacted",
        "complaint.classified",
        "complaint.team_formed",
        "complaint.note",
        "complaint.task_added",
        "complaint.resolved",
        "complaint.assessed",
        "complaint.fed_back",
        "complaint.task_done",
        "complaint.closed",
    ]


def test_a_reportable_complaint_cannot_close_while_quality_holds_it(complaint, quality, monitor):
    signals = []
    from mdss.complaints.handover import handover_opened

    def receiver(sender, complaint, handover, **kwargs):
        signals.append(handover.pk)

    handover_opened.connect(receiver)
    try:
        _general(complaint, quality)
        with pytest.raises(ValidationFailed) as refused:
            services.complaint_assess(
                actor=quality, complaint=complaint, possible_adverse_event=True
            )
        assert fields(refused) == {"possible_adverse_event": "which"}
        services.complaint_assess(
            actor=quality, complaint=complaint, possible_adverse_event=True, malfunction=True
        )
    finally:
        handover_opened.disconnect(receiver)
    complaint.refresh_from_db()
    assert complaint.handover_open and complaint.reportable
    services.complaint_answer(actor=quality, complaint=complaint, **RESOLUTION)
    services.complaint_feedback(
        actor=quality, complaint=complaint, channel="call", acceptance="accepted", satisfaction=5
    )
    with pytest.raises(Conflict):
        services.complaint_close(actor=quality, complaint=complaint)
    with pytest.raises(Conflict):  # a "no" now is quality's to decide
        services.complaint_assess(actor=quality, complaint=complaint, possible_adverse_event=False)
    services.handover_close(actor=quality, complaint=complaint, reference="AE-2026-0001")
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_close(actor=quality, complaint=complaint)
    assert fields(refused) == {"manufacturer": "not_notified"}
    services.complaint_notify_manufacturer(
        actor=quality,
        complaint=complaint,
        manufacturer=monitor.product.manufacturer,
        method="email",
        contact="厂家质量部 陈",
    )
    services.complaint_close(actor=quality, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED and complaint.signature is None  # general: no signature


def test_a_product_complaint_is_not_closed_before_its_reportability_is_assessed(
    quality, hospital, device, reference_data
):
    complaint = receive(quality, hospital, concerns="product", device=device)
    _general(complaint, quality)
    services.complaint_answer(actor=quality, complaint=complaint, **RESOLUTION)
    services.complaint_feedback(
        actor=quality, complaint=complaint, channel="call", acceptance="accepted"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_close(actor=quality, complaint=complaint)
    assert fields(refused) == {"assessment": "required"}


def test_an_unsatisfied_complainant_sends_it_back_and_management_hears(
    complaint, quality, management
):
    _general(complaint, quality)
    services.complaint_answer(actor=quality, complaint=complaint, **RESOLUTION)
    services.complaint_feedback(
        actor=quality, complaint=complaint, channel="call", acceptance="accepted", satisfaction=2
    )
    complaint.refresh_from_db()
    assert complaint.status == S.CONTACTED and complaint.reopen_count == 1
    assert Notification.objects.filter(recipient=management, kind="complaint.escalated").exists()
    running = clocks_for(complaint).filter(code="complaint.answer", status="running")
    assert running.count() == 1  # a new answer is due


def test_classification_follows_the_criteria_and_reclassification_is_audited(complaint, quality):
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_classify(
            actor=quality, complaint=complaint, category="service", severity="general",
            criteria=["media_regulator"],
        )  # fmt: skip
    assert fields(refused) == {"severity": "criteria_met"}
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_classify(
            actor=quality, complaint=complaint, category="service", severity="major"
        )
    assert fields(refused) == {"classification_note": "required"}
    _major(complaint, quality)
    services.complaint_classify(
        actor=quality, complaint=complaint, category="service", severity="general",
        note="经核实无患者伤害",
    )  # fmt: skip
    assert clock(complaint, "complaint.team").status == "cancelled"
    answer = clocks_for(complaint).get(code="complaint.answer", status="running")
    assert answer.due_at == complaint.received_at + timedelta(hours=24)
    event = AuditEvent.objects.get(action="complaint.reclassified", object_id=str(complaint.pk))
    assert event.changes["before"]["severity"] == "major"
    assert event.changes["after"]["severity"] == "general"


def test_only_the_handler_manager_acts_and_answer_needs_a_general_classification(
    complaint, quality, service_manager, sales_manager
):
    services.complaint_assign(actor=quality, complaint=complaint, handler=service_manager)
    assert clock(complaint, "complaint.contact").responsible == service_manager
    with pytest.raises(PermissionDenied):
        services.complaint_contact(actor=sales_manager, complaint=complaint)
    services.complaint_contact(actor=service_manager, complaint=complaint)
    with pytest.raises(InvalidTransition):  # not classified yet
        services.complaint_answer(actor=service_manager, complaint=complaint, **RESOLUTION)


def test_a_closed_complaint_reopens_within_the_window(complaint, quality):
    _general(complaint, quality)
    services.complaint_answer(actor=quality, complaint=complaint, **RESOLUTION)
    services.complaint_feedback(
        actor=quality, complaint=complaint, channel="call", acceptance="accepted", satisfaction=5
    )
    services.complaint_close(actor=quality, complaint=complaint)
    later = complaint.received_at + timedelta(days=91)
    with time_machine.travel(later, tick=False), pytest.raises(Conflict):
        services.complaint_reopen(actor=quality, complaint=complaint, reason="又出现")
    services.complaint_reopen(actor=quality, complaint=complaint, reason="客户再次来电")
    complaint.refresh_from_db()
    assert complaint.status == S.CONTACTED and complaint.reopen_count == 1


def test_a_complaint_names_every_bad_field(quality, hospital, clinic, device, reference_data):
    with pytest.raises(ValidationFailed) as refused:
        services.complaint_create(
            actor=quality,
            channel="fax",
            complainant_name=" ",
            content="",
            concerns="weather",
            customer=clinic,
            device=device,
            complainant_email="not-an-email",
            received_at=at("2026-12-30 10:00"),
        )
    assert fields(refused) == {
        "complainant_name": "required",
        "content": "required",
        "channel": "invalid_choice",
        "concerns": "invalid_choice",
        "complainant_email": "invalid",
        "received_at": "future",
        "device": "other_customer",
    }
    assert not Complaint.objects.exists()


def test_a_warehouse_keeper_may_not_record_and_a_complaint_shows_on_device_and_customer(
    warehouse, quality, hospital, device, reference_data
):
    with pytest.raises(PermissionDenied):
        receive(warehouse, hospital)
    complaint = receive(quality, hospital, concerns="product", device=device)
    from mdss.customers.history import customer_records
    from mdss.devices.selectors import device_history

    assert complaint.number in [e.reference for e in device_history(device)]
    assert [r.reference for r in customer_records(hospital)] == [complaint.number]
