"""Problems in performing a contract (S11):

    open ── problem_resolve (the rep, with the outcome) ──▶ resolved
    open ── problem_escalate (the rep or a manager, why) ──▶ escalated   [management notified]
    open ── problem_escalation_sweep (still open when the policy's clock runs out,
            default 10 working days) ──▶ escalated
    escalated ── problem_decide (management: settle / legal action / write off, record) ──▶ decided

Communications with the customer are notes on the problem; everything is audited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.calendars import services as clocks
from mdss.calendars.choices import TimeUnit
from mdss.core.errors import InvalidTransition, ValidationFailed
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify_many

from ..choices import (
    PROBLEM_RAISABLE,
    PROBLEM_TRANSITIONS,
    ContractStatus,
    ProblemDecision,
    ProblemKind,
    ProblemStatus,
)
from ..models import Contract, Problem, ProblemNote
from ..permissions import require_contract_access

PROBLEM_CLOCK = "contract.problem"


def _required(value, field, message):
    if not (value or "").strip():
        raise ValidationFailed.single(field, "required", message)
    return value.strip()


def problem_raise(*, actor, contract: Contract, kind: str, description: str) -> Problem:
    require_contract_access(actor, contract, "problem")
    if kind not in ProblemKind.values:
        raise ValidationFailed.single("kind", "choice", _("Unknown kind of problem."))
    text = _required(description, "description", _("Say what happened."))
    with transaction.atomic():
        # The status as stored (the caller's copy may predate its signing).
        status = Contract.objects.select_for_update().values_list("status", flat=True)
        status = status.get(pk=contract.pk)
        if status not in PROBLEM_RAISABLE:
            raise InvalidTransition(
                _("Contract %(no)s is %(status)s: problems are recorded once it is signed.")
                % {"no": contract.number, "status": ContractStatus(status).label}
            )
        problem = Problem.objects.create(
            contract=contract, kind=kind, description=text, raised_by=actor
        )
        clocks.clock_start(
            subject=problem, code=PROBLEM_CLOCK, responsible=contract.rep, actor=actor
        )
        audit.record(
            actor=actor,
            action="contracts.problem_raised",
            obj=contract,
            changes={"problem": problem.pk, "kind": kind},
        )
    return problem


def problem_note(*, actor, problem: Problem, text: str) -> ProblemNote:
    require_contract_access(actor, problem.contract, "problem")
    note = ProblemNote.objects.create(
        problem=problem, author=actor, text=_required(text, "text", _("Write what was said."))
    )
    audit.record(
        actor=actor,
        action="contracts.problem_note",
        obj=problem.contract,
        changes={"problem": problem.pk},
    )
    return note


def problem_resolve(*, actor, problem: Problem, outcome: str) -> Problem:
    require_contract_access(actor, problem.contract, "problem")
    text = _required(outcome, "outcome", _("Say how it was resolved."))
    with transaction.atomic():
        locked = lock_for_transition(problem, ProblemStatus.RESOLVED, PROBLEM_TRANSITIONS)
        locked.status, locked.outcome = ProblemStatus.RESOLVED, text
        locked.save(update_fields=["status", "outcome", "updated_at"])
        clocks.clock_stop_for(subject=locked, code=PROBLEM_CLOCK, actor=actor)
        audit.record(
            actor=actor,
            action="contracts.problem_resolved",
            obj=locked.contract,
            changes={"problem": locked.pk},
        )
    return locked


def problem_escalate(*, actor, problem: Problem, reason: str) -> Problem:
    require_contract_access(actor, problem.contract, "problem")
    text = _required(reason, "reason", _("Say why management must decide."))
    with transaction.atomic():
        return _escalate(problem, actor, text)


def _escalate(problem: Problem, actor, reason: str) -> Problem:
    from mdss.accounts.models import User

    locked = lock_for_transition(problem, ProblemStatus.ESCALATED, PROBLEM_TRANSITIONS)
    locked.status = ProblemStatus.ESCALATED
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="contracts.problem_escalated",
        obj=locked.contract,
        reason=reason,
        changes={"problem": locked.pk, "automatic": actor is None},
    )
    clocks.clock_stop_for(subject=locked, code=PROBLEM_CLOCK, actor=actor)
    notify_many(
        User.objects.filter(groups__name=roles.MANAGEMENT, is_active=True),
        kind="contracts.problem",
        subject=_("Contract %(no)s: a problem needs your decision")
        % {"no": locked.contract.number},
        body=reason,
        link=f"/contracts/{locked.contract_id}/",
    )
    return locked


def problem_escalation_sweep(*, now=None) -> int:
    """S11: a problem sales has not resolved when its clock runs out goes to
    management by itself. The SLA sweep calls ``problem_clock_breached`` as the clock
    breaches (``calendars.hooks.on_breach``); this hourly sweep is the safety net for a
    breach whose handler did not run. Each problem is escalated under its own lock, so
    a second run (or two workers) escalates nothing twice."""
    from django.utils import timezone

    from mdss.calendars.hooks import clocks_due

    now = now or timezone.now()
    return sum(
        problem_clock_breached(problem_id, clock)
        for problem_id, clock in clocks_due(Problem, PROBLEM_CLOCK, now)
    )


def problem_clock_breached(problem_id: int, clock) -> int:
    """Escalate the problem whose clock ran out, if it is still open (1), else 0."""
    problem = Problem.objects.filter(pk=problem_id, status=ProblemStatus.OPEN).first()
    if problem is None:
        return 0
    reason = _("Not resolved with the customer within %(n)s %(unit)s: escalated automatically.") % {
        "n": f"{float(clock.target.duration):g}",
        "unit": TimeUnit(clock.target.unit).label,
    }
    with transaction.atomic():
        try:
            _escalate(problem, None, reason)
        except InvalidTransition:
            return 0  # resolved or escalated meanwhile
    return 1


def problem_decide(
    *, actor, problem: Problem, decision: str, note: str, case_reference: str = ""
) -> Problem:
    require_contract_access(actor, problem.contract, "decide")
    if decision not in ProblemDecision.values:
        raise ValidationFailed.single("decision", "choice", _("Unknown decision."))
    text = _required(note, "note", _("Record the decision."))
    with transaction.atomic():
        locked = lock_for_transition(problem, ProblemStatus.DECIDED, PROBLEM_TRANSITIONS)
        locked.status, locked.decision, locked.decision_note, locked.decided_by = (
            ProblemStatus.DECIDED,
            decision,
            text,
            actor,
        )
        locked.case_reference = (case_reference or "").strip()
        locked.save(
            update_fields=[
                "status",
                "decision",
                "decision_note",
                "decided_by",
                "case_reference",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action="contracts.problem_decided",
            obj=locked.contract,
            reason=text,
            changes={"problem": locked.pk, "decision": decision, "case": locked.case_reference},
        )
    return locked
