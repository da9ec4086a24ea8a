"""The register (Q7), measures (Q8) and reviews (Q9): review due dates by level,
overdue measures escalate, the assessment history is kept, every refusal, audit
events and scope."""

from datetime import date, timedelta

import pytest

from mdss.audit.models import AuditEvent
from mdss.calendars.selectors import clocks_for
from mdss.calendars.services import clock_sweep
from mdss.core.errors import Conflict, PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification
from mdss.risk import selectors, services

from .conftest import TODAY, record


@pytest.mark.parametrize(
    ("likelihood", "impact", "zone", "due"),
    [
        # Monthly: by the end of next month.
        (4, 4, "unacceptable", date(2026, 12, 31)),
        # Quarterly: by the end of next quarter.
        (2, 3, "tolerable", date(2027, 3, 31)),
        # Yearly: by the end of next year.
        (1, 2, "acceptable", date(2027, 12, 31)),
    ],
)
def test_the_review_is_due_by_the_level(
    likelihood, impact, zone, due, quality, service_manager, reference_data
):
    it = record(quality, service_manager, likelihood=likelihood, impact=impact)
    assert (it.zone, it.next_review_on) == (zone, due)


def test_an_unacceptable_risk_is_told_to_management(
    quality, service_manager, management, reference_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        it = record(quality, service_manager, likelihood=5, impact=4)
    assert Notification.objects.filter(recipient=management, kind="risk").exists()
    assert AuditEvent.objects.get(action="risk.created", object_id=str(it.pk)).changes["zone"] == (
        "unacceptable"
    )


def test_measures_have_owners_and_clocks_and_escalate_when_overdue(
    risk, quality, engineer, service_manager, reference_data, django_capture_on_commit_callbacks
):
    start = risk.created_at
    measure = services.measure_add(
        actor=service_manager, risk=risk, type="reduce", description="来料焊点抽检",
        owner=engineer, at=start,
    )  # fmt: skip
    clock = clocks_for(measure).get()
    assert clock.code == "risk.measure" and measure.due_at == clock.due_at
    with django_capture_on_commit_callbacks(execute=True):
        clock_sweep(now=clock.due_at + timedelta(minutes=1))
    clock.refresh_from_db()
    assert clock.breached_at is not None and clock.escalated_to == engineer.superior
    # Only the owner or a steward reports it done.
    with pytest.raises(PermissionDenied):
        services.measure_done(actor=service_manager, measure=measure, result="x")
    services.measure_done(actor=engineer, measure=measure, result="抽检规程已执行")
    with pytest.raises(Conflict):
        services.measure_done(actor=quality, measure=measure, result="again")


def test_a_review_records_the_measures_and_reassesses(risk, service_manager, quality):
    first = risk.next_review_on
    review = services.risk_review(
        actor=service_manager, risk=risk, measures_done=True, effective=True,
        note="抽检后无复发", likelihood=2, impact=3, today=TODAY + timedelta(days=20),
    )  # fmt: skip
    risk.refresh_from_db()
    assert review.was_due_on == first and review.assessment.kind == "residual"
    assert (risk.score, risk.zone) == (6, "tolerable")
    assert risk.next_review_on == review.next_review_on == date(2027, 3, 31)
    history = list(risk.assessments.values_list("kind", "score"))
    assert history == [("inherent", 9), ("residual", 6)]
    with pytest.raises(ValidationFailed) as error:
        services.risk_review(
            actor=quality, risk=risk, measures_done="yes", effective=True, note="",
            likelihood=6, impact=0,
        )  # fmt: skip
    assert {e.field for e in error.value.errors} == {
        "measures_done",
        "note",
        "likelihood",
        "impact",
    }


def test_who_may_act(risk, rep, engineer, management, service_manager):
    for call in (
        lambda: services.risk_assess(actor=engineer, risk=risk, likelihood=1, impact=1, note="x"),
        lambda: services.risk_close(actor=service_manager, risk=risk, reason="x"),
        lambda: services.measure_add(
            actor=rep, risk=risk, type="reduce", description="x", owner=rep
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    # The owner (the service manager) assesses; management too.
    services.risk_assess(actor=service_manager, risk=risk, likelihood=2, impact=2, note="降低")
    services.risk_assess(actor=management, risk=risk, likelihood=2, impact=3, note="复核")
    assert risk.assessments.count() == 3


def test_closing_needs_the_measures_done_and_a_reason(risk, quality, engineer):
    measure = services.measure_add(
        actor=quality, risk=risk, type="transfer", description="购买产品责任险", owner=engineer
    )
    with pytest.raises(ValidationFailed):
        services.risk_close(actor=quality, risk=risk, reason=" ")
    with pytest.raises(Conflict):
        services.risk_close(actor=quality, risk=risk, reason="产品已停售")
    services.measure_done(actor=engineer, measure=measure, result="已投保")
    services.risk_close(actor=quality, risk=risk, reason="产品已停售")
    risk.refresh_from_db()
    assert risk.status == "closed" and risk.next_review_on is None
    with pytest.raises(Conflict):
        services.risk_assess(actor=quality, risk=risk, likelihood=1, impact=1, note="x")
    assert AuditEvent.objects.filter(action="risk.closed", object_id=str(risk.pk)).exists()


def test_bad_input_names_the_field(quality, service_manager, customer_user, reference_data):
    with pytest.raises(ValidationFailed) as error:
        record(
            quality, customer_user, likelihood=0, impact=True, category="weather", title="x" * 201,
            source="",
        )  # fmt: skip
    assert {e.field for e in error.value.errors} == {
        "category", "source", "title", "owner", "likelihood", "impact",
    }  # fmt: skip


def test_scope_owner_and_measure_holders(risk, quality, engineer, customer_user, management):
    other = record(quality, quality, likelihood=1, impact=1)
    assert set(selectors.risks_for_user(management)) == {risk, other}
    assert list(selectors.risks_for_user(engineer)) == []
    services.measure_add(
        actor=quality, risk=risk, type="reduce", description="培训", owner=engineer
    )
    assert list(selectors.risks_for_user(engineer)) == [risk]
    with pytest.raises(PermissionDenied):
        selectors.risks_for_user(customer_user)
