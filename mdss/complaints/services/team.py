"""A major complaint's special team (专项处理小组, A14: within 48 hours of the
classification) and its workspace: notes, tasks, documents; the team's resolution
(A15: fairly, with its basis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core import uploads
from mdss.core.errors import FieldError, InvalidTransition, PermissionDenied, ValidationFailed

from ..choices import TEAM_CLOCK, TeamRole
from ..choices import ComplaintAction as A
from ..choices import ComplaintStatus as S
from ..models import Complaint, Document, Note, Task, TeamMember
from ..permissions import require_action
from .common import locked, move, notify, now_or, raise_if, require_text, track_due
from .handling import resolution_values


def _team_errors(complaint: Complaint, members, resolution_due, now) -> list[FieldError]:
    errors: list[FieldError] = []
    by_role: dict[str, list] = {}
    users = [user for user, _role in members]
    for user, role in members:
        by_role.setdefault(role, []).append(user)
        if role not in TeamRole.values:
            errors.append(
                FieldError("members", "invalid_choice", _("Unknown role: %(r)s") % {"r": role})
            )
    if len({u.pk for u in users}) != len(users):
        errors.append(FieldError("members", "duplicate", _("Name each person once.")))
    leaders = by_role.get(TeamRole.LEADER, [])
    if len(leaders) != 1:
        errors.append(FieldError("leader", "required", _("Name one team leader.")))
    elif not leaders[0].has_role(roles.QUALITY, roles.MANAGEMENT):
        errors.append(
            FieldError("leader", "not_qualified", _("The leader comes from management or quality."))
        )
    investigators = by_role.get(TeamRole.INVESTIGATOR, [])
    if len(investigators) != 1:
        errors.append(FieldError("investigator", "required", _("Name one investigator.")))
    elif investigators[0].pk == complaint.person_id:
        errors.append(
            FieldError(
                "investigator",
                "complained_about",
                _("The person complained about cannot investigate the complaint."),
            )
        )
    if complaint.person_id and any(
        u.pk == complaint.person_id and r != TeamRole.INVESTIGATOR for u, r in members
    ):
        errors.append(
            FieldError(
                "members", "complained_about", _("The person complained about is not on the team.")
            )
        )
    if complaint.customer_id:
        account = by_role.get(TeamRole.ACCOUNT, [])
        owner = complaint.customer.owner_id
        if not any(
            u.pk == owner or u.has_role(roles.SERVICE_MANAGER, roles.SALES_MANAGER) for u in account
        ):
            errors.append(
                FieldError(
                    "account",
                    "required",
                    _("Name the account's rep or a service or sales manager."),
                )
            )
    if any(not u.is_active for u in users):
        errors.append(FieldError("members", "inactive", _("Every member must be active.")))
    latest = now + timedelta(days=settings.COMPLAINT_POLICY["resolution_max_days"])
    if resolution_due is None:
        errors.append(FieldError("resolution_due", "required", _("Set the resolution deadline.")))
    elif not now < resolution_due <= latest:
        errors.append(
            FieldError(
                "resolution_due",
                "range",
                _("The resolution deadline falls within the next %(n)s days.")
                % {"n": settings.COMPLAINT_POLICY["resolution_max_days"]},
            )
        )
    return errors


def complaint_form_team(
    *,
    actor,
    complaint: Complaint,
    members: list[tuple],
    resolution_due: datetime | None,
    at: datetime | None = None,
) -> Complaint:
    """Name the special team of a major complaint, each member with a role (one
    leader from management or quality, one investigator who is not the person
    complained about, the account's rep or a manager), and the date by which it
    resolves. The 48-hour clock is met or missed."""
    from mdss.calendars.services import clock_stop_for

    require_action(actor, A.FORM_TEAM)
    at = now_or(at)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.FORM_TEAM, S.INVESTIGATING)
        raise_if(_team_errors(complaint, members, resolution_due, at))
        TeamMember.objects.bulk_create(
            TeamMember(complaint=complaint, user=user, role=role, added_by=actor)
            for user, role in members
        )
        move(complaint, S.INVESTIGATING, team_formed_at=at, resolution_due=resolution_due)
        clock_stop_for(subject=complaint, code=TEAM_CLOCK, actor=actor, at=at)
        track_due(complaint)
        audit.record(
            actor=actor,
            action="complaint.team_formed",
            obj=complaint,
            changes={
                "members": [[user.pk, role] for user, role in members],
                "resolution_due": resolution_due,
            },
        )
        for user, role in members:
            if user != actor:
                notify(
                    user,
                    complaint,
                    _("You are on the special team of complaint %(no)s (%(role)s)")
                    % {"no": complaint.number, "role": TeamRole(role).label},
                )
    return complaint


def complaint_resolve(
    *, actor, complaint: Complaint, at: datetime | None = None, **data
) -> Complaint:
    """The team's findings and decision on a major complaint (A15)."""
    from .handling import _result_ready

    require_action(actor, A.RESOLVE)
    at = now_or(at)
    values = resolution_values(data, major=True)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.RESOLVE, S.RESOLVED)
        move(complaint, S.RESOLVED, resolved_by=actor, resolved_at=at, **values)
        track_due(complaint)
        audit.record(actor=actor, action="complaint.resolved", obj=complaint, changes=values)
        _result_ready(complaint)
    return complaint


def note_add(*, actor, complaint: Complaint, text: str, at: datetime | None = None) -> Note:
    errors: list[FieldError] = []
    text = require_text(errors, "text", text)
    raise_if(errors)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.NOTE)
        note = Note.objects.create(
            complaint=complaint, author=actor, text=text, created_at=now_or(at)
        )
        audit.record(actor=actor, action="complaint.note", obj=complaint, changes={"text": text})
    return note


def _may_work(user, complaint: Complaint) -> bool:
    return user.pk == complaint.handler_id or complaint.team.filter(user=user).exists()


def task_add(
    *, actor, complaint: Complaint, title: str, assignee, due_on: date | None, today: date
) -> Task:
    """A task of the investigation, for the handler or someone on the team."""
    errors: list[FieldError] = []
    title = require_text(errors, "title", title)
    if due_on is None or due_on < today:
        errors.append(FieldError("due_on", "past", _("Choose today or a later day.")))
    raise_if(errors)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.TASK)
        if assignee is None or not _may_work(assignee, complaint):
            raise ValidationFailed.single(
                "assignee", "not_on_team", _("Give it to the handler or someone on the team.")
            )
        task = Task.objects.create(
            complaint=complaint, title=title, assignee=assignee, due_on=due_on, created_by=actor
        )
        audit.record(
            actor=actor,
            action="complaint.task_added",
            obj=complaint,
            changes={"task": task.pk, "title": title, "assignee": assignee.pk, "due_on": due_on},
        )
        if assignee != actor:
            notify(
                assignee,
                complaint,
                _("Complaint %(no)s: %(title)s by %(due)s")
                % {"no": complaint.number, "title": title, "due": due_on.isoformat()},
            )
    return task


def task_done(*, actor, task: Task, result: str, at: datetime | None = None) -> Task:
    """The assignee (or the handler, quality, management) records the task's result."""
    errors: list[FieldError] = []
    result = require_text(errors, "result", result)
    raise_if(errors)
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("complaint").get(pk=task.pk)
        complaint = task.complaint
        require_action(actor, A.TASK, complaint)
        if task.assignee_id != actor.pk and not (
            actor.pk == complaint.handler_id
            or actor.is_superuser
            or actor.has_role(roles.QUALITY, roles.MANAGEMENT)
        ):
            raise PermissionDenied(_("This task is someone else's."))
        if task.done_at is not None:
            raise InvalidTransition(_("This task is already done."))
        task.done_at = now_or(at)
        task.done_by = actor
        task.result = result
        task.save(update_fields=["done_at", "done_by", "result", "updated_at"])
        audit.record(
            actor=actor,
            action="complaint.task_done",
            obj=complaint,
            changes={"task": task.pk, "result": result},
        )
    return task


def document_add(*, actor, complaint: Complaint, title: str, file) -> Document:
    """A document of the investigation: a PDF or an image, checked by its content."""
    errors: list[FieldError] = []
    title = require_text(errors, "title", title)
    if not file:
        errors.append(FieldError("file", "required", _("Choose a file.")))
    raise_if(errors)
    uploads.check(file, field="file")
    with transaction.atomic():
        complaint = locked(complaint, actor, A.NOTE)
        document = Document.objects.create(
            complaint=complaint,
            title=title,
            file=file,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        audit.record(
            actor=actor,
            action="complaint.document",
            obj=complaint,
            changes={"document": document.pk, "title": title, "file": document.file.name},
        )
    return document
