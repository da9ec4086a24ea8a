from datetime import date
from decimal import Decimal

import pytest
import time_machine

from mdss.audit.testing import assert_audited
from mdss.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from mdss.customers import purchases, services
from mdss.customers.models import Customer, Feedback, ReturnVisit
from mdss.customers.tests.factories import (
    ContactFactory,
    CustomerFactory,
    FeedbackFactory,
    QualificationFactory,
)
from mdss.notifications.models import Notification

VALID_CODE = "91350100M000100Y43"
TODAY = date(2026, 11, 27)


def _new(owner, region, **fields):
    values = {"name": "杭州市第一人民医院", "kind": "public_hospital", "hospital_level": "3"}
    values.update(fields)
    return Customer(owner=owner, region=region, **values)


def _fields(exc) -> dict[str, str]:
    return {e.field: e.rule for e in exc.value.errors}


def test_a_rep_records_a_customer_which_is_audited(rep, city):
    customer = services.customer_save(
        actor=rep, customer=_new(rep, city, credit_code=VALID_CODE.lower())
    )
    assert customer.province_id == city.parent_id
    assert customer.team_id == rep.department_id
    assert customer.credit_code == VALID_CODE
    assert customer.status == "potential" and customer.next_visit_due is None
    event = assert_audited("customers.customer_created", customer, actor=rep)
    assert event.changes["name"] == "杭州市第一人民医院"


def test_a_bad_credit_code_names_the_field(rep, city):
    with pytest.raises(ValidationFailed) as exc:
        services.customer_save(
            actor=rep, customer=_new(rep, city, credit_code="91350100M000100Y44")
        )
    assert _fields(exc) == {"credit_code": "credit_code_check"}
    assert not Customer.objects.exists()


def test_duplicates_by_name_and_credit_code_are_refused(rep, other_rep, city):
    services.customer_save(actor=rep, customer=_new(rep, city, credit_code=VALID_CODE))
    with pytest.raises(ValidationFailed) as exc:
        services.customer_save(
            actor=rep,
            customer=_new(rep, city, name=" 杭州市第一人民医院 ", credit_code=VALID_CODE),
        )
    assert _fields(exc) == {"name": "duplicate", "credit_code": "duplicate"}
    # Another rep learns that it exists, not whose it is.
    with pytest.raises(ValidationFailed) as exc:
        services.customer_save(actor=other_rep, customer=_new(other_rep, city))
    assert "孙代表" not in exc.value.errors[0].message
    assert Customer.objects.count() == 1


def test_a_public_hospital_has_a_level_and_a_dealer_none(rep, city):
    with pytest.raises(ValidationFailed) as exc:
        services.customer_save(actor=rep, customer=_new(rep, city, hospital_level=""))
    assert _fields(exc) == {"hospital_level": "required"}
    with pytest.raises(ValidationFailed) as exc:
        services.customer_save(actor=rep, customer=_new(rep, city, kind="dealer", name="某公司"))
    assert _fields(exc) == {"hospital_level": "not_a_hospital"}


def test_a_rep_cannot_give_a_customer_to_another_rep_but_a_manager_can(
    rep, other_rep, sales_manager, other_manager, city
):
    with pytest.raises(ValidationFailed) as exc:
        services.customer_save(actor=rep, customer=_new(other_rep, city))
    assert _fields(exc) == {"owner": "scope"}
    customer = services.customer_save(actor=sales_manager, customer=_new(rep, city))
    with pytest.raises(NotFound):  # the other team's manager does not see it at all
        services.customer_reassign(
            actor=other_manager, customer=customer, owner=other_manager, reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.customer_reassign(actor=rep, customer=customer, owner=other_rep, reason="x")
    moved = services.customer_reassign(
        actor=sales_manager, customer=customer, owner=other_rep, reason="区域调整"
    )
    assert moved.owner == other_rep
    assert_audited("customers.customer_reassigned", customer, actor=sales_manager)
    assert Notification.objects.filter(recipient=other_rep, kind="customers.assigned").exists()


def test_an_edit_records_the_field_diff_and_cannot_move_the_owner(rep, other_rep, city):
    customer = services.customer_save(actor=rep, customer=_new(rep, city))
    customer.address = "上塘路 1 号"
    services.customer_save(actor=rep, customer=customer)
    event = assert_audited("customers.customer_changed", customer, actor=rep)
    assert event.changes == {"address": {"before": "", "after": "上塘路 1 号"}}
    customer.owner = other_rep
    with pytest.raises(ValidationFailed) as exc:
        services.customer_save(actor=rep, customer=customer)
    assert _fields(exc) == {"owner": "reassign"}


def test_another_rep_cannot_edit_a_customer(rep, other_rep, city):
    customer = services.customer_save(actor=rep, customer=_new(rep, city))
    customer.address = "x"
    with pytest.raises(NotFound):
        services.customer_save(actor=other_rep, customer=customer)


# --- status, return visits and their due dates -------------------------------------------------


def test_the_first_contract_makes_a_customer_existing_with_a_visit_due_this_quarter(rep):
    customer = CustomerFactory(owner=rep)
    services.customer_mark_existing(customer=customer, on_date=date(2026, 5, 10))
    customer.refresh_from_db()
    assert (customer.status, customer.became_existing_on) == ("existing", date(2026, 5, 10))
    assert customer.next_visit_due == date(2026, 6, 30)
    assert_audited("customers.became_existing", customer)
    # a second signed contract changes nothing
    services.customer_mark_existing(customer=customer, on_date=date(2026, 8, 1))
    customer.refresh_from_db()
    assert customer.became_existing_on == date(2026, 5, 10)


def _visit(customer, visited_on, **fields):
    values = {"method": "on_site", "product_use": "运行正常", "satisfaction": 4}
    values.update(fields)
    return ReturnVisit(customer=customer, visited_on=visited_on, **values)


def test_a_visit_moves_the_due_date_to_the_end_of_the_next_quarter(rep):
    customer = CustomerFactory(owner=rep, existing=True)  # due 2026-03-31
    services.visit_record(actor=rep, visit=_visit(customer, date(2026, 11, 2)), today=TODAY)
    customer.refresh_from_db()
    assert (customer.last_visit_on, customer.next_visit_due) == (
        date(2026, 11, 2),
        date(2027, 3, 31),
    )
    visit = ReturnVisit.objects.get()
    assert visit.visitor == rep and visit.policy.number == 1
    event = assert_audited("customers.visit_recorded", visit, actor=rep)
    assert event.changes["next_visit_due"] == {"before": "2026-03-31", "after": "2027-03-31"}


def test_an_earlier_visit_recorded_late_does_not_move_the_last_visit_back(rep):
    customer = CustomerFactory(owner=rep, existing=True)
    services.visit_record(actor=rep, visit=_visit(customer, date(2026, 11, 2)), today=TODAY)
    services.visit_record(actor=rep, visit=_visit(customer, date(2026, 8, 2)), today=TODAY)
    customer.refresh_from_db()
    assert customer.last_visit_on == date(2026, 11, 2)
    assert customer.next_visit_due == date(2027, 3, 31)


def test_visits_are_for_existing_customers_and_not_in_the_future(rep):
    potential = CustomerFactory(owner=rep)
    existing = CustomerFactory(owner=rep, existing=True)
    other = ContactFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(actor=rep, visit=_visit(potential, TODAY), today=TODAY)
    assert _fields(exc) == {"customer": "potential"}
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(actor=rep, visit=_visit(existing, TODAY, satisfaction=6), today=TODAY)
    assert _fields(exc) == {"satisfaction": "max_value"}
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(
            actor=rep, visit=_visit(existing, date(2026, 11, 28), contact=other), today=TODAY
        )
    assert _fields(exc) == {"visited_on": "future", "contact": "other_customer"}
    assert not ReturnVisit.objects.exists()


def test_flagged_feedback_goes_on_the_strategy_list_and_tells_the_manager(rep, sales_manager):
    customer = CustomerFactory(owner=rep, existing=True)
    services.visit_record(
        actor=rep,
        visit=_visit(customer, TODAY, feedback="希望增加便携型号"),
        today=TODAY,
        flag_for_strategy=True,
        feedback_category="product",
    )
    feedback = Feedback.objects.get()
    assert (feedback.status, feedback.category, feedback.text) == (
        "open",
        "product",
        "希望增加便携型号",
    )
    assert feedback.visit.customer == customer
    assert Notification.objects.filter(recipient=sales_manager, kind="customers.feedback").exists()
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(
            actor=rep, visit=_visit(customer, TODAY), today=TODAY, flag_for_strategy=True
        )
    assert _fields(exc) == {"feedback": "required"}


def test_feedback_is_acted_on_then_closed_by_a_manager_with_the_decision(rep, sales_manager):
    feedback = FeedbackFactory(customer=CustomerFactory(owner=rep, existing=True), raised_by=rep)
    with pytest.raises(ValidationFailed):
        services.feedback_act(actor=rep, feedback=feedback, action=" ")
    feedback = services.feedback_act(actor=rep, feedback=feedback, action="已联系厂家")
    assert feedback.status == "acted_on"
    with pytest.raises(PermissionDenied):
        services.feedback_close(actor=rep, feedback=feedback, decision="x")
    with pytest.raises(InvalidTransition):
        services.feedback_act(actor=rep, feedback=feedback, action="again")
    feedback = services.feedback_close(
        actor=sales_manager, feedback=feedback, decision="明年引进便携型号"
    )
    assert (feedback.status, feedback.decided_by) == ("closed", sales_manager)
    assert_audited("customers.feedback_closed", feedback, actor=sales_manager)
    assert Notification.objects.filter(recipient=rep, kind="customers.feedback_closed").exists()
    with pytest.raises(InvalidTransition):
        services.feedback_close(actor=sales_manager, feedback=feedback, decision="again")


def test_a_policy_change_of_the_cadence_replans_due_dates(
    rep, management, django_capture_on_commit_callbacks
):
    from mdss.calendars.services import policy_change

    customer = CustomerFactory(
        owner=rep, existing=True, last_visit_on=date(2026, 11, 2), next_visit_due=date(2027, 3, 31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy_change(
            actor=management,
            password="correct-horse-battery-staple",
            note="每两个月回访一次",
            targets={},
            cadences={"customers.return_visit": {"period_months": 2}},
        )
    customer.refresh_from_db()
    assert customer.next_visit_due == date(2027, 2, 28)  # Nov–Dec visited → Jan–Feb period


def test_the_weekly_reminder_tells_each_rep_once(rep, other_rep):
    CustomerFactory(owner=rep, existing=True)  # overdue since 2026-03-31
    CustomerFactory(owner=other_rep, existing=True, next_visit_due=date(2027, 3, 31))
    assert services.visit_reminder_sweep(today=TODAY) == 1
    assert services.visit_reminder_sweep(today=TODAY) == 0
    note = Notification.objects.get(kind="customers.visits_due", channel="in_app")
    assert note.recipient == rep and "1" in note.subject


# --- qualifications ---------------------------------------------------------------------------


def test_a_dealer_licence_needs_classes_and_a_filing_covers_class_two_only(rep):
    dealer = CustomerFactory(owner=rep, kind="dealer", hospital_level="")
    from mdss.customers.models import Qualification

    with pytest.raises(ValidationFailed) as exc:
        services.qualification_save(
            actor=rep,
            qualification=Qualification(
                customer=dealer,
                kind="business_filing",
                number="浙杭食药监械经营备2026001号",
                scope_classes=["III"],
            ),
        )
    assert _fields(exc) == {"scope_classes": "filing"}
    with pytest.raises(ValidationFailed) as exc:
        services.qualification_save(
            actor=rep,
            qualification=Qualification(
                customer=dealer, kind="medical_institution", number="x", valid_until=TODAY
            ),
        )
    assert _fields(exc) == {"kind": "dealer"}
    q = services.qualification_save(
        actor=rep,
        qualification=Qualification(
            customer=dealer,
            kind="business_licence",
            number="浙杭食药监械经营许20260001号",
            scope_classes=["iii", "II"],
            valid_until=date(2030, 1, 1),
        ),
    )
    assert q.scope_classes == ["II", "III"]
    assert_audited("customers.qualification_saved", q, actor=rep)


def test_a_correction_needs_a_reason_and_a_void_keeps_the_row(rep):
    q = QualificationFactory(customer=CustomerFactory(owner=rep))
    q.valid_until = date(2031, 12, 31)
    with pytest.raises(ValidationFailed) as exc:
        services.qualification_save(actor=rep, qualification=q)
    assert _fields(exc) == {"reason": "required"}
    services.qualification_save(actor=rep, qualification=q, reason="换发新证")
    services.qualification_void(actor=rep, qualification=q, reason="录入错误")
    q.refresh_from_db()
    assert q.voided_at is not None and q.void_reason == "录入错误"


def test_the_owning_rep_is_warned_once_per_threshold_before_expiry(rep):
    q = QualificationFactory(customer=CustomerFactory(owner=rep), valid_until=date(2027, 1, 20))
    assert services.qualification_warning_sweep(today=TODAY) == 1  # 54 days: the 90-day warning
    assert services.qualification_warning_sweep(today=TODAY) == 0
    assert services.qualification_warning_sweep(today=date(2027, 1, 1)) == 1  # 19 days: 30
    q.refresh_from_db()
    assert q.warned_days == 30
    assert (
        Notification.objects.filter(
            recipient=rep, kind="customers.qualification_expiry", channel="in_app"
        ).count()
        == 2
    )


# --- grades ---------------------------------------------------------------------------------


def test_grades_follow_twelve_months_of_revenue_once_there_is_a_source(rep, monkeypatch):
    a, b, c = (CustomerFactory(owner=rep, grade="C") for _ in range(3))
    monkeypatch.setattr(purchases, "_amounts", [])
    assert services.customer_grade_recompute(today=TODAY) == 0  # no revenue source: no change

    def amounts(ids, start, end):
        assert (start, end) == (date(2025, 11, 27), TODAY)
        return {a.pk: Decimal("1200000"), b.pk: Decimal("300000")}

    purchases.register(amounts=amounts)
    assert services.customer_grade_recompute(today=TODAY) == 2
    assert [x.grade for x in Customer.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("pk")] == [
        "A",
        "B",
        "C",
    ]
    assert_audited("customers.grade_recomputed", a)


@time_machine.travel("2026-11-27 10:00 +0800")
def test_the_visit_period_follows_the_policy(db):
    from mdss.customers.selectors import visit_period

    period = visit_period(TODAY)
    assert (period.start, period.end, period.months) == (date(2026, 10, 1), date(2026, 12, 31), 3)


def test_the_compiled_scope_lookup_finds_exactly_what_the_scoped_queryset_finds(
    rep, other_rep, sales_manager, other_manager, management
):
    from django.http import Http404

    from mdss.accounts.tests.factories import UserFactory
    from mdss.customers.permissions import scoped
    from mdss.customers.selectors import customer_in_scope

    # A manager without a department still sees the customers of the reps under them.
    lone = UserFactory(username="lone", superior=management, roles=["sales_manager"])
    report = UserFactory(username="report", superior=lone, roles=["sales_rep"])
    owners = {"rep": rep, "rep2": other_rep, "manager2": other_manager, "report": report}
    owners["lone"] = lone
    customers = {name: CustomerFactory(owner=owner).pk for name, owner in owners.items()}
    sees = {
        rep: {"rep"},
        other_rep: {"rep2"},
        sales_manager: {"rep", "rep2"},  # the department and the reports
        other_manager: {"manager2"},
        lone: {"lone", "report"},
        report: {"report"},
        management: set(customers),
    }
    for viewer, names in sees.items():
        found = set()
        for name, pk in customers.items():
            try:
                assert customer_in_scope(viewer, pk).pk == pk
                found.add(name)
            except Http404:
                pass
        assert found == names, viewer.username
        listed = set(scoped(Customer.objects.all(), viewer).values_list("pk", flat=True))
        assert listed & set(customers.values()) == {customers[n] for n in names}
