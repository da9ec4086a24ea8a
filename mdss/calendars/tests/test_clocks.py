"""SLA clocks: start, pause, resume, stop; the sweep warns, breaches and escalates once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mdss.audit.models import AuditEvent
from mdss.audit.testing import assert_audited
from mdss.calendars import services
from mdss.calendars.choices import ClockStatus
from mdss.calendars.models import SlaClock
from mdss.core.errors import Conflict, InvalidTransition, ValidationFailed
from mdss.notifications.models import Notification

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def subject(engineer):
    """Any record can carry clocks; a user row stands in for a service request here."""
    return engineer


def test_start_sets_the_deadline_from_the_active_policy(subject, engineer):
    clock = services.clock_start(
        subject=subject, code="service.contact", responsible=engineer, at=at(2026, 10, 1, 23, 30)
    )
    assert clock.due_at == at(2026, 10, 2, 0, 30)  # clock hours run through the holiday night
    assert clock.warn_at == at(2026, 10, 2, 0, 18)  # 80 % of one hour
    assert clock.target.policy.number == 1 and not clock.provisional
    assert_audited("sla.started", clock, code="service.contact")


def test_working_day_clock_ends_with_the_third_working_day(subject):
    clock = services.clock_start(
        subject=subject, code="service.followup", at=at(2026, 9, 30, 15, 0)
    )
    assert clock.due_at == datetime(2026, 10, 10, 23, 59, 59, 999999, tzinfo=SH)


def test_a_clock_in_a_year_without_calendar_is_provisional(subject):
    clock = services.clock_start(subject=subject, code="service.followup", at=at(2027, 3, 5, 9, 0))
    assert clock.provisional
    assert clock.due_at.astimezone(SH).date().isoformat() == "2027-03-10"


def test_the_same_obligation_cannot_run_twice(subject):
    from django.db import transaction

    from mdss.audit.models import AuditEvent
    from mdss.calendars.models import SlaClock

    first = services.clock_start(subject=subject, code="service.contact")
    events = AuditEvent.objects.filter(action="sla.started").count()
    with transaction.atomic():
        with pytest.raises(Conflict):
            services.clock_start(subject=subject, code="service.contact")
        # Refused without a database error: the caller's transaction goes on.
        assert list(SlaClock.objects.filter(code="service.contact")) == [first]
    assert AuditEvent.objects.filter(action="sla.started").count() == events


def test_pause_and_resume_replan_in_clock_hours(subject, rep):
    clock = services.clock_start(
        subject=subject, code="service.contact", at=at(2026, 11, 27, 10, 0)
    )
    services.clock_pause(
        clock=clock, actor=rep, reason="customer asked to call back", at=at(2026, 11, 27, 10, 20)
    )
    resumed = services.clock_resume(clock=clock, actor=rep, at=at(2026, 11, 27, 12, 0))
    assert resumed.due_at == at(2026, 11, 27, 12, 40)
    assert resumed.paused_seconds == 100 * 60
    assert_audited("sla.paused", clock, reason="customer asked to call back")
    assert_audited("sla.resumed", clock)


def test_pause_and_resume_replan_in_working_days(subject, rep):
    clock = services.clock_start(
        subject=subject, code="service.followup", at=at(2026, 9, 30, 15, 0)
    )
    services.clock_pause(
        clock=clock, actor=rep, reason="customer on leave", at=at(2026, 10, 9, 10, 0)
    )
    # One working day (the make-up Saturday 10-10) was left when the clock paused.
    resumed = services.clock_resume(clock=clock, actor=rep, at=at(2026, 10, 12, 9, 0))
    assert resumed.due_at == datetime(2026, 10, 13, 23, 59, 59, 999999, tzinfo=SH)


def test_pausing_needs_a_reason_and_a_running_clock(subject, rep):
    clock = services.clock_start(subject=subject, code="service.contact")
    with pytest.raises(ValidationFailed):
        services.clock_pause(clock=clock, actor=rep, reason=" ")
    with pytest.raises(InvalidTransition):
        services.clock_resume(clock=clock, actor=rep)


def test_stop_is_met_on_time_and_missed_when_late(subject, rep, engineer):
    on_time = services.clock_start(
        subject=subject, code="service.contact", at=at(2026, 11, 27, 10, 0)
    )
    assert (
        services.clock_stop(clock=on_time, actor=rep, at=at(2026, 11, 27, 10, 59)).status
        == ClockStatus.MET
    )
    late = services.clock_start(
        subject=engineer.superior, code="service.contact", at=at(2026, 11, 27, 10, 0)
    )
    assert (
        services.clock_stop(clock=late, actor=rep, at=at(2026, 11, 27, 11, 1)).status
        == ClockStatus.MISSED
    )
    with pytest.raises(InvalidTransition):
        services.clock_stop(clock=late, actor=rep)
    assert_audited("sla.missed", late)


class TestSweep:
    start = at(2026, 11, 27, 10, 0)

    @pytest.fixture
    def clock(self, subject, engineer, management):
        return services.clock_start(
            subject=subject, code="service.contact", responsible=engineer, at=self.start
        )

    def test_nothing_happens_before_the_threshold(self, clock):
        assert services.clock_sweep(now=self.start + timedelta(minutes=47)) == {
            "warned": 0,
            "breached": 0,
            "escalated": 0,
        }

    def test_a_warning_at_the_threshold_goes_to_the_responsible_person(self, clock, engineer):
        counts = services.clock_sweep(now=self.start + timedelta(minutes=49))
        assert counts["warned"] == 1
        message = Notification.objects.get(recipient=engineer, kind="sla.warning", channel="in_app")
        assert "1" in message.subject and str(clock.subject_repr) in message.body
        assert_audited("sla.warned", clock)

    def test_a_breach_is_marked_and_escalated_to_the_superior(
        self, clock, engineer, service_manager
    ):
        counts = services.clock_sweep(now=self.start + timedelta(minutes=61))
        assert counts == {"warned": 0, "breached": 1, "escalated": 1}
        clock.refresh_from_db()
        assert clock.breached_at is not None and clock.escalated_to == service_manager
        assert Notification.objects.filter(recipient=engineer, kind="sla.breach").exists()
        assert Notification.objects.filter(
            recipient=service_manager, kind="sla.escalation"
        ).exists()
        assert_audited("sla.escalated", clock, level=1)

    def test_still_open_one_more_period_later_goes_up_the_ladder(self, clock, management):
        services.clock_sweep(now=self.start + timedelta(minutes=61))
        services.clock_sweep(now=self.start + timedelta(minutes=119))
        assert SlaClock.objects.get(pk=clock.pk).escalation_level == 1
        services.clock_sweep(now=self.start + timedelta(minutes=121))
        clock.refresh_from_db()
        assert clock.escalation_level == 2 and clock.escalated_to == management
        assert Notification.objects.filter(recipient=management, kind="sla.escalation").exists()

    def test_a_second_run_changes_nothing(self, clock):
        now = self.start + timedelta(minutes=61)
        services.clock_sweep(now=now)
        before = (
            Notification.objects.count(),
            AuditEvent.objects.count(),
            list(SlaClock.objects.values()),
        )
        assert services.clock_sweep(now=now) == {"warned": 0, "breached": 0, "escalated": 0}
        assert (
            Notification.objects.count(),
            AuditEvent.objects.count(),
            list(SlaClock.objects.values()),
        ) == before

    def test_one_digest_per_person_not_one_message_per_clock(
        self, engineer, management, service_manager, rep
    ):
        for subject in (rep, service_manager, management):
            services.clock_start(
                subject=subject, code="service.contact", responsible=engineer, at=self.start
            )
        services.clock_sweep(now=self.start + timedelta(minutes=61))
        breach = Notification.objects.filter(
            recipient=engineer, kind="sla.breach", channel="in_app"
        )
        assert breach.count() == 1
        assert breach.get().body.count("•") == 3

    def test_a_backlog_of_breaches_fits_one_message(self, engineer, monkeypatch):
        """After downtime a sweep may find thousands of clocks missed at once: the
        digest lists the first ones and counts the rest, so the message still fits its
        column and the sweep records every breach (it failed on the column guard)."""
        from mdss.accounts.models import User
        from mdss.calendars.services import clocks

        monkeypatch.setattr(clocks, "DIGEST_LINES", 3)
        for n in range(5):
            subject = User.objects.create_user(f"backlog-{n}", password=None)
            services.clock_start(
                subject=subject, code="service.contact", responsible=engineer, at=self.start
            )
        assert services.clock_sweep(now=self.start + timedelta(minutes=61))["breached"] == 5
        body = Notification.objects.get(
            recipient=engineer, kind="sla.breach", channel="in_app"
        ).body
        assert body.count("•") == 3 and "2" in body.splitlines()[-1]

    def test_a_backlog_costs_the_statements_of_a_few_breaches(self, management):
        """Each step claims its clocks with one lock and one update and records their
        events in one insert: a sweep after downtime took 9 ms per clock."""
        from mdss.accounts.models import User
        from mdss.core.testing import sql_of

        def sweep_of(n: int, start: datetime) -> tuple[int, int]:
            for k in range(n):
                subject = User.objects.create_user(f"due-{start:%d}-{k}", password=None)
                services.clock_start(
                    subject=subject, code="service.contact", responsible=management, at=start
                )
            counts = {}
            statements = sql_of(
                lambda: counts.update(services.clock_sweep(now=start + timedelta(minutes=61)))
            )
            return counts["breached"], len(statements)

        # The responsible person has no superior here: no escalation, one update each.
        few = sweep_of(2, self.start)
        many = sweep_of(7, self.start + timedelta(days=1))
        assert few[0] == 2 and many[0] == 7 and few[1] == many[1]
        assert AuditEvent.objects.filter(action="sla.breached").count() == 9

    def test_paused_and_stopped_clocks_are_left_alone(self, clock, rep):
        services.clock_pause(
            clock=clock, actor=rep, reason="waiting", at=self.start + timedelta(minutes=5)
        )
        assert services.clock_sweep(now=self.start + timedelta(hours=5))["breached"] == 0


def test_overdue_list_is_an_index_scan_on_due_at(subject, django_assert_num_queries):
    from mdss.calendars.selectors import clocks_overdue

    services.clock_start(subject=subject, code="service.contact", at=at(2026, 1, 5, 9, 0))
    with django_assert_num_queries(1):
        assert len(list(clocks_overdue(now=at(2026, 1, 5, 11, 0)))) == 1


def test_the_dashboard_counts_my_deadlines(client, engineer, rep):
    services.clock_start(
        subject=rep, code="service.contact", responsible=engineer, at=at(2026, 1, 5, 9, 0)
    )
    services.clock_start(subject=engineer, code="service.followup", responsible=engineer)
    client.force_login(engineer)
    page = client.get("/").content.decode()
    assert 'data-testid="overdue-count">1<' in page


def test_a_paused_clock_is_stopped_when_its_record_closes(subject, rep):
    """clock_stop_for used to stop running clocks only: a record closed while its clock
    waited for the customer left the clock paused for ever."""
    clock = services.clock_start(
        subject=subject, code="service.contact", at=at(2026, 11, 27, 10, 0)
    )
    services.clock_pause(
        clock=clock, actor=rep, reason="客户要求稍后回电", at=at(2026, 11, 27, 10, 20)
    )
    # Closed long after the due time, but the clock stood still from 10:20: met.
    stopped = services.clock_stop_for(
        subject=subject, code="service.contact", actor=rep, at=at(2026, 11, 28, 9, 0)
    )
    assert stopped is not None and stopped.status == ClockStatus.MET
    assert SlaClock.objects.get(pk=clock.pk).stopped_at == at(2026, 11, 28, 9, 0)


def test_a_clock_paused_after_it_fell_due_is_missed_when_stopped(subject, rep):
    clock = services.clock_start(
        subject=subject, code="service.contact", at=at(2026, 11, 27, 10, 0)
    )
    services.clock_pause(clock=clock, actor=rep, reason="late", at=at(2026, 11, 27, 12, 0))
    stopped = services.clock_stop_for(subject=subject, code="service.contact", actor=rep)
    assert stopped.status == ClockStatus.MISSED
