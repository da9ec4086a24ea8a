"""Legal review shared by contracts and amendments: the reviewer and the review clock,
the return to draft, the approval with legal's e-signature, the signing-date rule,
and what the signature over a contract's terms covers (``terms_snapshot``).

``review.py`` (contracts) and ``amendments.py`` both build on this module; it imports
neither of them, so neither imports the other for its legal steps.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import esign
from mdss.audit import services as audit
from mdss.calendars import services as clocks
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from .. import gates
from ..choices import CONTRACT_CLAUSES

REVIEW_CLOCK = "contract.legal_review"

# Clauses legal's signature did not cover before they joined CONTRACT_CLAUSES: a
# contract approved then still signs (its type could not change since: only drafts
# are edited), every approval since covers them.
LATER_CLAUSES = ("kind",)


def terms_snapshot(contract, lines) -> dict:
    """What legal's signature vouches for: every clause and every line."""
    terms = {
        "number": contract.number,
        "customer": contract.customer_id,
        "clauses": audit.snapshot(contract, list(CONTRACT_CLAUSES)),
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


def terms_still_signed(signature, terms: dict) -> bool:
    """True if ``terms`` are what legal signed (also in the form signed before
    LATER_CLAUSES were covered)."""
    if signature is None:
        return False
    if esign.verify(signature, terms):
        return True
    earlier = {
        **terms,
        "clauses": {k: v for k, v in terms["clauses"].items() if k not in LATER_CLAUSES},
    }
    return esign.verify(signature, earlier)


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


def require_legal(actor) -> None:
    if not (actor.is_superuser or actor.has_role(roles.LEGAL)):
        raise PermissionDenied(_("The legal department reviews contracts."))


def review_return(record, *, actor, comment: str, transitions, clear_signature: bool = False):
    """Legal sends a contract or an amendment back to draft with what must change.

    Locks the record, checks the transition, keeps the comment and the reviewer,
    stops the review clock if it was running. Returns (the locked record, the status
    it had); the caller records its own audit event and tells its author. Runs in
    the caller's transaction.
    """
    require_legal(actor)
    if not (comment or "").strip():
        raise ValidationFailed.single("comment", "required", _("Say what must change."))
    locked = lock_for_transition(record, "draft", transitions)
    was = locked.status
    locked.status = "draft"  # ContractStatus.DRAFT == AmendmentStatus.DRAFT
    locked.legal_comment, locked.legal_reviewer = comment.strip(), actor
    fields = ["status", "legal_comment", "legal_reviewer", "updated_at"]
    if clear_signature:
        locked.legal_signature = None
        fields.append("legal_signature")
    locked.save(update_fields=fields)
    if was == "in_review":
        clocks.clock_stop_for(subject=locked, code=REVIEW_CLOCK, actor=actor)
    return locked, was


def review_approve(
    record, *, actor, password: str, comment: str, transitions, meaning: str, content, at=None
):
    """Legal approves a contract or an amendment with an e-signature over
    ``content(locked)`` (what the signature vouches for); the review clock stops.

    Authenticate first (``esign.authenticate``, outside the transaction, so failures
    stay counted); this runs in the caller's transaction and returns the locked
    record, for the caller's audit event and notice.
    """
    require_legal(actor)
    locked = lock_for_transition(record, "approved", transitions)
    signature = esign.sign(
        signer=actor,
        password=password,
        meaning=meaning,
        obj=locked,
        content=content(locked),
        comment=comment,
        at=at,
    )
    locked.status = "approved"  # ContractStatus.APPROVED == AmendmentStatus.APPROVED
    locked.legal_reviewer, locked.legal_signature = actor, signature
    locked.legal_comment = (comment or "").strip()
    locked.save(
        update_fields=["status", "legal_reviewer", "legal_signature", "legal_comment", "updated_at"]
    )
    clocks.clock_stop_for(subject=locked, code=REVIEW_CLOCK, actor=actor)
    return locked


def authenticate_legal(actor, password: str) -> None:
    """Before the approving transaction: only legal signs, with their password."""
    require_legal(actor)
    esign.authenticate(actor, password)


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
