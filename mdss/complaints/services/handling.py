"""Handling a complaint (A14, A15): the handler, the first contact, classification,
the answer to a general complaint, the feedback to the complainant with their
satisfaction, closing and reopening."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.errors import (
    Conflict,
    FieldError,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)

from ..choices import (
    ANSWER_CLOCK,
    CLOCKS,
    CONTACT_CLOCK,
    TEAM_CLOCK,
    Acceptance,
    Category,
    FeedbackChannel,
    MajorCriterion,
    Responsibility,
    Severity,
    Solution,
)
from ..choices import ComplaintAction as A
from ..choices import ComplaintStatus as S
from ..models import Complaint
from ..permissions import is_product_related, require_action, require_portal
from .common import (
    locked,
    may_handle,
    move,
    notify,
    notify_role,
    now_or,
    raise_if,
    require_text,
    save,
    track_due,
)

RESOLUTION_FIELDS = (
    "facts",
    "root_cause",
    "responsibility",
    "solution",
    "solution_detail",
    "decision_basis",
)


def complaint_assign(*, actor, complaint: Complaint, handler) -> Complaint:
    """Give the complaint to another handler; its running clocks follow."""
    from mdss.calendars.services import clock_reassign_for

    require_action(actor, A.ASSIGN)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.ASSIGN)
        if handler is None or not may_handle(handler):
            raise ValidationFailed.single(
                "handler", "not_handler", _("Choose someone from quality or a manager.")
            )
        if handler.pk == complaint.person_id:
            raise ValidationFailed.single(
                "handler", "complained_about", _("The person complained about cannot handle it.")
            )
        before = complaint.handler_id
        save(complaint, handler=handler)
        for code in CLOCKS:
            clock_reassign_for(subject=complaint, code=code, responsible=handler, actor=actor)
        audit.record(
            actor=actor,
            action="complaint.assigned",
            obj=complaint,
            changes={"handler": [before, handler.pk]},
        )
        if handler != actor:
            notify(handler, complaint, _("Complaint %(no)s is yours") % {"no": complaint.number})
    return complaint


def complaint_contact(
    *, actor, complaint: Complaint, note: str = "", at: datetime | None = None
) -> Complaint:
    """The first contact with the complainant (A14: within 2 hours)."""
    from mdss.calendars.services import clock_stop_for

    require_action(actor, A.CONTACT)
    at = now_or(at)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.CONTACT, S.CONTACTED)
        move(complaint, S.CONTACTED, contacted_at=at, contact_note=(note or "").strip())
        clock_stop_for(subject=complaint, code=CONTACT_CLOCK, actor=actor, at=at)
        track_due(complaint)
        audit.record(
            actor=actor, action="complaint.contacted", obj=complaint, changes={"note": note}
        )
    return complaint


def _classification_errors(category, severity, criteria, note) -> list[FieldError]:
    errors = []
    if category not in Category.values:
        errors.append(FieldError("category", "invalid_choice", _("Choose a category.")))
    if severity not in Severity.values:
        errors.append(FieldError("severity", "invalid_choice", _("Choose general or major.")))
    unknown = [c for c in criteria if c not in MajorCriterion.values]
    if unknown:
        errors.append(
            FieldError("criteria", "invalid_choice", _("Unknown criteria: %(c)s") % {"c": unknown})
        )
    elif criteria and severity == Severity.GENERAL:
        errors.append(
            FieldError(
                "severity",
                "criteria_met",
                _("A complaint meeting a major criterion (%(c)s) is major.")
                % {"c": ", ".join(str(MajorCriterion(c).label) for c in criteria)},
            )
        )
    if severity == Severity.MAJOR and not criteria and not note:
        errors.append(
            FieldError(
                "classification_note",
                "required",
                _("Say why it is major when none of the criteria applies."),
            )
        )
    return errors


def complaint_classify(
    *,
    actor,
    complaint: Complaint,
    category: str,
    severity: str,
    criteria: list[str] | tuple = (),
    note: str = "",
    at: datetime | None = None,
) -> Complaint:
    """Category and severity (A14) by the policy's criteria (choices.MajorCriterion).
    Major: the 24-hour answer gives way to the special team within 48 hours, from
    now. Back to general: the team clock stops and the answer is due 24 hours from
    receipt again. A reclassification is audited with what it was."""
    from mdss.calendars.selectors import clocks_for
    from mdss.calendars.services import clock_cancel_for, clock_start

    require_action(actor, A.CLASSIFY)
    at = now_or(at)
    criteria = sorted(set(criteria or ()))
    note = (note or "").strip()
    raise_if(_classification_errors(category, severity, criteria, note))
    with transaction.atomic():
        complaint = locked(complaint, actor, A.CLASSIFY)
        before = {
            "category": complaint.category,
            "severity": complaint.severity,
            "criteria": complaint.criteria,
        }
        save(
            complaint,
            category=category,
            severity=severity,
            criteria=criteria,
            classification_note=note,
            classified_by=actor,
            classified_at=at,
        )
        running = set(clocks_for(complaint).filter(status="running").values_list("code", flat=True))
        if severity == Severity.MAJOR and before["severity"] != Severity.MAJOR:
            if ANSWER_CLOCK in running:
                clock_cancel_for(
                    subject=complaint, code=ANSWER_CLOCK, actor=actor, reason="classified major"
                )
            clock_start(
                subject=complaint,
                code=TEAM_CLOCK,
                responsible=complaint.handler,
                actor=actor,
                at=at,
            )
            notify_role(
                roles.MANAGEMENT,
                complaint,
                _("Major complaint %(no)s: the special team is due within 48 hours")
                % {"no": complaint.number},
            )
        elif severity == Severity.GENERAL and before["severity"] == Severity.MAJOR:
            if TEAM_CLOCK in running:
                clock_cancel_for(
                    subject=complaint, code=TEAM_CLOCK, actor=actor, reason="classified general"
                )
            answered = clocks_for(complaint).filter(code=ANSWER_CLOCK).exclude(status="cancelled")
            if not answered.exists():
                clock_start(
                    subject=complaint,
                    code=ANSWER_CLOCK,
                    responsible=complaint.handler,
                    actor=actor,
                    at=complaint.received_at,
                )
        track_due(complaint)
        audit.record(
            actor=actor,
            action="complaint.reclassified" if before["severity"] else "complaint.classified",
            obj=complaint,
            changes={
                "before": before,
                "after": {"category": category, "severity": severity, "criteria": criteria},
                "note": note,
            },
        )
    return complaint


def resolution_values(data: dict, *, major: bool) -> dict:
    """The investigation's findings and the decision (A15), checked: 422 naming each
    missing or unknown field. A major complaint's root cause is required."""
    errors: list[FieldError] = []
    values = {
        "facts": require_text(errors, "facts", data.get("facts", "")),
        "root_cause": (data.get("root_cause") or "").strip(),
        "responsibility": data.get("responsibility") or "",
        "solution": data.get("solution") or "",
        "solution_detail": require_text(errors, "solution_detail", data.get("solution_detail", "")),
        "decision_basis": require_text(
            errors,
            "decision_basis",
            data.get("decision_basis", ""),
            _("Record what the decision rests on (facts, contract, policy, test report)."),
        ),
    }
    if major and not values["root_cause"]:
        require_text(errors, "root_cause", "")
    if values["responsibility"] not in Responsibility.values:
        errors.append(FieldError("responsibility", "invalid_choice", _("Choose who is at fault.")))
    if values["solution"] not in Solution.values:
        errors.append(FieldError("solution", "invalid_choice", _("Choose the solution offered.")))
    raise_if(errors)
    return values


def _result_ready(complaint: Complaint) -> None:
    """Tell the customer's portal logins the result is there to read and rate."""
    if complaint.customer_id is None:
        return
    from mdss.customers.models import PortalAccount

    for account in PortalAccount.objects.filter(
        customer_id=complaint.customer_id, is_active=True
    ).select_related("user"):
        notify(
            account.user,
            complaint,
            _("Complaint %(no)s: our answer is ready") % {"no": complaint.number},
            kind="complaint.result",
        )


def complaint_answer(
    *, actor, complaint: Complaint, at: datetime | None = None, **data
) -> Complaint:
    """A general complaint's answer (A14: within 24 hours of receipt), with what was
    found and decided (A15)."""
    from mdss.calendars.services import clock_stop_for

    require_action(actor, A.ANSWER)
    at = now_or(at)
    values = resolution_values(data, major=False)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.ANSWER, S.RESOLVED)
        move(complaint, S.RESOLVED, resolved_by=actor, resolved_at=at, **values)
        clock_stop_for(subject=complaint, code=ANSWER_CLOCK, actor=actor, at=at)
        track_due(complaint)
        audit.record(actor=actor, action="complaint.answered", obj=complaint, changes=values)
        _result_ready(complaint)
    return complaint


def _feedback(actor, complaint, channel, acceptance, satisfaction, note, at) -> Complaint:
    from mdss.calendars.services import clock_start

    errors: list[FieldError] = []
    if channel not in FeedbackChannel.values:
        errors.append(FieldError("channel", "invalid_choice", _("Choose how it was fed back.")))
    if acceptance not in Acceptance.values:
        errors.append(
            FieldError("acceptance", "invalid_choice", _("Does the complainant accept it?"))
        )
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors.append(FieldError("satisfaction", "range", _("Rate from 1 to 5.")))
    raise_if(errors)
    satisfied = acceptance == Acceptance.ACCEPTED and (satisfaction is None or satisfaction >= 3)
    fields = {
        "feedback_channel": channel,
        "fed_back_at": at,
        "acceptance": acceptance,
        "satisfaction": satisfaction,
        "feedback_note": (note or "").strip(),
    }
    row = complaint  # locked by the caller
    back_to = S.INVESTIGATING if row.team_formed_at else S.CONTACTED
    if satisfied:
        move(row, S.FED_BACK, **fields)
    else:
        # Unsatisfied: handled again, and management hears of it (A15).
        move(row, back_to, reopen_count=row.reopen_count + 1, **fields)
        if back_to == S.CONTACTED:
            clock_start(subject=row, code=ANSWER_CLOCK, responsible=row.handler, actor=actor, at=at)
        notify_role(
            roles.MANAGEMENT,
            row,
            _("Complaint %(no)s: the complainant is not satisfied") % {"no": row.number},
            kind="complaint.escalated",
        )
        notify(
            row.handler,
            row,
            _("Complaint %(no)s: the complainant is not satisfied") % {"no": row.number},
        )
    track_due(row)
    audit.record(
        actor=actor,
        action="complaint.fed_back" if satisfied else "complaint.unsatisfied",
        obj=row,
        changes={**fields, "satisfied": satisfied},
    )
    return row


def complaint_feedback(
    *,
    actor,
    complaint: Complaint,
    channel: str,
    acceptance: str,
    satisfaction: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Complaint:
    """The result fed back to the complainant, their answer and satisfaction (A15).
    Unsatisfied (an objection, or 1–2 of 5): handled again and escalated."""
    require_action(actor, A.FEEDBACK)
    with transaction.atomic():
        complaint = locked(complaint, actor, A.FEEDBACK)
        return _feedback(actor, complaint, channel, acceptance, satisfaction, note, now_or(at))


def complaint_rate(
    *,
    actor,
    complaint: Complaint,
    acceptance: str,
    satisfaction: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Complaint:
    """The customer reads the result in the portal and rates it."""
    require_portal(actor, complaint.customer)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status != S.RESOLVED:
            raise InvalidTransition(_("There is no result to rate now."))
        return _feedback(
            actor, complaint, FeedbackChannel.PORTAL, acceptance, satisfaction, note, now_or(at)
        )


def _closing_content(complaint: Complaint) -> dict:
    """What the closing signature vouches for."""
    return {
        "number": complaint.number,
        "severity": complaint.severity,
        **{name: getattr(complaint, name) for name in RESOLUTION_FIELDS},
        "acceptance": complaint.acceptance,
        "satisfaction": complaint.satisfaction,
    }


def complaint_close(
    *,
    actor,
    complaint: Complaint,
    password: str = "",
    comment: str = "",
    at: datetime | None = None,
) -> Complaint:
    """Close a complaint fed back to the complainant. Not while quality holds a
    hand-over, a product complaint's reportability is unanswered, a reportable one's
    manufacturer was not told, or a task is open. A major complaint is closed by
    quality with an e-signature."""
    from mdss.calendars.services import clock_cancel_for

    require_action(actor, A.CLOSE)
    at = now_or(at)
    # The severity as it is now (the caller's copy may predate a classification).
    major = Complaint.objects.filter(pk=complaint.pk, severity=Severity.MAJOR).exists()
    if major:
        if not (actor.is_superuser or actor.has_role(roles.QUALITY)):
            raise PermissionDenied(_("A major complaint is closed by quality, with a signature."))
        from mdss.audit import esign

        esign.authenticate(actor, password)  # before the transaction: a failure counts
    with transaction.atomic():
        complaint = locked(complaint, actor, A.CLOSE, S.CLOSED)
        if complaint.is_major != major:
            raise Conflict(_("The complaint was reclassified meanwhile: try again."))
        if complaint.handover_open:
            raise Conflict(_("Quality's adverse-event hand-over is still open."))
        if is_product_related(complaint) and complaint.assessed_at is None:
            raise ValidationFailed.single(
                "assessment",
                "required",
                _("Answer the reportability questions of a product complaint first."),
            )
        if complaint.reportable and not complaint.notices.exists():
            raise ValidationFailed.single(
                "manufacturer",
                "not_notified",
                _("Record when and how the manufacturer was told."),
            )
        open_tasks = list(
            complaint.tasks.filter(done_at__isnull=True).values_list("title", flat=True)
        )
        if open_tasks:
            raise Conflict(_("Tasks still open: %(t)s") % {"t": "; ".join(open_tasks)})
        signature = None
        if complaint.is_major:
            from mdss.audit import esign

            signature = esign.sign(
                signer=actor,
                password=password,
                meaning=_("Closure of major complaint %(no)s") % {"no": complaint.number},
                obj=complaint,
                content=_closing_content(complaint),
                comment=comment,
            )
        move(complaint, S.CLOSED, closed_at=at, closed_by=actor, signature=signature)
        for code in CLOCKS:
            clock_cancel_for(subject=complaint, code=code, actor=actor, reason="complaint closed")
        track_due(complaint)
        audit.record(
            actor=actor,
            action="complaint.closed",
            obj=complaint,
            changes={"signature": getattr(signature, "pk", None), "comment": comment},
        )
    return complaint


def complaint_reopen(
    *, actor, complaint: Complaint, reason: str, at: datetime | None = None
) -> Complaint:
    """The complainant comes back: handled again (by its team, when it had one), within
    the policy's reopening period of the closure."""
    from mdss.calendars.services import clock_start

    require_action(actor, A.REOPEN)
    at = now_or(at)
    errors: list[FieldError] = []
    reason = require_text(errors, "reason", reason)
    raise_if(errors)
    days = settings.COMPLAINT_POLICY["reopen_days"]
    with transaction.atomic():
        back_to = S.INVESTIGATING if complaint.team_formed_at else S.CONTACTED
        complaint = locked(complaint, actor, A.REOPEN, back_to)
        if complaint.closed_at and complaint.closed_at < at - timedelta(days=days):
            raise Conflict(
                _("Closed more than %(n)s days ago: record a new complaint.") % {"n": days}
            )
        move(complaint, back_to, reopen_count=complaint.reopen_count + 1)
        if back_to == S.CONTACTED:
            clock_start(
                subject=complaint,
                code=ANSWER_CLOCK,
                responsible=complaint.handler,
                actor=actor,
                at=at,
            )
        track_due(complaint)
        audit.record(actor=actor, action="complaint.reopened", obj=complaint, reason=reason)
        notify(
            complaint.handler,
            complaint,
            _("Complaint %(no)s was reopened") % {"no": complaint.number},
        )
    return complaint
