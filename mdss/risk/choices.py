"""The risk register's vocabularies (Q7–Q9): categories, the likelihood and impact
scales with their wording, the acceptability zones, response types, and the signals
the system proposes from its own data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The policy's obligations (calendars.choices.DEFAULT_TARGETS / DEFAULT_CADENCES).
MEASURE_CLOCK = "risk.measure"
REVIEW_CADENCES = {
    "unacceptable": "risk.review.unacceptable",
    "tolerable": "risk.review.tolerable",
    "acceptable": "risk.review.acceptable",
}


class Category(models.TextChoices):
    MARKET = "market", _("market")
    QUALITY = "quality", _("quality")
    LEGAL = "legal", _("legal and compliance")
    OPERATIONAL = "operational", _("operational")
    FINANCIAL = "financial", _("financial")
    INFOSEC = "infosec", _("information security")


class Source(models.TextChoices):
    WORKSHOP = "workshop", _("risk workshop")
    AUDIT = "audit", _("audit")
    INCIDENT = "incident", _("quality incident")
    COMPLAINT_TREND = "complaints", _("complaint trend")
    SIGNAL = "signal", _("signal from the data")
    OTHER = "other", _("other")


class Process(models.TextChoices):
    SALES = "sales", _("sales")
    CONTRACTS = "contracts", _("contracts")
    DELIVERY = "delivery", _("delivery and installation")
    SERVICE = "service", _("after-sales service")
    PARTS = "parts", _("spare parts")
    COMPLAINTS = "complaints", _("complaints")
    QUALITY = "quality", _("quality and regulatory")
    IT = "it", _("information systems")


class Zone(models.TextChoices):
    """Acceptability, from the management's matrix."""

    ACCEPTABLE = "acceptable", _("acceptable")
    TOLERABLE = "tolerable", _("tolerable with measures")
    UNACCEPTABLE = "unacceptable", _("unacceptable")


ZONE_RANK = {Zone.ACCEPTABLE: 0, Zone.TOLERABLE: 1, Zone.UNACCEPTABLE: 2}

# The scales' wording (1–5), shown beside the numbers wherever a person assesses.
LIKELIHOOD = {
    1: _("rare: not expected within five years"),
    2: _("unlikely: could happen once in two to five years"),
    3: _("possible: about once a year"),
    4: _("likely: several times a year"),
    5: _("almost certain: monthly or more often"),
}
IMPACT = {
    1: _("negligible: no effect on patients, customers or the licence"),
    2: _("minor: a complaint, a small loss, quickly put right"),
    3: _("moderate: a lost customer or tender, a regulator's query"),
    4: _("major: patient harm possible, a large loss, an inspection finding"),
    5: _("severe: patient harm, licence at stake, a loss threatening the year"),
}


class AssessmentKind(models.TextChoices):
    INHERENT = "inherent", _("inherent (before measures)")
    RESIDUAL = "residual", _("residual (after measures)")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class MeasureType(models.TextChoices):
    AVOID = "avoid", _("avoid")
    REDUCE = "reduce", _("reduce")
    TRANSFER = "transfer", _("transfer")
    ACCEPT = "accept", _("accept")


class MeasureStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class SignalKind(models.TextChoices):
    CERTIFICATE = "certificate", _("registration certificate expiring without renewal")
    COMPLAINTS = "complaints", _("complaint trend on a model")
    FEEDBACK = "feedback", _("product feedback trend on a model and lot")
    SLA = "sla", _("deadline breaches in a region")
    RECEIVABLES = "receivables", _("a customer's overdue receivables")
    SUPPLIER = "supplier", _("a supplier's papers expiring")


class SignalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    DISMISSED = "dismissed", _("dismissed")


class RiskAction(models.TextChoices):
    CREATE = "create", _("Record a risk")
    ASSESS = "assess", _("Assess")
    MEASURE_ADD = "measure_add", _("Add a measure")
    MEASURE_DONE = "measure_done", _("Measure done")
    REVIEW = "review", _("Review")
    CLOSE = "close", _("Close the risk")
    MATRIX = "matrix", _("Change the matrix")
    SIGNAL_DECIDE = "signal_decide", _("Accept or dismiss a signal")


# Measure templates from the policy (Q8): pre-filled per category.
MEASURE_TEMPLATES = {
    Category.MARKET: [
        (MeasureType.REDUCE, _("Adjust the sales strategy for the affected region or product")),
        (MeasureType.REDUCE, _("Widen the sales channels: new distributors or tenders")),
    ],
    Category.QUALITY: [
        (MeasureType.REDUCE, _("Strengthen quality control: incoming inspection, sampling")),
        (MeasureType.REDUCE, _("Train the engineers on the failure and its checks")),
    ],
    Category.LEGAL: [
        (MeasureType.AVOID, _("Stop selling the product until the certificate is renewed")),
        (MeasureType.REDUCE, _("Start the renewal with the manufacturer now")),
    ],
    Category.OPERATIONAL: [
        (MeasureType.REDUCE, _("Add an engineer or a spare-part stock in the region")),
    ],
    Category.FINANCIAL: [
        (MeasureType.REDUCE, _("Stop deliveries on credit until the overdue amount is paid")),
        (MeasureType.TRANSFER, _("Insure the receivable or require a deposit")),
    ],
    Category.INFOSEC: [
        (MeasureType.REDUCE, _("Review the access rights and the password policy")),
    ],
}
