"""/api/v1/training: profiles, certificates, sessions, assessments, external training,
the compliance grid, and the competence checks (is-qualified, is-authorised)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.accounts.models import Region, User
from mdss.catalog.selectors import model_get
from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.core.permissions import require_staff

from . import actions, compliance, selectors, services
from .choices import Team
from .filters import AssessmentFilterForm
from .models import Certificate, ExternalTraining, TrainingSession
from .permissions import keeps_records

router = Router(tags=["training"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _person(request, pk: int) -> User:
    return selectors.person_get_for_user(request.user, pk)


class ProfileOut(Schema):
    user_id: int
    name: str
    team: str
    background: str
    education: str
    hire_date: date | None
    product_areas: list[str]

    @staticmethod
    def resolve_name(obj):
        return obj.user.display_name


@router.get("/profiles", response={200: list[ProfileOut]}, summary="Staff profiles in my scope")
@paginate(PageNumberPagination)
def profiles(request):
    from .models import StaffProfile
    from .permissions import scoped

    return scoped(StaffProfile.objects.select_related("user"), request.user, "user__")


class CertificateOut(Schema):
    id: int
    user_id: int
    kind: str
    name: str
    number: str
    issuer: str
    model_id: int | None
    category_code: str
    issued_on: date | None
    valid_until: date | None
    voided: bool

    @staticmethod
    def resolve_voided(obj):
        return obj.voided_at is not None


class CertificateIn(Schema):
    user_id: int
    kind: str
    name: str
    number: str
    issuer: str
    model_id: int | None = None
    category_code: str = ""
    issued_on: date | None = None
    valid_until: date | None = None


@router.get("/certificates", response={200: list[CertificateOut]})
@paginate(PageNumberPagination)
def certificates(request, user: int | None = None):
    rows = selectors.certificates_for_user(request.user)
    return rows.filter(user_id=user) if user else rows


@router.post("/certificates", response={201: CertificateOut, **ERRORS})
def certificate_create(request, payload: CertificateIn):
    data = payload.dict()
    person = _person(request, data.pop("user_id"))
    certificate = services.certificate_save(
        actor=request.user, certificate=Certificate(user=person, **data)
    )
    return Status(201, certificate)


class SessionOut(Schema):
    id: int
    kind: str
    team: str
    title: str
    topics: list[str]
    held_on: date
    location: str
    trainer: str
    status: str
    model_ids: list[int]
    categories_covered: list[str]
    allowed_actions: list[str]

    @staticmethod
    def resolve_model_ids(obj):
        return [m.pk for m in obj.models_covered.all()]

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.session_actions_for(context["request"].user, obj)


class SessionIn(Schema):
    kind: str
    team: str
    title: str
    topics: list[str]
    held_on: date
    location: str = ""
    trainer: str
    notes: str = ""
    model_ids: list[int] = []
    categories_covered: list[str] = []


class HoldIn(Schema):
    present: list[int]
    absent: list[int] = []


class TrainingReasonIn(Schema):
    reason: str


@router.get(
    "/sessions",
    response={200: list[SessionOut], 403: ErrorOut},
    summary="Training sessions, newest first",
)
@paginate(PageNumberPagination)
def sessions(request, team: str = "", upcoming: bool = False, sort: str = ""):
    from .filters import SessionFilterForm

    require_staff(request)
    rows = (
        selectors.upcoming_sessions(local_today())
        if upcoming
        else selectors.sessions_for_user(request.user, **SessionFilterForm.from_api({"sort": sort}))
    ).prefetch_related("models_covered")
    return rows.filter(team=team) if team else rows


@router.post("/sessions", response={201: SessionOut, **ERRORS}, summary="Plan a session")
def session_create(request, payload: SessionIn):
    from mdss.catalog.models import ProductModel

    data = payload.dict()
    models = list(ProductModel.objects.filter(pk__in=data.pop("model_ids")))
    session = services.session_plan(
        actor=request.user, session=TrainingSession(**data), models=models
    )
    return Status(201, selectors.session_get(session.pk))


@router.get("/sessions/{session_id}", response={200: SessionOut, 403: ErrorOut, 404: ErrorOut})
def session_detail(request, session_id: int):
    require_staff(request)
    return selectors.session_get(session_id)


@router.post(
    "/sessions/{session_id}/hold",
    response={200: SessionOut, **ERRORS},
    summary="Held, with attendance",
)
def session_hold(request, session_id: int, payload: HoldIn):
    session = selectors.session_get(session_id)
    people = {u.pk: u for u in User.objects.filter(pk__in=payload.present + payload.absent)}
    services.session_hold(
        actor=request.user,
        session=session,
        present=[people[pk] for pk in payload.present if pk in people],
        absent=[people[pk] for pk in payload.absent if pk in people],
    )
    return selectors.session_get(session_id)


@router.post("/sessions/{session_id}/cancel", response={200: SessionOut, **ERRORS})
def session_cancel(request, session_id: int, payload: TrainingReasonIn):
    services.session_cancel(
        actor=request.user, session=selectors.session_get(session_id), reason=payload.reason
    )
    return selectors.session_get(session_id)


class AssessmentOut(Schema):
    id: int
    user_id: int
    team: str
    kind: str
    period_start: date
    period_end: date
    due_on: date
    held_on: date | None
    score: Decimal | None
    pass_mark: Decimal
    status: str
    follows_id: int | None
    allowed_actions: list[str]

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.assessment_actions_for(context["request"].user, obj)


class ScheduleIn(Schema):
    user_id: int
    team: str
    period_start: date
    period_end: date
    due_on: date
    pass_mark: Decimal = Decimal(60)


class ScoreIn(Schema):
    score: Decimal
    held_on: date


class RetrainingIn(Schema):
    completed_on: date
    note: str = ""


@router.get("/assessments", response={200: list[AssessmentOut], 422: ErrorOut})
@paginate(PageNumberPagination)
def assessments(request, status: str = "", user: int | None = None):
    filters = AssessmentFilterForm.from_api({"status": status, "user": user})
    rows = selectors.assessments_for_user(request.user, filters["status"])
    return rows.filter(user_id=filters["user"]) if filters["user"] else rows


@router.post(
    "/assessments", response={201: AssessmentOut, **ERRORS}, summary="Schedule a regular assessment"
)
def assessment_schedule(request, payload: ScheduleIn):
    data = payload.dict()
    person = _person(request, data.pop("user_id"))
    return Status(201, services.assessment_schedule(actor=request.user, user=person, **data))


@router.get("/assessments/{assessment_id}", response={200: AssessmentOut, 404: ErrorOut})
def assessment_detail(request, assessment_id: int):
    return selectors.assessment_get_for_user(request.user, assessment_id)


@router.post(
    "/assessments/{assessment_id}/record",
    response={200: AssessmentOut, **ERRORS},
    summary="Record the score; a failure schedules the make-up exam or retraining",
)
def assessment_record(request, assessment_id: int, payload: ScoreIn):
    assessment = selectors.assessment_get_for_user(request.user, assessment_id)
    return services.assessment_record(actor=request.user, assessment=assessment, **payload.dict())


@router.post(
    "/retraining/{retraining_id}/complete",
    response={200: AssessmentOut, **ERRORS},
    summary="Retraining done; answers the reassessment it schedules",
)
def retraining_complete(request, retraining_id: int, payload: RetrainingIn):
    retraining = get_object_or_404(selectors.retrainings_for_user(request.user), pk=retraining_id)
    return services.retraining_complete(actor=request.user, retraining=retraining, **payload.dict())


class ExternalOut(Schema):
    id: int
    requester_id: int
    course: str
    organiser: str
    starts_on: date
    ends_on: date
    cost: Decimal
    status: str
    approver_id: int | None
    decision_comment: str
    reimbursed_amount: Decimal | None
    reimbursed_on: date | None
    allowed_actions: list[str]

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.external_actions_for(context["request"].user, obj)


class ExternalIn(Schema):
    course: str
    organiser: str
    starts_on: date
    ends_on: date
    cost: Decimal
    reason: str


class TrainingDecisionIn(Schema):
    comment: str = ""


class ReimburseIn(Schema):
    amount: Decimal
    on: date


@router.get("/external", response={200: list[ExternalOut]})
@paginate(PageNumberPagination)
def external(request, inbox: bool = False):
    return (
        selectors.external_inbox(request.user)
        if inbox
        else selectors.external_for_user(request.user)
    )


@router.post(
    "/external", response={201: ExternalOut, **ERRORS}, summary="Ask for external training"
)
def external_create(request, payload: ExternalIn):
    item = services.external_request(
        actor=request.user, request=ExternalTraining(**payload.dict()), today=local_today()
    )
    return Status(201, item)


@router.get("/external/{external_id}", response={200: ExternalOut, 404: ErrorOut})
def external_detail(request, external_id: int):
    return selectors.external_get_for_user(request.user, external_id)


@router.post("/external/{external_id}/approve", response={200: ExternalOut, **ERRORS})
def external_approve(request, external_id: int, payload: TrainingDecisionIn):
    item = selectors.external_get_for_user(request.user, external_id)
    return services.external_approve(actor=request.user, request=item, comment=payload.comment)


@router.post("/external/{external_id}/reject", response={200: ExternalOut, **ERRORS})
def external_reject(request, external_id: int, payload: TrainingDecisionIn):
    item = selectors.external_get_for_user(request.user, external_id)
    return services.external_reject(actor=request.user, request=item, comment=payload.comment)


@router.post("/external/{external_id}/reimburse", response={200: ExternalOut, **ERRORS})
def external_reimburse(request, external_id: int, payload: ReimburseIn):
    item = selectors.external_get_for_user(request.user, external_id)
    return services.external_reimburse(
        actor=request.user, request=item, amount=payload.amount, on=payload.on
    )


class CellOut(Schema):
    start: date
    end: date
    state: str
    count: int
    missing: list[int]


class RuleOut(Schema):
    code: str
    name: str
    requirement: str
    months: int
    min_count: int
    kind: str
    cells: list[CellOut]


@router.get("/compliance", response={200: list[RuleOut], 403: ErrorOut, 422: ErrorOut})
def compliance_grid(
    request, team: str = Team.SALES, year: int | None = Query(None, ge=2000, le=2100)
):
    if not keeps_records(request.user):
        raise PermissionDenied()
    if team not in Team.values:
        raise ValidationFailed.single("team", "choice", "team is sales or service")
    rules = compliance.team_grid(team, year or local_today().year, local_today())
    return [
        {
            **{
                k: getattr(r, k)
                for k in ("code", "name", "requirement", "months", "min_count", "kind")
            },
            "cells": [
                {
                    "start": c.start,
                    "end": c.end,
                    "state": c.state,
                    "count": c.count,
                    "missing": [p.pk for p in c.missing],
                }
                for c in r.cells
            ],
        }
        for r in rules
    ]


class CompetenceReasonOut(Schema):
    code: str
    message: str


class DecisionOut(Schema):
    ok: bool
    basis: str
    reasons: list[CompetenceReasonOut]


@router.get(
    "/is-qualified",
    response={200: DecisionOut, **ERRORS},
    summary="May this engineer work on this model on this date? Every reason if not.",
)
def is_qualified(request, engineer: int, model: int, on: date | None = None):
    decision = selectors.is_qualified(
        _person(request, engineer), model_get(model), on or local_today()
    )
    return {
        "ok": decision.ok,
        "basis": decision.basis,
        "reasons": [r.__dict__ for r in decision.reasons],
    }


@router.get(
    "/is-authorised",
    response={200: DecisionOut, **ERRORS},
    summary="May this rep sell this model in this region on this date? Every reason if not.",
)
def is_authorised(request, rep: int, model: int, region: int, on: date | None = None):
    place = get_object_or_404(Region, pk=region)
    decision = selectors.is_authorised(
        _person(request, rep), model_get(model), place, on or local_today()
    )
    return {
        "ok": decision.ok,
        "basis": decision.basis,
        "reasons": [r.__dict__ for r in decision.reasons],
    }
