"""The register (Q7), measures (Q8) and reviews (Q9): one function per transition.
Each checks the role and the object rule first, then the input, then writes under a
row lock with an audit event."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_today
from mdss.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from mdss.core.numbers import next_number

from ..choices import (
    MEASURE_CLOCK,
    REVIEW_CADENCES,
    RiskAssessmentKind,
    RiskCategory,
    RiskMeasureStatus,
    RiskMeasureType,
    RiskProcess,
    RiskSource,
    RiskStatus,
)
from ..choices import RiskAction as A
from ..models import Assessment, Measure, Review, Risk
from ..permissions import STEWARDS, has, is_staff, require
from .matrix import matrix_in_force


def _text(errors, name, value, max_length, *, required=True, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.append(FieldError(name, "required", message or _("This field is required.")))
    elif len(value) > max_length:
        errors.append(
            FieldError(name, "max_length", _("At most %(n)s characters.") % {"n": max_length})
        )
    return value


def _choice(errors, name, value, choices) -> str:
    if value not in choices.values:
        errors.append(FieldError(name, "invalid_choice", _("Not one of the choices.")))
    return value


def _scale(errors, name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        errors.append(FieldError(name, "range", _("A whole number from 1 to 5.")))
        return 0
    return value


def _raise(errors) -> None:
    if errors:
        raise ValidationFailed(errors=errors)


def _staff_owner(errors, name, owner) -> None:
    if owner is None or not owner.is_active or not is_staff(owner):
        errors.append(FieldError(name, "owner", _("The owner must be an active member of staff.")))


def next_review(zone: str, on: date) -> date:
    """The review after an assessment or review on ``on``: by the end of the next
    period of the zone's cadence (the policy's "at least once per period": monthly for
    unacceptable, quarterly for tolerable, yearly for acceptable by default)."""
    from mdss.calendars.engine import cadence_due
    from mdss.calendars.selectors import cadence

    months = cadence(REVIEW_CADENCES[zone]).period_months
    return cadence_due(on, on, months)


def _assess(risk, *, actor, kind, likelihood, impact, note, on) -> Assessment:
    matrix = matrix_in_force()
    assessment = Assessment.objects.create(
        risk=risk, kind=kind, likelihood=likelihood, impact=impact, score=likelihood * impact,
        zone=matrix.zone(likelihood, impact), matrix=matrix, assessed_on=on, assessed_by=actor,
        note=note,
    )  # fmt: skip
    risk.likelihood, risk.impact = likelihood, impact
    risk.score, risk.zone = assessment.score, assessment.zone
    risk.next_review_on = next_review(assessment.zone, on)
    risk.save(
        update_fields=["likelihood", "impact", "score", "zone", "next_review_on", "updated_at"]
    )
    return assessment


def _check_on(errors, on: date, today: date) -> None:
    if on > today:
        errors.append(FieldError("assessed_on", "future", _("Not after today.")))


def risk_create(
    *,
    actor,
    category: str,
    title: str,
    description: str,
    cause: str,
    consequence: str,
    owner,
    source: str,
    likelihood: int,
    impact: int,
    process: str = "",
    model=None,
    region=None,
    note: str = "",
    today: date | None = None,
) -> Risk:
    """A new risk with its inherent assessment, placed on the matrix in force."""
    require(actor, A.CREATE)
    today = today or local_today()
    errors: list[FieldError] = []
    _choice(errors, "category", category, RiskCategory)
    _choice(errors, "source", source, RiskSource)
    if process:
        _choice(errors, "process", process, RiskProcess)
    title = _text(errors, "title", title, 200)
    description = _text(errors, "description", description, 4000)
    cause = _text(errors, "cause", cause, 2000)
    consequence = _text(errors, "consequence", consequence, 2000)
    note = _text(errors, "note", note, 2000, required=False)
    _staff_owner(errors, "owner", owner)
    likelihood = _scale(errors, "likelihood", likelihood)
    impact = _scale(errors, "impact", impact)
    _raise(errors)
    with transaction.atomic():
        risk = Risk.objects.create(
            number=next_number("FX", on=today), category=category, title=title,
            description=description, cause=cause, consequence=consequence, owner=owner,
            source=source, process=process, model=model, region=region, created_by=actor,
        )  # fmt: skip
        assessment = _assess(
            risk, actor=actor, kind=RiskAssessmentKind.INHERENT, likelihood=likelihood,
            impact=impact, note=note, on=today,
        )  # fmt: skip
        audit.record(
            actor=actor,
            action="risk.created",
            obj=risk,
            changes={
                "category": category, "owner": owner.pk, "likelihood": likelihood,
                "impact": impact, "zone": assessment.zone, "matrix": assessment.matrix.version,
            },
        )  # fmt: skip
    _tell_if_unacceptable(risk, actor)
    return risk


def _locked_open(risk: Risk) -> Risk:
    row = Risk.objects.select_for_update().get(pk=risk.pk)
    if row.status != RiskStatus.OPEN:
        raise Conflict(_("%(no)s is closed.") % {"no": row.number})
    return row


def risk_assess(
    *,
    actor,
    risk: Risk,
    likelihood: int,
    impact: int,
    note: str,
    kind: str = RiskAssessmentKind.RESIDUAL,
    today: date | None = None,
) -> Assessment:
    """A new dated assessment (residual after measures, or the inherent risk again);
    the earlier ones are kept."""
    require(actor, A.ASSESS, risk)
    today = today or local_today()
    errors: list[FieldError] = []
    _choice(errors, "kind", kind, RiskAssessmentKind)
    likelihood = _scale(errors, "likelihood", likelihood)
    impact = _scale(errors, "impact", impact)
    note = _text(errors, "note", note, 2000, message=_("Why this likelihood and impact?"))
    _raise(errors)
    with transaction.atomic():
        row = _locked_open(risk)
        assessment = _assess(
            row, actor=actor, kind=kind, likelihood=likelihood, impact=impact, note=note,
            on=today,
        )  # fmt: skip
        audit.record(
            actor=actor,
            action="risk.assessed",
            obj=row,
            changes={
                "kind": kind, "likelihood": likelihood, "impact": impact,
                "zone": assessment.zone, "matrix": assessment.matrix.version,
            },
        )  # fmt: skip
    _tell_if_unacceptable(row, actor)
    return assessment


def measure_add(
    *,
    actor,
    risk: Risk,
    type: str,  # noqa: A002 (the policy's word)
    description: str,
    owner,
    capa=None,
    at: datetime | None = None,
) -> Measure:
    """A response measure with its owner and its clock (``risk.measure``); its owner
    is told. A missed clock escalates through the sweep."""
    from mdss.calendars.services import clock_start

    require(actor, A.MEASURE_ADD, risk)
    errors: list[FieldError] = []
    _choice(errors, "type", type, RiskMeasureType)
    description = _text(errors, "description", description, 2000)
    _staff_owner(errors, "owner", owner)
    _raise(errors)
    with transaction.atomic():
        row = _locked_open(risk)
        measure = Measure.objects.create(
            risk=row, type=type, description=description, owner=owner, capa=capa
        )
        clock = clock_start(
            subject=measure, code=MEASURE_CLOCK, responsible=owner, actor=actor, at=at
        )
        measure.due_at = clock.due_at
        measure.save(update_fields=["due_at"])
        audit.record(
            actor=actor,
            action="risk.measure_added",
            obj=row,
            changes={"measure": measure.pk, "type": type, "owner": owner.pk},
        )
    _notify(
        owner,
        _("Risk measure for you: %(no)s") % {"no": row.number},
        description,
        row,
    )
    return measure


def measure_done(*, actor, measure: Measure, result: str, at: datetime | None = None) -> Measure:
    from mdss.calendars.services import clock_stop_for

    if measure.owner_id != actor.pk and not has(actor, *STEWARDS):
        raise PermissionDenied(_("Only the measure's owner, quality or management."))
    errors: list[FieldError] = []
    result = _text(errors, "result", result, 2000, message=_("What was done, and the evidence."))
    _raise(errors)
    with transaction.atomic():
        row = Measure.objects.select_for_update().get(pk=measure.pk)
        if row.status != RiskMeasureStatus.OPEN:
            raise Conflict(_("This measure is done already."))
        row.status, row.done_at, row.result = RiskMeasureStatus.DONE, at or timezone.now(), result
        row.save(update_fields=["status", "done_at", "result", "updated_at"])
        clock_stop_for(subject=row, code=MEASURE_CLOCK, actor=actor, at=row.done_at)
        audit.record(
            actor=actor,
            action="risk.measure_done",
            obj=row.risk,
            changes={"measure": row.pk, "result": result},
        )
    return row


def risk_review(
    *,
    actor,
    risk: Risk,
    measures_done: bool,
    effective: bool,
    note: str,
    likelihood: int,
    impact: int,
    today: date | None = None,
) -> Review:
    """The periodic review (Q9): whether the measures were done and worked, and the
    reassessment, which sets the next review by its zone."""
    require(actor, A.REVIEW, risk)
    today = today or local_today()
    errors: list[FieldError] = []
    for name, value in (("measures_done", measures_done), ("effective", effective)):
        if not isinstance(value, bool):
            errors.append(FieldError(name, "boolean", _("Yes or no.")))
    note = _text(errors, "note", note, 2000, message=_("What the review found."))
    likelihood = _scale(errors, "likelihood", likelihood)
    impact = _scale(errors, "impact", impact)
    _raise(errors)
    with transaction.atomic():
        row = _locked_open(risk)
        was_due = row.next_review_on
        assessment = _assess(
            row, actor=actor, kind=RiskAssessmentKind.RESIDUAL, likelihood=likelihood,
            impact=impact, note=note, on=today,
        )  # fmt: skip
        review = Review.objects.create(
            risk=row, reviewed_on=today, reviewer=actor, was_due_on=was_due,
            measures_done=measures_done, effective=effective, note=note,
            assessment=assessment, next_review_on=row.next_review_on,
        )  # fmt: skip
        audit.record(
            actor=actor,
            action="risk.reviewed",
            obj=row,
            changes={
                "measures_done": measures_done, "effective": effective,
                "zone": assessment.zone, "was_due_on": was_due,
                "next_review_on": row.next_review_on,
            },
        )  # fmt: skip
    return review


def risk_close(*, actor, risk: Risk, reason: str) -> Risk:
    """A risk that no longer exists (the product left the range, the customer paid)
    is closed with the reason; open measures must be done first."""
    require(actor, A.CLOSE, risk)
    errors: list[FieldError] = []
    reason = _text(errors, "reason", reason, 2000, message=_("Why does the risk no longer exist?"))
    _raise(errors)
    with transaction.atomic():
        row = _locked_open(risk)
        if row.measures.filter(status=RiskMeasureStatus.OPEN).exists():
            raise Conflict(_("Open measures must be done or recorded before closing."))
        row.status, row.closed_at, row.close_reason = RiskStatus.CLOSED, timezone.now(), reason
        row.next_review_on = None
        row.save(
            update_fields=["status", "closed_at", "close_reason", "next_review_on", "updated_at"]
        )
        audit.record(actor=actor, action="risk.closed", obj=row, reason=reason)
    return row


def _notify(recipient, subject: str, body: str, risk: Risk) -> None:
    from django.urls import NoReverseMatch, reverse

    from mdss.notifications.services import notify

    try:
        link = reverse("risk:detail", args=[risk.pk])
    except NoReverseMatch:  # pages come with the register's views
        link = ""
    transaction.on_commit(
        lambda: notify(recipient=recipient, kind="risk", subject=subject, body=body, link=link)
    )


def _tell_if_unacceptable(risk: Risk, actor) -> None:
    """Management learns at once of a risk assessed unacceptable."""
    from mdss.accounts import roles
    from mdss.accounts.models import User

    if risk.zone != "unacceptable":
        return
    for person in User.objects.filter(is_active=True, groups__name=roles.MANAGEMENT).distinct():
        if person.pk != actor.pk:
            _notify(
                person,
                _("Unacceptable risk: %(no)s %(title)s") % {"no": risk.number, "title": risk.title},
                risk.consequence,
                risk,
            )
