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
from mdss.audit import esign
from mdss.audit import services as audit
from mdss.calendars import services as clocks
from mdss.core import uploads
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed
from mdss.core.workflow import lock_for_transition
from mdss.customers.services import customer_mark_existing
from mdss.notifications.services import notify

from .. import gates
from ..choices import CONTRACT_TRANSITIONS, ContractStatus
from ..models import Contract
from ..permissions import require_contract_access

REVIEW_CLOCK = "contract.legal_review"


def _lines(contract):
    return list(contract.lines.select_related("model__product", "adjustment").order_by("id"))


def terms_snapshot(contract, lines) -> dict:
    """What legal's signature vouches for: every clause and every line."""
    terms = {
        "number": contract.number,
        "customer": contract.customer_id,
        "clauses": audit.snapshot(
            contract,
            [
                "delivery_place",
                "delivery_deadline",
                "payment_terms",
                "quality_standard",
                "after_sales_terms",
                "warranty_months",
                "other_clauses",
                "tax_rate",
            ],
        ),
        "lines": [
            [line.model_id, line.quantity, str(line.unit_price), line.adjustment_id]
            for line in lines
        ],
        "total": str(gates.money_total(lines)),
        "instalments": [
            [str(i.due_on), str(i.amount)] for i in contract.instalments.order_by("due_on", "id")
        ],
    }
    annexes = [[a.title, a.sha256] for a in contract.attachments.order_by("id")]
    if annexes:  # absent when none, so terms signed before attachments existed still verify
        terms["attachments"] = annexes
    return terms


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


def pick_reviewer():
    """The active legal reviewer with the fewest reviews running (then the longest
    in the team): a contract is assigned to one person, who answers for its clock;
    the rest of legal still sees it in the inbox and may take it."""
    from mdss.accounts.models import User
    from mdss.calendars.hooks import responsible_load

    legal = list(
        User.objects.filter(groups__name=roles.LEGAL, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not legal:
        return None
    load = responsible_load(REVIEW_CLOCK)
    return User.objects.get(pk=min(legal, key=lambda pk: load.get(pk, 0)))


def start_review(record, *, actor, subject: str, link: str) -> None:
    """Start the legal-review clock of a contract or an amendment with its reviewer,
    and tell that reviewer."""
    reviewer = pick_reviewer()
    clocks.clock_start(subject=record, code=REVIEW_CLOCK, responsible=reviewer, actor=actor)
    if reviewer is not None:
        notify(recipient=reviewer, kind="contracts.review", subject=subject, link=link)


def _require_legal(actor) -> None:
    if not (actor.is_superuser or actor.has_role(roles.LEGAL)):
        raise PermissionDenied(_("The legal department reviews contracts."))


def legal_return(*, actor, contract: Contract, comment: str) -> Contract:
    _require_legal(actor)
    if not (comment or "").strip():
        raise ValidationFailed.single("comment", "required", _("Say what must change."))
    with transaction.atomic():
        locked = lock_for_transition(contract, ContractStatus.DRAFT, CONTRACT_TRANSITIONS)
        was = locked.status
        locked.status, locked.legal_comment, locked.legal_reviewer = (
            ContractStatus.DRAFT,
            comment.strip(),
            actor,
        )
        locked.save(update_fields=["status", "legal_comment", "legal_reviewer", "updated_at"])
        audit.record(
            actor=actor,
            action="contracts.returned",
            obj=locked,
            reason=comment.strip(),
            changes={"status": {"before": was, "after": "draft"}},
        )
        if was == ContractStatus.IN_REVIEW:
            clocks.clock_stop_for(subject=locked, code=REVIEW_CLOCK, actor=actor)
        notify(
            recipient=locked.rep,
            kind="contracts.returned",
            subject=_("Contract %(no)s returned by legal") % {"no": locked.number},
            body=comment.strip(),
            link=f"/contracts/{locked.pk}/",
        )
    return locked


def record_approval(record, *, actor, password, comment, meaning, content, at=None) -> None:
    """Legal signs ``content`` (what the signature vouches for) and the locked
    contract or amendment becomes approved, with the reviewer and comments."""
    signature = esign.sign(
        signer=actor,
        password=password,
        meaning=meaning,
        obj=record,
        content=content,
        comment=comment,
        at=at,
    )
    record.status = "approved"  # ContractStatus.APPROVED == AmendmentStatus.APPROVED
    record.legal_reviewer, record.legal_signature = actor, signature
    record.legal_comment = (comment or "").strip()
    record.save(
        update_fields=["status", "legal_reviewer", "legal_signature", "legal_comment", "updated_at"]
    )


def legal_approve(
    *, actor, contract: Contract, password: str, comment: str = "", at=None
) -> Contract:
    """Legal approves with an e-signature over the clauses and lines (S9)."""
    _require_legal(actor)
    esign.authenticate(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        locked = lock_for_transition(contract, ContractStatus.APPROVED, CONTRACT_TRANSITIONS)
        lines = _lines(locked)
        record_approval(
            locked,
            actor=actor,
            password=password,
            comment=comment,
            meaning="contract approved by legal",
            content=terms_snapshot(locked, lines),
            at=at,
        )
        audit.record(
            actor=actor,
            action="contracts.legal_approved",
            obj=locked,
            changes={"comment": locked.legal_comment},
        )
        clocks.clock_stop_for(subject=locked, code=REVIEW_CLOCK, actor=actor)
        notify(
            recipient=locked.rep,
            kind="contracts.approved",
            subject=_("Contract %(no)s approved by legal: it may be signed")
            % {"no": locked.number},
            link=f"/contracts/{locked.pk}/",
        )
    return locked


def signing_date_errors(record, dates: dict[str, date]) -> list[FieldError]:
    """A contract or an amendment is signed on or after legal approved it (审核后签订)."""
    approved = timezone.localtime(record.legal_signature.signed_at).date()
    return [
        FieldError(
            field,
            "before_approval",
            _("Legal approved it on %(date)s; it cannot have been signed earlier.")
            % {"date": approved},
        )
        for field, day in dates.items()
        if day < approved
    ]


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
        if locked.legal_signature is None or not esign.verify(
            locked.legal_signature, terms_snapshot(locked, lines)
        ):
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
        from .amendments import withdraw_open

        withdraw_open(locked, actor, reason.strip())
        audit.record(
            actor=actor,
            action="contracts.terminated",
            obj=locked,
            reason=reason.strip(),
            changes={"status": {"before": was, "after": "terminated"}, "on": on},
        )
    return locked
