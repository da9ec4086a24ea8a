"""Review, signing and termination (S8, S9, S13, Q1):

draft ── contract_submit (complete; gates on today) ──▶ in_review   [legal-review clock starts]
in_review ── legal_return (comments) ──▶ draft                        [clock stops]
in_review ── legal_approve (legal's e-signature over the terms) ──▶ approved
approved ── contract_sign (gates on the signing date, scan) ──▶ signed
approved ── legal_return (the customer wants changes) ──▶ draft
signed / in_performance ── contract_terminate (management, reason, date) ──▶ terminated
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.calendars import services as clocks
from mdss.core import uploads
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.core.workflow import lock_for_transition
from mdss.customers.services import customer_mark_existing
from mdss.notifications.services import notify

from .. import gates
from ..choices import CONTRACT_TRANSITIONS, ContractStatus
from ..models import Contract
from ..permissions import require_contract_access
from .amendments import withdraw_open
from .legal import (
    REVIEW_CLOCK,
    authenticate_legal,
    review_approve,
    review_return,
    signing_date_errors,
    start_review,
    terms_snapshot,
    terms_still_signed,
)
from .totals import signed_months_add


def _lines(contract):
    return list(contract.lines.select_related("model__product", "adjustment").order_by("id"))


def contract_submit(*, actor, contract: Contract, today: date) -> Contract:
    """Send to legal review: refused with every missing clause and every gate failure."""
    require_contract_access(actor, contract, "draft")
    with transaction.atomic():
        locked = lock_for_transition(contract, ContractStatus.IN_REVIEW, CONTRACT_TRANSITIONS)
        lines = _lines(locked)
        errors = gates.completeness_errors(locked, lines)
        if not errors:
            errors = gates.gate_errors(locked, lines, today)
        if errors:
            raise ValidationFailed(errors=errors)
        locked.status = ContractStatus.IN_REVIEW
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="contracts.submitted",
            obj=locked,
            changes={"lines": len(lines), "total": gates.money_total(lines)},
        )
        start_review(
            locked,
            actor=actor,
            subject=_("Contract %(no)s waits for legal review") % {"no": locked.number},
            link=f"/contracts/{locked.pk}/",
        )
    return locked


def legal_return(*, actor, contract: Contract, comment: str) -> Contract:
    with transaction.atomic():
        locked, was = review_return(
            contract, actor=actor, comment=comment, transitions=CONTRACT_TRANSITIONS
        )
        audit.record(
            actor=actor,
            action="contracts.returned",
            obj=locked,
            reason=locked.legal_comment,
            changes={"status": {"before": was, "after": "draft"}},
        )
        notify(
            recipient=locked.rep,
            kind="contracts.returned",
            subject=_("Contract %(no)s returned by legal") % {"no": locked.number},
            body=locked.legal_comment,
            link=f"/contracts/{locked.pk}/",
        )
    return locked


def legal_approve(
    *, actor, contract: Contract, password: str, comment: str = "", at=None
) -> Contract:
    """Legal approves with an e-signature over the clauses and lines (S9)."""
    authenticate_legal(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        locked = review_approve(
            contract,
            actor=actor,
            password=password,
            comment=comment,
            transitions=CONTRACT_TRANSITIONS,
            meaning="contract approved by legal",
            content=lambda c: terms_snapshot(c, _lines(c)),
            at=at,
        )
        audit.record(
            actor=actor,
            action="contracts.legal_approved",
            obj=locked,
            changes={"comment": locked.legal_comment},
        )
        notify(
            recipient=locked.rep,
            kind="contracts.approved",
            subject=_("Contract %(no)s approved by legal: it may be signed")
            % {"no": locked.number},
            link=f"/contracts/{locked.pk}/",
        )
    return locked


def contract_sign(
    *, actor, contract: Contract, signed_on: date, customer_signed_on: date, scan, today: date
) -> Contract:
    """Both parties signed: the gates are checked again on the signing date, the
    terms must be those legal signed, and the customer becomes existing."""
    require_contract_access(actor, contract, "sign")
    if not scan:
        raise ValidationFailed.single("signed_scan", "required", _("Upload the signed contract."))
    uploads.check(scan, field="signed_scan")
    if signed_on > today or customer_signed_on > today:
        raise ValidationFailed.single(
            "signed_on", "future", _("A signing date cannot be in the future.")
        )
    with transaction.atomic():
        locked = lock_for_transition(contract, ContractStatus.SIGNED, CONTRACT_TRANSITIONS)
        lines = _lines(locked)
        if not terms_still_signed(locked.legal_signature, terms_snapshot(locked, lines)):
            raise ValidationFailed.single(
                "legal_signature",
                "changed",
                _("The terms differ from what legal approved; send it for review again."),
            )
        errors = signing_date_errors(
            locked, {"signed_on": signed_on, "customer_signed_on": customer_signed_on}
        )
        # The papers must hold on the day both had signed and on the day it is recorded:
        # a backdated signature does not revive a certificate that has expired since.
        signing = max(signed_on, customer_signed_on)
        errors += gates.gate_errors(locked, lines, signing)
        if today != signing:
            errors += [e for e in gates.gate_errors(locked, lines, today) if e not in errors]
        if errors:
            raise ValidationFailed(errors=errors)
        locked.status = ContractStatus.SIGNED
        locked.signed_on, locked.customer_signed_on, locked.signed_scan = (
            signed_on,
            customer_signed_on,
            scan,
        )
        locked.save(
            update_fields=["status", "signed_on", "customer_signed_on", "signed_scan", "updated_at"]
        )
        signed_months_add(locked.rep_id, signed_on, locked.amount, contracts=1)
        audit.record(
            actor=actor,
            action="contracts.signed",
            obj=locked,
            changes={
                "signed_on": signed_on,
                "customer_signed_on": customer_signed_on,
                "total": gates.money_total(lines),
            },
        )
        customer_mark_existing(
            customer=locked.customer, on_date=max(signed_on, customer_signed_on), actor=actor
        )
    return locked


def contract_cancel(*, actor, contract: Contract, reason: str) -> Contract:
    """An unsigned contract (draft, in review, approved) is cancelled with the reason:
    it stays in the ledger, reserves no price-adjustment quantity, and its review
    clock stops."""
    require_contract_access(actor, contract, "draft")
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why the contract is cancelled."))
    with transaction.atomic():
        locked = lock_for_transition(contract, ContractStatus.CANCELLED, CONTRACT_TRANSITIONS)
        was = locked.status
        locked.status = ContractStatus.CANCELLED
        locked.cancelled_at, locked.cancel_reason = timezone.now(), reason.strip()
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        if was == ContractStatus.IN_REVIEW:
            clocks.clock_stop_for(subject=locked, code=REVIEW_CLOCK, actor=actor)
        audit.record(
            actor=actor,
            action="contracts.cancelled",
            obj=locked,
            reason=locked.cancel_reason,
            changes={"status": {"before": was, "after": ContractStatus.CANCELLED}},
        )
    return locked


def contract_terminate(*, actor, contract: Contract, reason: str, on: date) -> Contract:
    """Termination needs management: the reason and the date are recorded."""
    if not (actor.is_superuser or actor.has_role(roles.MANAGEMENT)):
        raise PermissionDenied(_("Management approves the termination of a contract."))
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why the contract ends."))
    with transaction.atomic():
        locked = lock_for_transition(contract, ContractStatus.TERMINATED, CONTRACT_TRANSITIONS)
        was = locked.status
        locked.status, locked.terminated_on, locked.termination_reason = (
            ContractStatus.TERMINATED,
            on,
            reason.strip(),
        )
        locked.save(update_fields=["status", "terminated_on", "termination_reason", "updated_at"])
        withdraw_open(locked, actor, reason.strip())
        audit.record(
            actor=actor,
            action="contracts.terminated",
            obj=locked,
            reason=reason.strip(),
            changes={"status": {"before": was, "after": "terminated"}, "on": on},
        )
    return locked
