from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractKind(models.TextChoices):
    PURCHASE = "purchase", _("purchase and sale")
    FRAMEWORK = "framework", _("framework agreement")
    TENDER = "tender", _("tender award")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in legal review")
    APPROVED = "approved", _("approved by legal")
    SIGNED = "signed", _("signed")
    IN_PERFORMANCE = "in_performance", _("in performance")
    COMPLETED = "completed", _("completed")
    TERMINATED = "terminated", _("terminated")
    CANCELLED = "cancelled", _("cancelled before signing")


CONTRACT_TRANSITIONS = {
    # An unsigned contract may be cancelled with a reason (the deal fell through);
    # it then reserves no price-adjustment quantity.
    ContractStatus.DRAFT: {ContractStatus.IN_REVIEW, ContractStatus.CANCELLED},
    # Legal returns a contract to draft with comments, or approves it.
    ContractStatus.IN_REVIEW: {
        ContractStatus.DRAFT,
        ContractStatus.APPROVED,
        ContractStatus.CANCELLED,
    },
    ContractStatus.APPROVED: {
        ContractStatus.SIGNED,
        ContractStatus.DRAFT,
        ContractStatus.CANCELLED,
    },
    ContractStatus.SIGNED: {ContractStatus.IN_PERFORMANCE, ContractStatus.TERMINATED},
    ContractStatus.IN_PERFORMANCE: {ContractStatus.COMPLETED, ContractStatus.TERMINATED},
    ContractStatus.COMPLETED: set(),
    ContractStatus.TERMINATED: set(),
    ContractStatus.CANCELLED: set(),
}
EDITABLE = {ContractStatus.DRAFT}
# Goods go out and money comes in only on a signed contract still being performed.
DELIVERABLE = PAYABLE = frozenset({ContractStatus.SIGNED, ContractStatus.IN_PERFORMANCE})
# A receipt may be confirmed late, after the last payment completed the contract.
RECEIPTABLE = DELIVERABLE | {ContractStatus.COMPLETED}
# Problems (disputes) belong to signed contracts, during and after performance.
PROBLEM_RAISABLE = RECEIPTABLE | {ContractStatus.TERMINATED}

# The contract's terms: every clause the contract form edits, drafting accepts, an
# amendment may change and legal's e-signature covers (terms_snapshot). One list, so
# a clause added here is signed for; a clause kept anywhere else would escape legal.
CONTRACT_CLAUSES = (
    "kind",
    "delivery_place",
    "delivery_deadline",
    "payment_terms",
    "quality_standard",
    "after_sales_terms",
    "warranty_months",
    "other_clauses",
    "tax_rate",
)

# The clauses S8 requires before a contract may go to review, with the names the
# completeness check reports.
REQUIRED_CLAUSES = (
    ("delivery_place", _("delivery place")),
    ("delivery_deadline", _("delivery time")),
    ("quality_standard", _("quality standard")),
    ("after_sales_terms", _("after-sales service terms")),
)
DEFAULT_TAX_RATE = "13.00"  # VAT on medical devices, percent

# How the contract's timeline names its audit events.
EVENT_LABELS = {
    "contracts.drafted": _("drafted"),
    "contracts.terms_changed": _("terms changed"),
    "contracts.line_added": _("product added"),
    "contracts.line_changed": _("product changed"),
    "contracts.line_removed": _("product removed"),
    "contracts.submitted": _("submitted for legal review"),
    "contracts.returned": _("returned by legal"),
    "contracts.legal_approved": _("approved by legal (e-signature)"),
    "contracts.signed": _("signed by both parties"),
    "contracts.terminated": _("terminated"),
    "contracts.delivered": _("delivered"),
    "contracts.instalments_set": _("payment plan set"),
    "contracts.paid": _("payment received"),
    "contracts.completed": _("completed"),
    "contracts.problem_raised": _("problem recorded"),
    "contracts.problem_escalated": _("problem escalated to management"),
    "contracts.problem_resolved": _("problem resolved"),
    "contracts.problem_decided": _("management decided on a problem"),
    "contracts.problem_note": _("communication with the customer"),
    "contracts.received": _("receipt confirmed by the customer"),
    "contracts.attachment_added": _("attachment added"),
    "contracts.attachment_removed": _("attachment removed"),
    "contracts.amendment_drafted": _("amendment drafted"),
    "contracts.amendment_changed": _("amendment changed"),
    "contracts.amendment_submitted": _("amendment submitted for legal review"),
    "contracts.amendment_returned": _("amendment returned by legal"),
    "contracts.amendment_approved": _("amendment approved by legal (e-signature)"),
    "contracts.amendment_withdrawn": _("amendment withdrawn"),
    "contracts.amended": _("amendment signed: new terms in force"),
    # audit.esign writes this one for every e-signature (legal's approval here).
    "esign": _("e-signature"),
}


class AmendmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in legal review")
    APPROVED = "approved", _("approved by legal")
    EFFECTIVE = "effective", _("signed and in force")
    WITHDRAWN = "withdrawn", _("withdrawn")


AMENDMENT_TRANSITIONS = {
    AmendmentStatus.DRAFT: {AmendmentStatus.IN_REVIEW, AmendmentStatus.WITHDRAWN},
    AmendmentStatus.IN_REVIEW: {AmendmentStatus.DRAFT, AmendmentStatus.APPROVED},
    AmendmentStatus.APPROVED: {
        AmendmentStatus.EFFECTIVE,
        AmendmentStatus.DRAFT,
        AmendmentStatus.WITHDRAWN,
    },
    AmendmentStatus.EFFECTIVE: set(),
    AmendmentStatus.WITHDRAWN: set(),
}
OPEN_AMENDMENT = [AmendmentStatus.DRAFT, AmendmentStatus.IN_REVIEW, AmendmentStatus.APPROVED]
# A contract in these states is amended rather than edited.
AMENDABLE = {ContractStatus.SIGNED, ContractStatus.IN_PERFORMANCE}


class ProblemKind(models.TextChoices):
    LATE_DELIVERY = "late_delivery", _("late delivery")
    PAYMENT_DEFAULT = "payment_default", _("payment default")
    QUALITY = "quality", _("quality objection")
    BREACH = "breach", _("breach claim")
    OTHER = "other", _("other")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    ESCALATED = "escalated", _("escalated to management")
    RESOLVED = "resolved", _("resolved with the customer")
    DECIDED = "decided", _("decided by management")


PROBLEM_TRANSITIONS = {
    ProblemStatus.OPEN: {ProblemStatus.ESCALATED, ProblemStatus.RESOLVED},
    ProblemStatus.ESCALATED: {ProblemStatus.DECIDED},
    ProblemStatus.RESOLVED: set(),
    ProblemStatus.DECIDED: set(),
}


class ProblemDecision(models.TextChoices):
    SETTLE = "settle", _("settle with the customer")
    LEGAL_ACTION = "legal_action", _("legal action")
    WRITE_OFF = "write_off", _("write off")
    OTHER = "other", _("other")


# The ledger's sortable columns (core/sorting.py): URL key -> order_by fields
# (``amount`` is the ledger's own annotation).
RECEIVABLE_SORTS = {
    "number": ("number",),
    "customer": ("customer__name", "number"),
    "overdue": ("overdue", "number"),
}
LEDGER_SORTS = {
    "number": ("number",),
    "customer": ("customer__name", "number"),
    "signed": ("signed_on", "number"),
    "amount": ("amount", "number"),
}
