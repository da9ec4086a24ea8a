"""The follow-up visit (回访, A9) within 3 working days of completion, and the
improvement actions (整改) a dissatisfied customer opens."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_tz
from mdss.core.errors import Conflict, FieldError, PermissionDenied

from ..choices import FOLLOWUP_CLOCK, POOR_SCORE, ImprovementStatus
from ..choices import RequestStatus as S
from ..choices import ServiceAction as A
from ..models import FollowUp, ImprovementAction, ServiceRequest
from ..permissions import may_act, require_action, require_portal
from .common import dispatcher_for, locked, move, now_or, raise_if, require_text, track_due

# An improvement action opened without a date is due this many days later.
IMPROVEMENT_DAYS = 10


def _score(errors, name: str, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        errors.append(FieldError(name, "range", _("A score from 1 to 5.")))
        return 0
    return value


def request_follow_up(
    *,
    actor,
    request: ServiceRequest,
    attitude: int,
    quality: int,
    timeliness: int,
    satisfied: bool,
    contacted_person: str,
    comments: str = "",
    improvement: str = "",
    improvement_owner=None,
    improvement_due: date | None = None,
    at: datetime | None = None,
) -> FollowUp:
    """Record the customer's satisfaction; the follow-up clock is met or missed. A
    score of 2 or less, or "not satisfied", opens an improvement action (its
    description, owner and date given here, or the dispatcher's within 10 days)."""
    from mdss.accounts import roles
    from mdss.calendars.services import clock_stop_for

    by_customer = actor.has_role(roles.CUSTOMER)
    if by_customer:  # the survey in the portal answers the follow-up
        require_portal(actor, request.customer)
        contacted_person = contacted_person or actor.display_name
        improvement_owner = None
    else:
        require_action(actor, A.FOLLOW_UP)
    at = now_or(at)
    today = timezone.localtime(at, local_tz()).date()
    errors: list[FieldError] = []
    scores = {
        name: _score(errors, name, value)
        for name, value in (
            ("attitude", attitude),
            ("quality", quality),
            ("timeliness", timeliness),
        )
    }
    contacted_person = require_text(
        errors, "contacted_person", contacted_person, _("Whom did you speak to?")
    )
    poor = not satisfied or (all(scores.values()) and min(scores.values()) <= POOR_SCORE)
    improvement = (improvement or "").strip()
    if poor and improvement_due is not None and improvement_due < today:
        errors.append(FieldError("improvement_due", "past", _("The date has passed.")))
    if poor and improvement_owner is not None and not improvement_owner.is_active:
        errors.append(FieldError("improvement_owner", "inactive", _("Choose an active colleague.")))
    raise_if(errors)
    with transaction.atomic():
        request = locked(request, S.FOLLOWED_UP, None if by_customer else actor, A.FOLLOW_UP)
        follow_up = FollowUp.objects.create(
            request=request,
            satisfied=bool(satisfied),
            contacted_person=contacted_person,
            comments=(comments or "").strip(),
            recorded_by=actor,
            recorded_at=at,
            **scores,
        )
        move(request, S.FOLLOWED_UP, followed_up_at=at)
        clock_stop_for(subject=request, code=FOLLOWUP_CLOCK, actor=actor, at=at)
        track_due(request)
        audit.record(
            actor=actor,
            action="service.followed_up",
            obj=request,
            changes={**scores, "satisfied": bool(satisfied), "comments": follow_up.comments},
        )
        if poor:
            _improvement_open(
                actor=actor,
                request=request,
                description=improvement
                or (
                    _("Customer not satisfied (%(scores)s): %(comments)s")
                    % {
                        "scores": "/".join(str(v) for v in scores.values()),
                        "comments": follow_up.comments or "—",
                    }
                )[:2000],
                owner=improvement_owner
                or (
                    (dispatcher_for(request, FOLLOWUP_CLOCK) or request.engineer)
                    if by_customer
                    else actor
                ),
                due_on=improvement_due or today + timedelta(days=IMPROVEMENT_DAYS),
            )
    return follow_up


def _improvement_open(*, actor, request, description: str, owner, due_on: date):
    """Opened by a poor follow-up (the dispatcher's or the customer's survey)."""
    errors: list[FieldError] = []
    description = require_text(errors, "improvement", description)
    raise_if(errors)
    with transaction.atomic():
        action = ImprovementAction.objects.create(
            request=request, description=description, owner=owner, due_on=due_on
        )
        audit.record(
            actor=actor,
            action="service.improvement_opened",
            obj=request,
            changes={"improvement": action.pk, "owner": owner.pk, "due_on": due_on},
        )
        if owner != actor:
            from mdss.notifications.services import notify

            notify(
                recipient=owner,
                kind="service.improvement",
                subject=_("Improvement action for %(no)s, due %(date)s")
                % {"no": request.number, "date": due_on},
                body=description,
                link=f"/service/{request.pk}/",
            )
    return action


def improvement_complete(*, actor, action: ImprovementAction, result: str) -> ImprovementAction:
    """Its owner or the dispatcher records what was done."""
    if not (action.owner_id == actor.pk or may_act(actor, A.IMPROVE)):
        raise PermissionDenied(_("This improvement action is someone else's."))
    errors: list[FieldError] = []
    result = require_text(errors, "result", result, _("Say what was done."))
    raise_if(errors)
    with transaction.atomic():
        action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        if action.status != ImprovementStatus.OPEN:
            raise Conflict(_("This improvement action is done."))
        action.status = ImprovementStatus.DONE
        action.result = result
        action.done_at = timezone.now()
        action.save(update_fields=["status", "result", "done_at", "updated_at"])
        audit.record(
            actor=actor,
            action="service.improvement_done",
            obj=action.request,
            changes={"improvement": action.pk, "result": result},
        )
    return action
