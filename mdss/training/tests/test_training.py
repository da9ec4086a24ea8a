from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from mdss.audit.testing import assert_audited
from mdss.catalog.tests.factories import ModelFactory
from mdss.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification
from mdss.training import compliance, selectors, services
from mdss.training.compliance import Person
from mdss.training.models import (
    Assessment,
    Authorisation,
    Certificate,
    ExternalTraining,
    Retraining,
    TrainingSession,
)
from mdss.training.validators import id_check_character, validate_id_number

TODAY = date(2026, 11, 27)


def _session(trainer, team="sales", held_on=date(2026, 10, 31), kind="internal", **extra):
    return services.session_plan(
        actor=trainer,
        session=TrainingSession(
            kind=kind,
            team=team,
            title="培训",
            topics=["new_products"],
            held_on=held_on,
            trainer="蒋",
            **extra,
        ),
    )


def _fields(exc):
    return {e.field: e.rule for e in exc.value.errors}


# --- cadence rules -----------------------------------------------------------------------


def test_a_session_on_the_last_day_of_the_month_counts_for_that_month(trainer, rep, other_rep):
    session = _session(trainer, held_on=date(2026, 10, 31))
    services.session_hold(actor=trainer, session=session, present=[rep], absent=[other_rep])
    grid = compliance.team_grid("sales", 2026, TODAY)
    sessions = next(r for r in grid if r.kind == "session")
    october = sessions.cells[9]
    assert (october.start, october.end, october.state, october.count) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        "met",
        1,
    )
    # held, but he was absent; a grid names people by key and name
    assert october.missing == [Person(other_rep.pk, other_rep.display_name)]
    november = sessions.cells[10]
    assert (november.state, november.count) == ("open", 0)  # running, nothing yet
    assert sessions.cells[8].state == "missed"  # September had none
    assert sessions.cells[11].state == "future"


def test_a_quarter_with_no_assessment_is_flagged_with_who_is_missing(trainer, rep, other_rep):
    for person, score in ((rep, 80),):
        a = services.assessment_schedule(
            actor=trainer,
            user=person,
            team="sales",
            period_start=date(2026, 7, 1),
            period_end=date(2026, 9, 30),
            due_on=date(2026, 9, 30),
        )
        services.assessment_record(
            actor=trainer, assessment=a, score=score, held_on=date(2026, 9, 30)
        )
    rule = next(r for r in compliance.team_grid("sales", 2026, TODAY) if r.kind == "assessment")
    q2, q3, q4 = rule.cells[1], rule.cells[2], rule.cells[3]
    assert (q2.state, {p.pk for p in q2.missing}) == ("missed", {rep.pk, other_rep.pk})
    assert (q3.state, [p.pk for p in q3.missing], q3.count) == ("missed", [other_rep.pk], 1)
    assert q4.state == "open"


def test_managers_are_warned_once_before_a_period_ends_without_training(
    trainer, sales_manager, rep
):
    assert services.period_end_warning_sweep(today=date(2026, 11, 26)) >= 1
    notes = Notification.objects.filter(
        recipient=sales_manager, kind="training.rule_at_risk", channel="in_app"
    )
    assert notes.exists() and "2026-11-30" in notes.first().subject
    count = notes.count()
    services.period_end_warning_sweep(today=date(2026, 11, 27))
    assert notes.count() == count  # de-duplicated per rule and period
    assert services.period_end_warning_sweep(today=date(2026, 11, 10)) == 0  # too early


def test_the_policy_cadence_decides_the_periods(
    trainer, management, rep, django_capture_on_commit_callbacks
):
    from mdss.calendars.services import policy_change

    policy_change(
        actor=management,
        password="correct-horse-battery-staple",
        note="销售培训改为每两个月",
        targets={},
        cadences={"training.sales.session": {"period_months": 2}},
    )
    rule = next(r for r in compliance.team_grid("sales", 2026, TODAY) if r.kind == "session")
    assert len(rule.cells) == 6 and rule.cells[5].start == date(2026, 11, 1)


# --- the assessment chain ---------------------------------------------------------------


def test_fail_makeup_fail_retraining_reassessment_pass(trainer, engineer, service_manager):
    regular = services.assessment_schedule(
        actor=trainer,
        user=engineer,
        team="service",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        due_on=date(2026, 6, 20),
    )
    services.assessment_record(
        actor=trainer, assessment=regular, score=45, held_on=date(2026, 6, 10)
    )
    makeup = Assessment.objects.get(follows=regular)
    assert (makeup.kind, makeup.status, makeup.due_on) == ("makeup", "scheduled", date(2026, 6, 24))
    assert Notification.objects.filter(recipient=engineer, kind="training.assessment").exists()
    assert Notification.objects.filter(
        recipient=service_manager, kind="training.assessment"
    ).exists()
    services.assessment_record(
        actor=trainer, assessment=makeup, score="58.5", held_on=date(2026, 6, 24)
    )
    retraining = Retraining.objects.get(failed=makeup)
    assert (retraining.status, retraining.due_on) == ("assigned", date(2026, 7, 24))
    with pytest.raises(ValidationFailed):
        services.retraining_complete(
            actor=trainer, retraining=retraining, completed_on=date(2026, 7, 20)
        )
    again = services.retraining_complete(
        actor=trainer, retraining=retraining, completed_on=date(2026, 7, 20), note="超声维修规范"
    )
    assert (again.kind, again.follows, again.status) == ("reassessment", makeup, "scheduled")
    passed = services.assessment_record(
        actor=trainer, assessment=again, score=77, held_on=date(2026, 8, 1)
    )
    assert passed.status == "passed"
    assert not Assessment.objects.filter(user=engineer, status="scheduled").exists()
    assert_audited("training.assessment_failed", makeup, actor=trainer)
    assert_audited("training.retraining_completed", retraining, actor=trainer)
    with pytest.raises(InvalidTransition):
        services.assessment_record(
            actor=trainer, assessment=passed, score=90, held_on=date(2026, 8, 2)
        )


def test_a_score_is_between_0_and_100_and_only_keepers_record_it(trainer, rep, other_rep):
    a = services.assessment_schedule(
        actor=trainer,
        user=rep,
        team="sales",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        due_on=date(2026, 12, 20),
    )
    with pytest.raises(ValidationFailed) as exc:
        services.assessment_record(actor=trainer, assessment=a, score=101, held_on=TODAY)
    assert _fields(exc) == {"score": "range"}
    with pytest.raises(PermissionDenied):
        services.assessment_record(actor=other_rep, assessment=a, score=90, held_on=TODAY)
    with pytest.raises(ValidationFailed) as exc:
        services.assessment_schedule(
            actor=trainer,
            user=rep,
            team="sales",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 12, 31),
            due_on=date(2026, 12, 20),
        )
    assert _fields(exc) == {"period_start": "duplicate"}


# --- competence -------------------------------------------------------------------------------


@pytest.fixture
def ultrasound(db):
    model = ModelFactory()
    model.product.category_code = "06-07-01"
    model.product.save()
    return model


def test_a_valid_certificate_qualifies_an_expired_one_does_not(trainer, engineer, ultrasound):
    c = services.certificate_save(
        actor=trainer,
        certificate=Certificate(
            user=engineer,
            kind="manufacturer",
            name="超声认证",
            number="MFR-1",
            issuer="厂家",
            model=ultrasound,
            valid_until=date(2026, 12, 31),
        ),
    )
    decision = selectors.is_qualified(engineer, ultrasound, TODAY)
    assert decision.ok and "MFR-1" in decision.basis
    decision = selectors.is_qualified(engineer, ultrasound, date(2027, 1, 1))
    assert not decision.ok
    assert [r.code for r in decision.reasons] == ["certificate_expired"]
    assert "MFR-1" in decision.reasons[0].message and "2026-12-31" in decision.reasons[0].message
    assert_audited("training.certificate_saved", c, actor=trainer)


@pytest.mark.parametrize("expired_first", [True, False])
def test_any_valid_basis_qualifies_whatever_else_has_expired(
    expired_first, trainer, engineer, ultrasound
):
    """An expired certificate next to a valid one (or to manufacturer training) does not
    disqualify, in whichever order the rows were written."""
    expired = {"number": "OLD-1", "valid_until": date(2025, 12, 31)}
    valid = {"number": "NEW-1", "valid_until": date(2028, 12, 31)}
    for values in (expired, valid) if expired_first else (valid, expired):
        Certificate.objects.create(
            user=engineer, kind="manufacturer", name="超声认证", issuer="厂家",
            model=ultrasound, **values,
        )  # fmt: skip
    decision = selectors.is_qualified(engineer, ultrasound, TODAY)
    assert decision.ok and decision.reasons == []
    assert "NEW-1" in decision.basis and "OLD-1" in decision.basis  # both were considered
    Certificate.objects.filter(number="NEW-1").audited_update(valid_until=date(2026, 1, 1))
    course = _session(
        trainer, team="service", kind="manufacturer", held_on=date(2026, 6, 1),
        categories_covered=["06-07"],
    )  # fmt: skip
    services.session_hold(actor=trainer, session=course, present=[engineer])
    decision = selectors.is_qualified(engineer, ultrasound, TODAY)
    assert decision.ok and "培训" in decision.basis


def test_a_category_certificate_or_manufacturer_training_qualifies(trainer, engineer, ultrasound):
    assert [r.code for r in selectors.is_qualified(engineer, ultrasound, TODAY).reasons] == [
        "no_competence"
    ]
    course = _session(
        trainer,
        team="service",
        kind="manufacturer",
        held_on=date(2026, 6, 1),
        categories_covered=["06-07"],
    )
    services.session_hold(actor=trainer, session=course, present=[engineer])
    decision = selectors.is_qualified(engineer, ultrasound, TODAY)
    assert decision.ok and "培训" in decision.basis
    # not before the course was held
    assert not selectors.is_qualified(engineer, ultrasound, date(2026, 5, 31)).ok


def test_an_open_failed_assessment_disqualifies_until_passed(
    trainer, engineer, ultrasound, service_manager
):
    services.certificate_save(
        actor=trainer,
        certificate=Certificate(
            user=engineer,
            kind="manufacturer",
            name="超声认证",
            number="MFR-1",
            issuer="厂家",
            model=ultrasound,
        ),
    )
    a = services.assessment_schedule(
        actor=trainer,
        user=engineer,
        team="service",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 12, 31),
        due_on=date(2026, 11, 20),
    )
    services.assessment_record(actor=trainer, assessment=a, score=40, held_on=date(2026, 11, 20))
    decision = selectors.is_qualified(engineer, ultrasound, TODAY)
    assert not decision.ok and [r.code for r in decision.reasons] == ["assessment_failed"]
    # the service manager may let him go for one day, with a reason (audited)
    with pytest.raises(PermissionDenied):
        services.competence_override(
            actor=trainer, engineer=engineer, model=ultrasound, valid_on=TODAY, reason="x"
        )
    override = services.competence_override(
        actor=service_manager,
        engineer=engineer,
        model=ultrasound,
        valid_on=TODAY,
        reason="急诊，附近无其他工程师",
    )
    assert selectors.is_qualified(engineer, ultrasound, TODAY).ok
    assert not selectors.is_qualified(engineer, ultrasound, TODAY + timedelta(days=1)).ok
    assert_audited("training.competence_overridden", override, actor=service_manager)
    makeup = Assessment.objects.get(follows=a)
    services.assessment_record(actor=trainer, assessment=makeup, score=80, held_on=TODAY)
    assert selectors.is_qualified(engineer, ultrasound, TODAY + timedelta(days=1)).ok


def _id(birth="19900307", seq="123"):
    body = f"310101{birth}{seq}"
    return body + id_check_character(body)


def test_identity_card_numbers_are_checked():
    validate_id_number(_id())
    for bad in (_id()[:-1] + ("0" if _id()[-1] != "0" else "1"), "31010119901307123X", "12345"):
        with pytest.raises(ValidationError):
            validate_id_number(bad)


def test_is_authorised_names_the_gap(sales_manager, rep, ultrasound):
    from mdss.accounts.tests.factories import RegionFactory

    province = RegionFactory(code="330000", name="浙江省")
    city = RegionFactory(code="330100", name="杭州市", level="city", parent=province)
    other = RegionFactory(code="320000", name="江苏省")
    assert [r.code for r in selectors.is_authorised(rep, ultrasound, city, TODAY).reasons] == [
        "no_authorisation"
    ]
    a = services.authorisation_save(
        actor=sales_manager,
        authorisation=Authorisation(
            rep=rep,
            number="SQ-1",
            id_number=_id(),
            categories_covered=["06"],
            valid_from=date(2026, 1, 1),
            valid_until=date(2026, 12, 31),
        ),
        models=[],
        regions=[province],
    )
    assert selectors.is_authorised(rep, ultrasound, city, TODAY).ok  # the city's province counts
    assert [r.code for r in selectors.is_authorised(rep, ultrasound, other, TODAY).reasons] == [
        "region_not_covered"
    ]
    assert [r.code for r in selectors.is_authorised(rep, ModelFactory(), city, TODAY).reasons] == [
        "model_not_covered"
    ]
    late = selectors.is_authorised(rep, ultrasound, city, date(2027, 1, 1))
    assert [r.code for r in late.reasons] == ["authorisation_expired"]
    assert "2026-12-31" in late.reasons[0].message
    assert_audited("training.authorisation_saved", a, actor=sales_manager)
    with pytest.raises(PermissionDenied):
        services.authorisation_save(
            actor=rep,
            authorisation=Authorisation(
                rep=rep, number="x", id_number=_id(), valid_from=TODAY, valid_until=TODAY
            ),
            models=[],
            regions=[province],
        )


def test_certificate_expiry_warns_the_holder_and_the_manager_once(
    trainer, engineer, service_manager
):
    Certificate.objects.create(
        user=engineer,
        kind="professional",
        name="维修工程师",
        number="ZG-1",
        issuer="协会",
        valid_until=TODAY + timedelta(days=25),
    )
    assert services.expiry_warning_sweep(today=TODAY) == 1
    assert services.expiry_warning_sweep(today=TODAY) == 0
    for person in (engineer, service_manager):
        assert (
            Notification.objects.filter(
                recipient=person, kind="training.expiry", channel="in_app"
            ).count()
            == 1
        )


# --- external training ------------------------------------------------------------------------


def _request(person):
    return services.external_request(
        actor=person,
        request=ExternalTraining(
            course="法规研修班",
            organiser="协会",
            starts_on=date(2026, 12, 10),
            ends_on=date(2026, 12, 11),
            cost=Decimal("2800"),
            reason="学习新规",
        ),
        today=TODAY,
    )


def test_the_superior_approves_external_training_and_hr_records_the_refund(
    rep, sales_manager, trainer, other_rep
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = _request(rep)
    assert Notification.objects.filter(recipient=sales_manager, kind="training.external").exists()
    with pytest.raises(PermissionDenied):
        services.external_approve(actor=other_rep, request=item)
    with pytest.raises(PermissionDenied):
        services.external_approve(actor=rep, request=item)
    item = services.external_approve(actor=sales_manager, request=item, comment="同意")
    assert (item.status, item.approver) == ("approved", sales_manager)
    with pytest.raises(InvalidTransition):
        services.external_reimburse(actor=trainer, request=item, amount=2800, on=TODAY)
    item = services.external_attended(
        actor=rep, request=item, proof=SimpleUploadedFile("证书.pdf", b"%PDF-1.4")
    )
    with pytest.raises(ValidationFailed) as exc:
        services.external_reimburse(actor=trainer, request=item, amount="3000", on=TODAY)
    assert _fields(exc) == {"amount": "max_value"}
    item = services.external_reimburse(actor=trainer, request=item, amount="2650.5", on=TODAY)
    assert (item.status, item.reimbursed_amount) == ("reimbursed", Decimal("2650.50"))
    assert_audited("training.external_approved", item, actor=sales_manager)


def test_a_rejection_needs_a_reason_and_courses_are_asked_for_in_advance(rep, sales_manager):
    item = _request(rep)
    with pytest.raises(ValidationFailed):
        services.external_reject(actor=sales_manager, request=item, comment="")
    assert (
        services.external_reject(actor=sales_manager, request=item, comment="预算已用完").status
        == "rejected"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.external_request(
            actor=rep,
            request=ExternalTraining(
                course="x",
                organiser="y",
                starts_on=date(2026, 11, 1),
                ends_on=date(2026, 10, 1),
                cost=Decimal("-1"),
                reason="z",
            ),
            today=TODAY,
        )
    assert set(_fields(exc)) >= {"starts_on", "ends_on"}


# --- scope -------------------------------------------------------------------------------------


def test_staff_see_their_own_records_and_managers_their_team(
    rep, other_rep, sales_manager, engineer, trainer
):
    for person in (rep, other_rep, engineer):
        services.assessment_schedule(
            actor=trainer,
            user=person,
            team="sales",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 12, 31),
            due_on=date(2026, 12, 20),
        )
    assert {a.user for a in selectors.assessments_for_user(rep)} == {rep}
    assert {a.user for a in selectors.assessments_for_user(sales_manager)} == {rep, other_rep}
    assert {a.user for a in selectors.assessments_for_user(trainer)} == {rep, other_rep, engineer}
    with pytest.raises(Http404):
        selectors.person_get_for_user(rep, other_rep.pk)
    # A manager keeps the certificates of the team, not of another department.
    with pytest.raises((NotFound, PermissionDenied)):
        services.certificate_save(
            actor=sales_manager,
            certificate=Certificate(
                user=engineer, kind="professional", name="x", number="1", issuer="y"
            ),
        )
    assert not Certificate.objects.filter(user=engineer).exists()
