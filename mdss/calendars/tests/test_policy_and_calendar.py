from datetime import date
from decimal import Decimal

import pytest

from mdss.audit.models import ESignature
from mdss.audit.testing import assert_audited
from mdss.calendars import selectors, services
from mdss.calendars.models import CalendarDay, PolicyVersion
from mdss.core.errors import Conflict, PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification

PASSWORD = "correct-horse-battery-staple"


def test_policy_version_one_has_the_requirements_defaults(db):
    policy = selectors.active_policy()
    targets = {t.code: (t.duration, t.unit) for t in policy.targets.all()}
    assert targets["service.contact"] == (Decimal("1.00"), "clock_hours")
    assert targets["service.onsite"] == (Decimal("24.00"), "clock_hours")
    assert targets["parts.provide"] == (Decimal("24.00"), "clock_hours")
    assert targets["service.followup"] == (Decimal("3.00"), "working_days")
    assert targets["complaint.contact"] == (Decimal("2.00"), "clock_hours")
    assert targets["complaint.answer"] == (Decimal("24.00"), "clock_hours")
    assert targets["complaint.team"] == (Decimal("48.00"), "clock_hours")


def test_management_changes_the_policy_with_a_signature(management, engineer):
    old_clock = services.clock_start(subject=engineer, code="service.contact")
    new = services.policy_change(
        actor=management,
        password=PASSWORD,
        note="热线响应缩短为30分钟",
        targets={"service.contact": {"duration": "0.5"}},
    )
    assert new.number == 2 and new.is_active
    assert PolicyVersion.objects.get(number=1).is_active is False
    assert selectors.sla_target("service.contact").duration == Decimal("0.50")
    assert selectors.sla_target("service.onsite").duration == Decimal("24.00")  # copied
    old_clock.refresh_from_db()
    assert old_clock.target.policy.number == 1  # running clocks keep their version
    assert ESignature.objects.filter(meaning="policy change approved", signer=management).exists()
    event = assert_audited("policy.version_activated", new, actor=management)
    assert event.changes["targets"]["service.contact"]["after"]["duration"] == "0.50"


def test_only_management_changes_the_policy(rep):
    with pytest.raises(PermissionDenied):
        services.policy_change(actor=rep, password=PASSWORD, note="x", targets={})


def test_a_wrong_password_changes_nothing(management):
    with pytest.raises(ValidationFailed) as exc:
        services.policy_change(
            actor=management,
            password="nope",
            note="x",
            targets={"service.contact": {"duration": "0.5"}},
        )
    assert exc.value.errors[0].field == "password"
    assert PolicyVersion.objects.count() == 1 and PolicyVersion.objects.get().is_active


def test_bad_target_values_name_the_field(management):
    with pytest.raises(ValidationFailed) as exc:
        services.policy_change(
            actor=management,
            password=PASSWORD,
            note="x",
            targets={"service.contact": {"duration": "0"}, "nope": {}},
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"targets.service.contact.duration", "targets.nope"}


def test_a_calendar_change_is_audited_and_reaches_the_engine(admin_user):
    assert selectors.work_calendar().is_working_day(date(2026, 12, 31))
    services.calendar_day_set(
        actor=admin_user,
        day=date(2026, 12, 31),
        is_working_day=False,
        name="公司年终休假",
        reason="总经理通知 2026-12",
    )
    assert not selectors.work_calendar().is_working_day(date(2026, 12, 31))
    assert_audited(
        "calendar.day_set", CalendarDay.objects.get(date=date(2026, 12, 31)), actor=admin_user
    )


def test_only_calendar_administrators_edit_it(rep):
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(
            actor=rep, day=date(2026, 12, 31), is_working_day=False, name="", reason="x"
        )


def test_publishing_next_year_ends_the_provisional_fallback(admin_user):
    assert selectors.work_calendar().add_working_days(date(2027, 1, 4), 1)[1] is True
    services.calendar_day_set(
        actor=admin_user,
        day=date(2027, 1, 1),
        is_working_day=False,
        name="元旦",
        reason="国务院办公厅通知",
    )
    services.calendar_year_publish(actor=admin_user, year=2027, note="国办发明电〔2026〕")
    assert selectors.work_calendar().add_working_days(date(2026, 12, 31), 1) == (
        date(2027, 1, 4),
        False,
    )
    with pytest.raises(Conflict):
        services.calendar_year_publish(actor=admin_user, year=2027)


def test_from_november_administrators_are_told_next_year_is_missing(admin_user):
    assert services.calendar_missing_alert(today=date(2026, 10, 31)) is False
    assert services.calendar_missing_alert(today=date(2026, 11, 1)) is True
    services.calendar_missing_alert(today=date(2026, 11, 1))  # same day: no second message
    assert (
        Notification.objects.filter(
            recipient=admin_user, kind="calendar.missing", channel="in_app"
        ).count()
        == 1
    )


def test_statutory_years_are_loaded_by_the_migration(db):
    assert 2026 in selectors.published_years() and 2004 in selectors.published_years()
    assert services.calendar_load_statutory() == 0


def test_the_default_cadences_follow_the_policy(db):
    assert (selectors.cadence("customers.return_visit").period_months, 1) == (3, 1)
    assert selectors.cadence("training.sales.session").period_months == 1
    assert selectors.cadence("training.service.session").period_months == 2
    assert selectors.cadence("training.service.assessment").period_months == 6


def test_a_cadence_change_is_a_new_signed_version_and_announced(
    management, django_capture_on_commit_callbacks
):
    from mdss.calendars.signals import policy_activated

    seen = []

    def receiver(sender, policy, **kwargs):
        seen.append(policy.number)

    policy_activated.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            new = services.policy_change(
                actor=management,
                password=PASSWORD,
                note="回访改为每两个月一次",
                targets={},
                cadences={"customers.return_visit": {"period_months": 2}},
            )
    finally:
        policy_activated.disconnect(receiver)
    assert seen == [new.number]
    assert selectors.cadence("customers.return_visit").period_months == 2
    assert selectors.cadence("training.sales.session").period_months == 1  # copied
    event = assert_audited("policy.version_activated", new, actor=management)
    assert event.changes["targets"]["customers.return_visit"]["after"]["period_months"] == 2


def test_a_bad_cadence_names_the_field(management):
    with pytest.raises(ValidationFailed) as exc:
        services.policy_change(
            actor=management,
            password=PASSWORD,
            note="x",
            targets={},
            cadences={"customers.return_visit": {"period_months": 5, "min_count": 0}},
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {
        "cadences.customers.return_visit.period_months",
        "cadences.customers.return_visit.min_count",
    }
    assert PolicyVersion.objects.count() == 1
