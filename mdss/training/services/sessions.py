"""Training sessions: planned → held (with attendance) or cancelled; and the warning
to managers when a period is about to end without its training or assessments."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, ValidationFailed
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from ..choices import (
    PERIOD_END_WARNING_DAYS,
    SESSION_TRANSITIONS,
    SessionStatus,
    Team,
    Topic,
)
from ..models import Attendance, TrainingSession
from ._common import clean_errors, require_keeper


def session_plan(*, actor, session: TrainingSession, models=None) -> TrainingSession:
    """Plan (or correct a planned) session; trainers, HR and managers."""
    require_keeper(actor)
    creating = session.pk is None
    if creating:
        session.created_by = actor
    errors = clean_errors(session, exclude=["created_by"])
    if not set(session.topics) <= set(Topic.values):
        errors.append(FieldError("topics", "choice", _("Unknown topic.")))
    if not session.topics:
        errors.append(FieldError("topics", "required", _("Choose at least one topic.")))
    if not creating and session.status != SessionStatus.PLANNED:
        errors.append(
            FieldError("status", "held", _("A held or cancelled session is a record now."))
        )
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        session.save()
        if models is not None:
            session.models_covered.set(models)
        audit.record(
            actor=actor,
            action="training.session_planned" if creating else "training.session_changed",
            obj=session,
            changes={"held_on": session.held_on, "team": session.team, "kind": session.kind},
        )
    return session


def session_hold(
    *, actor, session: TrainingSession, present: list, absent: list = ()
) -> TrainingSession:
    """Record that the session took place and who attended (S2: attendance recorded)."""
    require_keeper(actor)
    if not present:
        raise ValidationFailed.single("present", "required", _("Tick who attended."))
    with transaction.atomic():
        locked = lock_for_transition(session, SessionStatus.HELD, SESSION_TRANSITIONS)
        locked.status = SessionStatus.HELD
        locked.save(update_fields=["status", "updated_at"])
        Attendance.objects.bulk_create(
            [Attendance(session=locked, user=u, present=True) for u in present]
            + [
                Attendance(session=locked, user=u, present=False)
                for u in absent
                if u not in present
            ]
        )
        audit.record(
            actor=actor,
            action="training.session_held",
            obj=locked,
            changes={
                "present": sorted(u.pk for u in present),
                "absent": sorted(u.pk for u in absent if u not in present),
            },
        )
    return locked


def session_cancel(*, actor, session: TrainingSession, reason: str) -> TrainingSession:
    require_keeper(actor)
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why it is cancelled."))
    with transaction.atomic():
        locked = lock_for_transition(session, SessionStatus.CANCELLED, SESSION_TRANSITIONS)
        locked.status = SessionStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="training.session_cancelled", obj=locked, reason=reason)
    return locked


def period_end_warning_sweep(*, today: date) -> int:
    """Tell the team's managers and the trainers, once per rule and period, when a
    period ends within a week and its rule is not met yet."""
    from mdss.accounts import roles
    from mdss.accounts.models import User

    from ..compliance import OPEN, team_grid

    managers = {
        Team.SALES: (roles.SALES_MANAGER, roles.TRAINER),
        Team.SERVICE: (roles.SERVICE_MANAGER, roles.TRAINER),
    }
    sent = 0
    for team in Team.values:
        for rule in team_grid(team, today.year, today):
            for cell in rule.cells:
                if cell.state != OPEN or (cell.end - today).days > PERIOD_END_WARNING_DAYS:
                    continue
                names = "、".join(p.display_name for p in cell.missing[:20])
                for person in User.objects.filter(
                    groups__name__in=managers[team], is_active=True
                ).distinct():
                    sent += bool(
                        notify(
                            recipient=person,
                            kind="training.rule_at_risk",
                            subject=_("%(rule)s not met yet; the period ends on %(end)s")
                            % {"rule": rule.name, "end": cell.end},
                            body=_("Missing: %(names)s") % {"names": names} if names else "",
                            link=f"/training/compliance/?team={team}",
                            dedupe_key=f"training.rule:{rule.code}:{cell.start}:{person.pk}",
                        )
                    )
    return sent
