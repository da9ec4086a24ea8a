"""The whole case through the services: the hotline call at 23:40 on the eve of the
National Day holiday, the engineer contacting, the visit, parts from the warehouse,
the customer's signature, the follow-up on the right working day and the
improvement action a poor rating opens."""

from datetime import date, timedelta

import pytest
import time_machine

from mdss.audit.models import AuditEvent
from mdss.calendars.selectors import clocks_for
from mdss.core.errors import Conflict, PermissionDenied, ValidationFailed
from mdss.inventory import services as inventory
from mdss.inventory.models import Location, Part, Warehouse
from mdss.service import services
from mdss.service.choices import RequestStatus as S

from .conftest import PNG, at, log_call


def clock(request, code):
    return clocks_for(request).get(code=code)


@pytest.fixture
def stocked_warehouse(db, warehouse):
    central = Warehouse.objects.create(
        code="SH", name="上海中心库", kind="central", keeper=warehouse
    )
    shelf = Location.objects.create(warehouse=central, code="A-01", name="A-01")
    board = Part.objects.create(number="SP-2001", name="主控板", tracking="serial", unit="块")
    inventory.stock_receive(
        actor=warehouse, part=board, location=shelf, quantity=2, lot="MB-100", reference="CG-1"
    )
    return central, shelf, board


def test_a_holiday_eve_call_runs_to_the_follow_up_and_an_improvement(
    service_manager, engineer, qualified, warehouse, hospital, device, reference_data,
    stocked_warehouse,
):  # fmt: skip
    central, shelf, board = stocked_warehouse
    with time_machine.travel(at("2026-09-30 23:40"), tick=False) as clock_hand:
        request = log_call(service_manager, hospital, device, urgency="high")
        assert request.number.startswith("FW-2026-")
        assert request.status == S.NEW and request.under_warranty
        contact = clock(request, "service.contact")
        assert contact.due_at == at("2026-10-01 00:40")
        assert request.due_at == contact.due_at

        clock_hand.move_to(at("2026-09-30 23:45"))
        services.request_dispatch(actor=service_manager, request=request, engineer=engineer)
        request.refresh_from_db()
        assert request.status == S.NEW and request.engineer == engineer
        assert clock(request, "service.contact").responsible == engineer

        clock_hand.move_to(at("2026-10-01 00:30"))
        services.request_contact(actor=engineer, request=request, note="约好明早到场")
        assert clock(request, "service.contact").status == "met"

        clock_hand.move_to(at("2026-10-01 00:35"))
        request = services.request_triage(actor=engineer, request=request, triage="complex")
        assert request.status == S.DISPATCHED  # the engineer on the job is qualified
        onsite = clock(request, "service.onsite")
        assert onsite.due_at == at("2026-10-02 00:35") and onsite.responsible == engineer

        clock_hand.move_to(at("2026-10-01 00:50"))
        requisition = services.request_parts(
            actor=engineer, request=request, warehouse=central, lines=[(board, 1)],
            need_by=date(2026, 10, 1), today=date(2026, 10, 1),
        )  # fmt: skip
        assert requisition.service_reference == request.number
        clock_hand.move_to(at("2026-10-01 07:00"))
        line = requisition.lines.get()
        inventory.requisition_issue(
            actor=warehouse, requisition=requisition,
            issues=[inventory.Issue(line=line, quantity=1, from_location=shelf, lot="MB-100")],
        )  # fmt: skip

        clock_hand.move_to(at("2026-10-01 09:00"))
        services.request_check_in(actor=engineer, request=request)
        assert clock(request, "service.onsite").status == "met"
        services.request_repair_record(
            actor=engineer, request=request, fault_symptom="开机黑屏", fault_cause="主控板电容鼓包",
            fault_code="E-PWR", repair_method="更换主控板", labour_minutes=90,
            test_result="开机自检通过，参数正常",
            parts=[services.PartFitted(part=board, new_lot_serial="MB-100",
                                       removed_lot_serial="MB-OLD-7", requisition=requisition)],
        )  # fmt: skip

        clock_hand.move_to(at("2026-10-01 10:30"))
        request = services.request_complete(actor=engineer, request=request)
        follow = clock(request, "service.followup")
        # 3 working days after a day inside the holiday: 8, 9 and the make-up Saturday 10 October.
        assert follow.due_at.astimezone(at("2026-10-10 00:00").tzinfo).date() == date(2026, 10, 10)
        assert request.due_at == follow.due_at

        clock_hand.move_to(at("2026-10-01 10:35"))
        confirmation = services.request_confirm(
            actor=engineer, request=request, accepted=True, signer_name="李护士长",
            signature_png=PNG,
        )  # fmt: skip
        assert bytes(confirmation.signature_png) == PNG and len(confirmation.content_hash) == 64

        clock_hand.move_to(at("2026-10-10 16:00"))
        services.request_follow_up(
            actor=service_manager, request=request, attitude=5, quality=2, timeliness=4,
            satisfied=True, contacted_person="李护士长", comments="修好后两天又报警",
        )  # fmt: skip
        assert clock(request, "service.followup").status == "met"
        improvement = request.improvements.get()
        assert improvement.status == "open" and improvement.owner == service_manager
        assert improvement.due_on == date(2026, 10, 20)
        request = services.request_close(actor=service_manager, request=request)
        assert request.status == S.CLOSED and request.due_at is None

    actions = list(
        AuditEvent.objects.filter(object_id=str(request.pk), action__startswith="service.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "service.created", "service.assigned", "service.contacted", "service.triaged",
        "service.parts_requested", "service.checked_in", "service.repair_recorded",
        "service.completed", "service.confirmed", "service.followed_up",
        "service.improvement_opened", "service.closed",
    ]  # fmt: skip
    # The device's timeline shows the request and the part fitted.
    from mdss.devices.selectors import device_history

    kinds = [e.kind for e in device_history(device)]
    assert "service" in kinds and "part_replaced" in kinds


@pytest.mark.parametrize(("minutes", "outcome"), [(59.99, "met"), (60.02, "missed")])
def test_the_contact_clock_is_met_within_the_hour_and_missed_after(
    call, service_manager, minutes, outcome
):
    with time_machine.travel(call.reported_at + timedelta(minutes=minutes), tick=False):
        services.request_contact(actor=service_manager, request=call)
    assert clock(call, "service.contact").status == outcome


@pytest.mark.parametrize(("hours", "outcome"), [(23.99, "met"), (24.01, "missed")])
def test_the_on_site_clock_runs_24_hours_from_the_triage(
    call, service_manager, engineer, qualified, hours, outcome
):
    services.request_contact(actor=service_manager, request=call)
    services.request_triage(actor=service_manager, request=call, triage="complex")
    call.refresh_from_db()
    assert call.status == S.TO_DISPATCH  # nobody on the job yet
    services.request_dispatch(actor=service_manager, request=call, engineer=engineer)
    started = clock(call, "service.onsite").started_at
    with time_machine.travel(started + timedelta(hours=hours), tick=False):
        services.request_check_in(actor=engineer, request=call)
    assert clock(call, "service.onsite").status == outcome


def _phone_resolved(call, service_manager, when):
    with time_machine.travel(when, tick=False):
        services.request_contact(actor=service_manager, request=call)
        services.request_triage(actor=service_manager, request=call, triage="simple")
        return services.request_resolve_by_phone(
            actor=service_manager, request=call, guidance="重新插拔电源模块", outcome="已恢复"
        )


@pytest.mark.parametrize(
    ("done", "due"),
    [
        # Before the National Day holiday: 8, 9 and the make-up Saturday 10 October.
        ("2026-09-30 17:00", date(2026, 10, 10)),
        # An ordinary Friday: Monday, Tuesday, Wednesday.
        ("2026-11-27 10:00", date(2026, 12, 2)),
    ],
)
def test_the_follow_up_is_due_on_the_third_working_day(call, service_manager, done, due):
    with time_machine.travel(at(done) - timedelta(minutes=5), tick=False):
        call = log_call(service_manager, call.customer, call.device)
    request = _phone_resolved(call, service_manager, at(done))
    follow = clock(request, "service.followup")
    assert follow.due_at.astimezone(at(done).tzinfo).date() == due
    # Recorded on the last day: met; on the next: missed.
    with time_machine.travel(at(f"{due} 23:00"), tick=False):
        services.request_confirm(
            actor=service_manager, request=request, accepted=True, signer_name="李",
            method="verbal",
        )  # fmt: skip
        services.request_follow_up(
            actor=service_manager, request=request, attitude=5, quality=5, timeliness=5,
            satisfied=True, contacted_person="李",
        )  # fmt: skip
    assert clock(request, "service.followup").status == "met"
    assert not request.improvements.exists()


def test_dispatch_to_an_engineer_without_the_competence_is_refused_unless_overridden(
    call, service_manager, engineer
):
    with pytest.raises(ValidationFailed) as refused:
        services.request_dispatch(actor=service_manager, request=call, engineer=engineer)
    assert refused.value.errors[0].field == "engineer"
    assert refused.value.errors[0].rule == "no_competence"
    call.refresh_from_db()
    assert call.engineer is None
    services.request_dispatch(
        actor=service_manager, request=call, engineer=engineer, override_reason="唯一在杭州的工程师"
    )
    call.refresh_from_db()
    assert call.engineer == engineer
    from mdss.training.models import CompetenceOverride

    assert CompetenceOverride.objects.filter(engineer=engineer, model=call.device.model).exists()


def test_only_the_dispatcher_dispatches_and_an_engineer_acts_on_their_own_jobs(
    call, service_manager, engineer, qualified
):
    from mdss.accounts.tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        services.request_dispatch(actor=engineer, request=call, engineer=engineer)
    with pytest.raises(PermissionDenied):
        services.request_contact(actor=engineer, request=call)  # not assigned to them
    other = UserFactory(username="other-eng", roles=["service_engineer"])
    services.request_dispatch(actor=service_manager, request=call, engineer=engineer)
    with pytest.raises(PermissionDenied):
        services.request_contact(actor=other, request=call)
    services.request_contact(actor=engineer, request=call)


def test_a_refused_confirmation_sends_the_job_back_and_cancels_the_follow_up_clock(
    call, service_manager, engineer, qualified
):
    services.request_dispatch(actor=service_manager, request=call, engineer=engineer)
    services.request_contact(actor=engineer, request=call)
    services.request_triage(actor=engineer, request=call, triage="complex")
    services.request_check_in(actor=engineer, request=call)
    with pytest.raises(Conflict):
        services.request_complete(actor=engineer, request=call)  # no repair record yet
    services.request_repair_record(
        actor=engineer, request=call, fault_symptom="黑屏", repair_method="重新固定排线"
    )
    services.request_complete(actor=engineer, request=call)
    with pytest.raises(ValidationFailed) as refused:
        services.request_confirm(actor=engineer, request=call, accepted=True, signer_name="李")
    assert refused.value.errors[0].field == "signature"
    with pytest.raises(ValidationFailed) as refused:
        services.request_confirm(
            actor=engineer, request=call, accepted=True, signer_name="李", signature_png=b"<svg/>"
        )
    assert refused.value.errors[0].rule == "not_png"
    services.request_confirm(
        actor=engineer, request=call, accepted=False, signer_name="李", reason="仍有报警声"
    )
    call.refresh_from_db()
    assert call.status == S.DISPATCHED and call.completed_at is None
    assert clock(call, "service.followup").status == "cancelled"
    # The next visit finishes it; the follow-up clock starts again.
    services.request_check_in(actor=engineer, request=call)
    services.request_repair_record(
        actor=engineer, request=call, fault_symptom="报警", repair_method="更换蜂鸣器"
    )
    services.request_complete(actor=engineer, request=call)
    assert clocks_for(call).filter(code="service.followup", status="running").count() == 1
    assert call.visits.count() == 2


def test_not_satisfied_opens_an_improvement_action_with_its_owner_and_date(
    call, service_manager, engineer
):
    request = _phone_resolved(call, service_manager, at("2026-11-27 10:00"))
    services.request_confirm(
        actor=service_manager, request=request, accepted=True, signer_name="李", method="verbal"
    )
    services.request_follow_up(
        actor=service_manager, request=request, attitude=4, quality=4, timeliness=3,
        satisfied=False, contacted_person="李", improvement="工程师回访培训",
        improvement_owner=engineer, improvement_due=date(2026, 12, 10),
    )  # fmt: skip
    action = request.improvements.get()
    assert (action.description, action.owner, action.due_on) == (
        "工程师回访培训",
        engineer,
        date(2026, 12, 10),
    )
    with pytest.raises(PermissionDenied):
        from mdss.accounts.tests.factories import UserFactory

        services.improvement_complete(
            actor=UserFactory(roles=["service_engineer"]), action=action, result="x"
        )
    services.improvement_complete(actor=engineer, action=action, result="已完成培训")
    action.refresh_from_db()
    assert action.status == "done" and action.result == "已完成培训"


def test_scores_are_1_to_5(call, service_manager):
    request = _phone_resolved(call, service_manager, at("2026-11-27 10:00"))
    services.request_confirm(
        actor=service_manager, request=request, accepted=True, signer_name="李", method="verbal"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.request_follow_up(
            actor=service_manager, request=request, attitude=6, quality=0, timeliness=3,
            satisfied=True, contacted_person="李",
        )  # fmt: skip
    assert [e.field for e in refused.value.errors] == ["attitude", "quality"]


def test_a_closed_request_reopens_as_a_linked_new_one_within_the_window(
    call, service_manager, settings
):
    request = _phone_resolved(call, service_manager, at("2026-11-27 10:00"))
    services.request_confirm(
        actor=service_manager, request=request, accepted=True, signer_name="李", method="verbal"
    )
    services.request_follow_up(
        actor=service_manager, request=request, attitude=5, quality=5, timeliness=5,
        satisfied=True, contacted_person="李",
    )  # fmt: skip
    services.request_close(actor=service_manager, request=request)
    again = services.request_reopen(actor=service_manager, request=request, reason="又黑屏了")
    assert again.reopens == request and again.channel == "reopened"
    assert again.status == S.NEW and clock(again, "service.contact").status == "running"
    request.refresh_from_db()
    assert request.status == S.CLOSED  # the closed record stays as it was
    with pytest.raises(Conflict):  # one open reopening at a time
        services.request_reopen(actor=service_manager, request=request, reason="again")
    services.request_cancel(actor=service_manager, request=again, reason="重复登记")
    settings.SERVICE_REOPEN_DAYS = 30
    with pytest.raises(Conflict):
        services.request_reopen(
            actor=service_manager, request=request, reason="late",
            now=request.closed_at + timedelta(days=31),
        )  # fmt: skip


def test_cancelling_cancels_the_running_clocks(call, service_manager):
    services.request_cancel(actor=service_manager, request=call, reason="客户重复来电")
    assert clock(call, "service.contact").status == "cancelled"
    call.refresh_from_db()
    assert call.due_at is None and call.cancel_reason == "客户重复来电"
    with pytest.raises(ValidationFailed):
        services.request_cancel(actor=service_manager, request=call, reason=" ")


def test_a_call_names_every_bad_field(hospital, device, service_manager, reference_data, clinic):
    with pytest.raises(ValidationFailed) as refused:
        log_call(
            service_manager, clinic, device, reporter_name="", symptom="", urgency="panic",
            channel="fax",
        )  # fmt: skip
    assert {e.field for e in refused.value.errors} == {
        "reporter_name", "symptom", "urgency", "channel", "device",
    }  # fmt: skip


def test_a_call_logged_by_the_engineer_on_call_is_their_job(engineer, hospital, reference_data):
    request = log_call(engineer, hospital)
    assert request.engineer == engineer
    assert clock(request, "service.contact").responsible == engineer


def test_a_missed_deadline_is_on_the_timeline_and_every_dispatcher_hears_of_it(
    call, service_manager, django_capture_on_commit_callbacks
):
    from mdss.calendars.services import clock_sweep
    from mdss.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep(now=call.reported_at + timedelta(hours=2))
    assert AuditEvent.objects.filter(
        action="service.deadline_missed", object_id=str(call.pk)
    ).exists()
    assert Notification.objects.filter(recipient=service_manager, kind="service.breach").exists()


def test_out_of_warranty_work_carries_a_quote(call, service_manager, engineer, hospital, monitor):
    from decimal import Decimal

    from mdss.core.errors import Conflict
    from mdss.devices import services as devices
    from mdss.service.permissions import actions_for

    assert call.under_warranty and "quote" not in actions_for(service_manager, call)
    with pytest.raises(Conflict):
        services.request_quote(actor=service_manager, request=call, amount=100)
    old = devices.device_register(
        actor=service_manager, customer=hospital, model=monitor, serial="SN-OLD",
        origin="taken_over", warranty_until=date(2025, 1, 1),
    )  # fmt: skip
    request = log_call(service_manager, hospital, old)
    services.request_contact(actor=service_manager, request=request)
    request.refresh_from_db()
    assert not request.under_warranty and "quote" in actions_for(service_manager, request)
    with pytest.raises(ValidationFailed) as refused:
        services.request_quote(actor=service_manager, request=request, amount=0)
    assert refused.value.errors[0].field == "amount"
    with pytest.raises(PermissionDenied):
        services.request_quote(actor=engineer, request=request, amount=100)  # not his job
    services.request_quote(
        actor=service_manager, request=request, amount="1280.5", note="主控板 + 2 小时人工"
    )
    request.refresh_from_db()
    assert request.quote_amount == Decimal("1280.50")
