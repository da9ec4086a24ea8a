"""Assessments and what follows a failure (S3, A2):

    regular ── fail ──▶ make-up exam (补考, scheduled automatically)
    make-up / reassessment ── fail ──▶ retraining (再培训) ── completed ──▶ reassessment
    any ── pass ──▶ the chain ends

Each step is a row pointing at the one it follows, so the chain is tracked until a
pass; the person and their superior are told of each new step.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, ValidationFailed
from mdss.core.money import to_decimal
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from ..choices import (
    ASSESSMENT_TRANSITIONS,
    MAKEUP_DAYS,
    RETRAINING_DAYS,
    RETRAINING_TRANSITIONS,
    AssessmentKind,
    AssessmentStatus,
    RetrainingStatus,
)
from ..models import Assessment, Retraining
from ._common import clean_errors, require_keeper


def assessment_schedule(
    *, actor, user, team: str, period_start: date, period_end: date, due_on: date, pass_mark=60
) -> Assessment:
    """Schedule the regular assessment of a person for a period."""
    require_keeper(actor, user)
    assessment = Assessment(
        user=user,
        team=team,
        kind=AssessmentKind.REGULAR,
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        pass_mark=Decimal(str(pass_mark)),
    )
    errors = clean_errors(assessment, exclude=["recorded_by", "follows"])
    if period_end < period_start:
        errors.append(FieldError("period_end", "after_start", _("It must end after it starts.")))
    if Assessment.objects.filter(
        user=user, kind=AssessmentKind.REGULAR, period_start=period_start, team=team
    ).exists():
        errors.append(
            FieldError(
                "period_start", "duplicate", _("This person already has this period's assessment.")
            )
        )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        assessment.save()
        audit.record(
            actor=actor,
            action="training.assessment_scheduled",
            obj=assessment,
            changes={"user": user.pk, "period": [period_start, period_end], "due_on": due_on},
        )
    return assessment


def _score(value, pass_mark) -> Decimal:
    score = to_decimal(value, places=None)
    if score is None or not Decimal(0) <= score <= Decimal(100):
        raise ValidationFailed.single("score", "range", _("A score is between 0 and 100."))
    return score


def _tell(person, subject, link="/training/me/"):
    notify(recipient=person, kind="training.assessment", subject=subject, link=link)
    if person.superior_id:
        notify(recipient=person.superior, kind="training.assessment", subject=subject, link=link)


def assessment_record(*, actor, assessment: Assessment, score, held_on: date) -> Assessment:
    """Record the score; a failure schedules the next step at once."""
    require_keeper(actor, assessment.user)
    value = _score(score, assessment.pass_mark)
    if held_on < assessment.period_start:
        raise ValidationFailed.single(
            "held_on", "before_period", _("An assessment is held in or after its period.")
        )
    passed = value >= assessment.pass_mark
    to = AssessmentStatus.PASSED if passed else AssessmentStatus.FAILED
    with transaction.atomic():
        locked = lock_for_transition(assessment, to, ASSESSMENT_TRANSITIONS)
        locked.status, locked.score, locked.held_on, locked.recorded_by = to, value, held_on, actor
        locked.save(update_fields=["status", "score", "held_on", "recorded_by", "updated_at"])
        audit.record(
            actor=actor,
            action=f"training.assessment_{to}",
            obj=locked,
            changes={"score": value, "pass_mark": locked.pass_mark, "held_on": held_on},
        )
        if passed:
            return locked
        if locked.kind == AssessmentKind.REGULAR:
            makeup = Assessment.objects.create(
                user=locked.user,
                team=locked.team,
                kind=AssessmentKind.MAKEUP,
                period_start=locked.period_start,
                period_end=locked.period_end,
                due_on=held_on + timedelta(days=MAKEUP_DAYS),
                pass_mark=locked.pass_mark,
                follows=locked,
            )
            audit.record(
                actor=None,
                action="training.makeup_scheduled",
                obj=makeup,
                changes={"follows": locked.pk, "due_on": makeup.due_on},
            )
            _tell(
                locked.user,
                _("%(person)s failed the assessment; make-up exam by %(date)s")
                % {"person": locked.user.display_name, "date": makeup.due_on},
            )
        else:
            retraining = Retraining.objects.create(
                user=locked.user, failed=locked, due_on=held_on + timedelta(days=RETRAINING_DAYS)
            )
            audit.record(
                actor=None,
                action="training.retraining_assigned",
                obj=retraining,
                changes={"failed": locked.pk, "due_on": retraining.due_on},
            )
            _tell(
                locked.user,
                _("%(person)s failed again; retraining by %(date)s, then a new assessment")
                % {"person": locked.user.display_name, "date": retraining.due_on},
            )
    return locked


def retraining_complete(
    *, actor, retraining: Retraining, completed_on: date, note: str = "", session=None
) -> Assessment:
    """Record the retraining; the reassessment that follows is scheduled at once."""
    require_keeper(actor, retraining.user)
    if not (note or "").strip() and session is None:
        raise ValidationFailed.single(
            "note", "required", _("Say what was trained, or pick the session attended.")
        )
    with transaction.atomic():
        locked = lock_for_transition(retraining, RetrainingStatus.COMPLETED, RETRAINING_TRANSITIONS)
        locked.status = RetrainingStatus.COMPLETED
        locked.completed_on, locked.note, locked.session = (
            completed_on,
            (note or "").strip(),
            session,
        )
        locked.save(update_fields=["status", "completed_on", "note", "session", "updated_at"])
        failed = locked.failed
        reassessment = Assessment.objects.create(
            user=locked.user,
            team=failed.team,
            kind=AssessmentKind.REASSESSMENT,
            period_start=failed.period_start,
            period_end=failed.period_end,
            due_on=completed_on + timedelta(days=MAKEUP_DAYS),
            pass_mark=failed.pass_mark,
            follows=failed,
        )
        audit.record(
            actor=actor,
            action="training.retraining_completed",
            obj=locked,
            changes={"completed_on": completed_on, "reassessment": reassessment.pk},
        )
        _tell(
            locked.user,
            _("Retraining recorded; new assessment by %(date)s") % {"date": reassessment.due_on},
        )
    return reassessment
