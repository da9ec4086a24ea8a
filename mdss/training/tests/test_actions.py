"""The buttons come from the rules: the actions on sessions, assessments, retraining
and external-training requests, per status, role and relation to the record."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.accounts import roles
from mdss.accounts.tests.factories import UserFactory
from mdss.core.errors import PermissionDenied
from mdss.training import services
from mdss.training.actions import (
    assessment_actions_for,
    external_actions_for,
    retraining_actions_for,
    session_actions_for,
)
from mdss.training.models import Assessment, ExternalTraining, Retraining, TrainingSession

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _training_day():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def _session(trainer):
    return services.session_plan(
        actor=trainer,
        session=TrainingSession(
            kind="internal",
            team="sales",
            title="培训",
            topics=["new_products"],
            held_on=date(2026, 11, 30),
            trainer="蒋",
        ),
    )


def _assessment(trainer, person):
    return services.assessment_schedule(
        actor=trainer,
        user=person,
        team="sales",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        due_on=date(2026, 12, 20),
    )


def _external(person):
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


def test_session_actions_follow_the_status_and_the_role(trainer, sales_manager, rep):
    session = _session(trainer)
    assert session_actions_for(trainer, session) == ["edit", "hold", "cancel"]
    assert session_actions_for(sales_manager, session) == ["edit", "hold", "cancel"]
    assert session_actions_for(rep, session) == []
    session = services.session_hold(actor=trainer, session=session, present=[rep])
    assert session_actions_for(trainer, session) == []


def test_a_rep_sees_a_session_but_may_not_hold_or_cancel_it(client, trainer, rep):
    session = _session(trainer)
    client.force_login(rep)
    page = client.get(f"/training/sessions/{session.pk}/")
    assert page.context["actions"] == [] and page.context["forms"] == {}
    assert f'action="/training/sessions/{session.pk}/cancel/"' not in page.content.decode()
    refused = client.post(f"/training/sessions/{session.pk}/cancel/", {"cancel-reason": "x"})
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        services.session_cancel(actor=rep, session=session, reason="x")
    session.refresh_from_db()
    assert session.status == "planned"
    client.force_login(trainer)
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert f'action="/training/sessions/{session.pk}/hold/"' in page
    assert f'href="/training/sessions/{session.pk}/edit/"' in page
    refused = client.post(f"/training/sessions/{session.pk}/cancel/", {"cancel-reason": ""})
    assert refused.status_code == 200 and refused.context["forms"]["cancel"].errors
    done = client.post(f"/training/sessions/{session.pk}/cancel/", {"cancel-reason": "台风"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert client.get(f"/training/sessions/{session.pk}/cancel/").status_code == 405


def test_assessments_are_recorded_by_the_persons_keepers_only(
    client, trainer, rep, sales_manager, service_manager
):
    assessment = _assessment(trainer, rep)
    assert assessment_actions_for(trainer, assessment) == ["record"]
    assert assessment_actions_for(sales_manager, assessment) == ["record"]
    assert assessment_actions_for(service_manager, assessment) == []  # not his team
    assert assessment_actions_for(rep, assessment) == []
    client.force_login(rep)
    assert client.get(f"/training/assessments/{assessment.pk}/").context["actions"] == []
    refused = client.post(
        f"/training/assessments/{assessment.pk}/record/",
        {"record-score": "100", "record-held_on": "2026-11-27"},
    )
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        services.assessment_record(actor=rep, assessment=assessment, score=100, held_on=TODAY)
    client.force_login(trainer)
    done = client.post(
        f"/training/assessments/{assessment.pk}/record/",
        {"record-score": "40", "record-held_on": "2026-11-27"},
    )
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "failed" and assessment_actions_for(trainer, assessment) == []


def test_retraining_is_recorded_by_keepers(trainer, engineer, service_manager):
    first = _assessment(trainer, engineer)
    services.assessment_record(actor=trainer, assessment=first, score=10, held_on=TODAY)
    makeup = Assessment.objects.get(follows=first)
    services.assessment_record(actor=trainer, assessment=makeup, score=10, held_on=TODAY)
    retraining = Retraining.objects.get(failed=makeup)
    assert retraining_actions_for(service_manager, retraining) == ["complete"]
    assert retraining_actions_for(engineer, retraining) == []


def test_external_training_actions_follow_the_step_and_the_person(
    client, rep, sales_manager, trainer, management
):
    item = _external(rep)
    assert external_actions_for(sales_manager, item) == ["approve", "reject"]
    assert external_actions_for(management, item) == ["approve", "reject"]
    assert external_actions_for(rep, item) == []
    assert external_actions_for(trainer, item) == []  # HR sees it, the superior decides
    client.force_login(trainer)
    assert client.get(f"/training/external/{item.pk}/").context["actions"] == []
    refused = client.post(f"/training/external/{item.pk}/approve/", {"approve-comment": "好"})
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        services.external_approve(actor=trainer, request=item)
    item = services.external_approve(actor=sales_manager, request=item)
    assert external_actions_for(rep, item) == ["attended"]
    assert external_actions_for(sales_manager, item) == []
    client.force_login(rep)
    done = client.post(
        f"/training/external/{item.pk}/attended/",
        {"attended-proof": SimpleUploadedFile("证书.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert external_actions_for(trainer, item) == ["reimburse"]
    assert external_actions_for(sales_manager, item) == []
    client.force_login(sales_manager)
    refused = client.post(
        f"/training/external/{item.pk}/reimburse/",
        {"reimburse-amount": "2800", "reimburse-on": "2026-11-27"},
    )
    assert refused.status_code == 403


def test_a_superior_whose_role_may_not_decide_is_refused(rep):
    junior = UserFactory(username="junior", superior=rep, roles=[roles.SALES_REP])
    item = _external(junior)
    assert external_actions_for(rep, item) == []
    with pytest.raises(PermissionDenied):
        services.external_approve(actor=rep, request=item)
    with pytest.raises(PermissionDenied):
        services.external_reject(actor=rep, request=item, comment="不去")


def test_the_api_details_list_the_allowed_actions(api_client, trainer, rep, sales_manager):
    session = _session(trainer)
    assessment = _assessment(trainer, rep)
    item = _external(rep)
    api = api_client.as_user(trainer)
    assert api.get(f"/api/v1/training/sessions/{session.pk}").json()["allowed_actions"] == [
        "edit",
        "hold",
        "cancel",
    ]
    assert api.get(f"/api/v1/training/assessments/{assessment.pk}").json()["allowed_actions"] == [
        "record"
    ]
    api = api_client.as_user(rep)
    assert api.get(f"/api/v1/training/sessions/{session.pk}").json()["allowed_actions"] == []
    assert api.get(f"/api/v1/training/assessments/{assessment.pk}").json()["allowed_actions"] == []
    assert api.get(f"/api/v1/training/external/{item.pk}").json()["allowed_actions"] == []
    api = api_client.as_user(sales_manager)
    assert api.get(f"/api/v1/training/external/{item.pk}").json()["allowed_actions"] == [
        "approve",
        "reject",
    ]
