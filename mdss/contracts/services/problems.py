"""Problems in performing a contract (S11):

    open ── problem_resolve (the rep, with the outcome) ──▶ resolved
    open ── problem_escalate (the rep or a manager, why) ──▶ escalated   [management notified]
    escalated ── problem_decide (management: settle / legal action / write off, record) ──▶ decided

Communications with the customer are notes on the problem; everything is audited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from ..choices import PROBLEM_TRANSITIONS, ProblemDecision, ProblemKind, ProblemStatus
from ..models import Contract, Problem, ProblemNote
from ..permissions import require_contract_access


def _required(value, field, message):
    if not (value or "").strip():
        raise ValidationFailed.single(field, "required", message)
    return value.strip()


def problem_raise(*, actor, contract: Contract, kind: str, description: str) -> Problem:
    require_contract_access(actor, contract)
    if kind not in ProblemKind.values:
        raise ValidationFailed.single("kind", "choice", _("Unknown kind of problem."))
    text = _required(description, "description", _("Say what happened."))
    with transaction.atomic():
        problem = Problem.objects.create(
            contract=contract, kind=kind, description=text, raised_by=actor
        )
        audit.record(
            actor=actor,
            action="contracts.problem_raised",
            obj=contract,
            changes={"problem": problem.pk, "kind": kind},
        )
    return problem


def problem_note(*, actor, problem: Problem, text: str) -> ProblemNote:
    require_contract_access(actor, problem.contract)
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
    require_contract_access(actor, problem.contract)
    text = _required(outcome, "outcome", _("Say how it was resolved."))
    with transaction.atomic():
        locked = lock_for_transition(problem, ProblemStatus.RESOLVED, PROBLEM_TRANSITIONS)
        locked.status, locked.outcome = ProblemStatus.RESOLVED, text
        locked.save(update_fields=["status", "outcome", "updated_at"])
        audit.record(
            actor=actor,
            action="contracts.problem_resolved",
            obj=locked.contract,
            changes={"problem": locked.pk},
        )
    return locked


def problem_escalate(*, actor, problem: Problem, reason: str) -> Problem:
    from mdss.accounts.models import User

    require_contract_access(actor, problem.contract)
    text = _required(reason, "reason", _("Say why management must decide."))
    with transaction.atomic():
        locked = lock_for_transition(problem, ProblemStatus.ESCALATED, PROBLEM_TRANSITIONS)
        locked.status = ProblemStatus.ESCALATED
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="contracts.problem_escalated",
            obj=locked.contract,
            reason=text,
            changes={"problem": locked.pk},
        )
        for person in User.objects.filter(groups__name=roles.MANAGEMENT, is_active=True):
            notify(
                recipient=person,
                kind="contracts.problem",
                subject=_("Contract %(no)s: a problem needs your decision")
                % {"no": locked.contract.number},
                body=text,
                link=f"/contracts/{locked.contract_id}/",
            )
    return locked


def problem_decide(
    *, actor, problem: Problem, decision: str, note: str, case_reference: str = ""
) -> Problem:
    if not (actor.is_superuser or actor.has_role(roles.MANAGEMENT)):
        raise PermissionDenied(_("Management decides escalated problems."))
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
