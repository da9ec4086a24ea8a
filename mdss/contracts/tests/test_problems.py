import pytest
import time_machine

from mdss.audit.testing import assert_audited
from mdss.contracts import services
from mdss.contracts.models import Problem
from mdss.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification


def test_a_problem_is_escalated_and_management_decides_on_legal_action(
    signed, rep, management, other_rep
):
    problem = services.problem_raise(
        actor=rep, contract=signed, kind="payment_default", description="尾款逾期 90 天"
    )
    services.problem_note(actor=rep, problem=problem, text="电话催款，财务称下月支付")
    with pytest.raises(NotFound):
        services.problem_note(actor=other_rep, problem=problem, text="x")
    with pytest.raises(ValidationFailed):
        services.problem_escalate(actor=rep, problem=problem, reason="")
    problem = services.problem_escalate(actor=rep, problem=problem, reason="多次催款无果")
    assert problem.status == "escalated"
    assert Notification.objects.filter(recipient=management, kind="contracts.problem").exists()
    with pytest.raises(PermissionDenied):
        services.problem_decide(actor=rep, problem=problem, decision="settle", note="x")
    with pytest.raises(InvalidTransition):
        services.problem_resolve(actor=rep, problem=problem, outcome="客户已付")
    problem = services.problem_decide(
        actor=management,
        problem=problem,
        decision="legal_action",
        note="委托律师起诉",
        case_reference="(2026)沪0101民初123号",
    )
    assert (problem.status, problem.decision, problem.case_reference) == (
        "decided",
        "legal_action",
        "(2026)沪0101民初123号",
    )
    assert_audited("contracts.problem_decided", signed, actor=management)
    assert problem.notes.count() == 1


def test_a_problem_resolved_with_the_customer_needs_the_outcome(signed, rep):
    problem = services.problem_raise(
        actor=rep, contract=signed, kind="late_delivery", description="厂家延迟两周"
    )
    with pytest.raises(ValidationFailed):
        services.problem_resolve(actor=rep, problem=problem, outcome=" ")
    assert (
        services.problem_resolve(actor=rep, problem=problem, outcome="客户同意延期").status
        == "resolved"
    )
    with pytest.raises(ValidationFailed):
        services.problem_raise(actor=rep, contract=signed, kind="weather", description="x")
    assert Problem.objects.count() == 1


def test_problems_in_the_contract_page(client, signed, rep, management):
    client.force_login(rep)
    client.post(
        f"/contracts/{signed.pk}/problems/",
        {
            "problem-kind": "quality",
            "problem-description": "客户反映屏幕偏暗",
        },
    )
    problem = Problem.objects.get()
    client.post(f"/contracts/problems/{problem.pk}/escalate/", {"text": "需要换货"})
    problem.refresh_from_db()
    assert problem.status == "escalated"
    client.force_login(management)
    page = client.get(f"/contracts/{signed.pk}/").content.decode()
    assert f"/contracts/problems/{problem.pk}/decide/" in page
    client.force_login(rep)
    refused = client.post(
        f"/contracts/problems/{problem.pk}/decide/", {"decision": "settle", "text": "x"}
    )
    assert refused.status_code == 403
    client.force_login(management)
    client.post(
        f"/contracts/problems/{problem.pk}/decide/",
        {
            "decision": "settle",
            "text": "换货处理",
        },
    )
    problem.refresh_from_db()
    assert (problem.status, problem.decision) == ("decided", "settle")


@time_machine.travel("2026-11-27 10:00 +0800", tick=False)
def test_an_unresolved_problem_goes_to_management_when_its_interval_runs_out(
    signed, rep, management
):
    from datetime import timedelta

    from django.utils import timezone

    from mdss.calendars.selectors import clocks_for

    problem = services.problem_raise(
        actor=rep, contract=signed, kind="late_delivery", description="厂家缺货，交期延误"
    )
    resolved = services.problem_raise(
        actor=rep, contract=signed, kind="quality", description="外包装破损"
    )
    services.problem_resolve(actor=rep, problem=resolved, outcome="已换货")
    clock = clocks_for(problem).get()
    assert clock.code == "contract.problem" and clock.responsible == rep
    # 10 working days from Friday 27 November: due on Friday 11 December.
    assert timezone.localtime(clock.due_at).date().isoformat() == "2026-12-11"
    assert services.problem_escalation_sweep(now=clock.due_at - timedelta(minutes=1)) == 0
    assert services.problem_escalation_sweep(now=clock.due_at) == 1
    problem.refresh_from_db()
    assert problem.status == "escalated"
    assert clocks_for(problem).get().status in {"missed", "met"}
    assert Notification.objects.filter(recipient=management, kind="contracts.problem").exists()
    assert_audited("contracts.problem_escalated", signed, actor=None)
    # A second run escalates nothing twice; the resolved one is never escalated.
    assert services.problem_escalation_sweep(now=clock.due_at) == 0
    resolved.refresh_from_db()
    assert resolved.status == "resolved"


@time_machine.travel("2026-11-27 10:00 +0800", tick=False)
def test_the_sla_sweep_escalates_a_problem_as_its_clock_breaches(signed, rep, management):
    """The contracts app registers a breach handler (calendars.hooks.on_breach): the
    minute sweep that marks the clock breached escalates the problem, no hourly wait."""
    from datetime import timedelta

    from django.test import TestCase

    from mdss.calendars import services as clocks
    from mdss.calendars.selectors import clocks_for

    problem = services.problem_raise(
        actor=rep, contract=signed, kind="late_delivery", description="交期延误"
    )
    clock = clocks_for(problem).get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        clocks.clock_sweep(now=clock.due_at + timedelta(minutes=1))
    problem.refresh_from_db()
    assert problem.status == "escalated"
    assert services.problem_escalation_sweep(now=clock.due_at + timedelta(hours=1)) == 0
