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


class RiskCategory(models.TextChoices):
    MARKET = "market", _("market")
    QUALITY = "quality", _("quality")
    LEGAL = "legal", _("legal and compliance")
    OPERATIONAL = "operational", _("operational")
    FINANCIAL = "financial", _("financial")
    INFOSEC = "infosec", _("information security")


class RiskSource(models.TextChoices):
    WORKSHOP = "workshop", _("risk workshop")
    AUDIT = "audit", _("audit")
    INCIDENT = "incident", _("quality incident")
    COMPLAINT_TREND = "complaints", _("complaint trend")
    SIGNAL = "signal", _("signal from the data")
    OTHER = "other", _("other")


class RiskProcess(models.TextChoices):
    SALES = "sales", _("sales")
    CONTRACTS = "contracts", _("contracts")
    DELIVERY = "delivery", _("delivery and installation")
    SERVICE = "service", _("after-sales service")
    PARTS = "parts", _("spare parts")
    COMPLAINTS = "complaints", _("complaints")
    QUALITY = "quality", _("quality and regulatory")
    IT = "it", _("information systems")


class RiskZone(models.TextChoices):
    """Acceptability, from the management's matrix."""

    ACCEPTABLE = "acceptable", _("acceptable")
    TOLERABLE = "tolerable", _("tolerable with measures")
    UNACCEPTABLE = "unacceptable", _("unacceptable")


ZONE_RANK = {RiskZone.ACCEPTABLE: 0, RiskZone.TOLERABLE: 1, RiskZone.UNACCEPTABLE: 2}

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


class RiskAssessmentKind(models.TextChoices):
    INHERENT = "inherent", _("inherent (before measures)")
    RESIDUAL = "residual", _("residual (after measures)")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class RiskMeasureType(models.TextChoices):
    AVOID = "avoid", _("avoid")
    REDUCE = "reduce", _("reduce")
    TRANSFER = "transfer", _("transfer")
    ACCEPT = "accept", _("accept")


class RiskMeasureStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class RiskSignalKind(models.TextChoices):
    CERTIFICATE = "certificate", _("registration certificate expiring without renewal")
    COMPLAINTS = "complaints", _("complaint trend on a model")
    FEEDBACK = "feedback", _("product feedback trend on a model and lot")
    SLA = "sla", _("deadline breaches in a region")
    RECEIVABLES = "receivables", _("a customer's overdue receivables")
    SUPPLIER = "supplier", _("a supplier's papers expiring")


class RiskSignalStatus(models.TextChoices):
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
    RiskCategory.MARKET: [
        (RiskMeasureType.REDUCE, _("Adjust the sales strategy for the affected region or product")),
        (RiskMeasureType.REDUCE, _("Widen the sales channels: new distributors or tenders")),
    ],
    RiskCategory.QUALITY: [
        (RiskMeasureType.REDUCE, _("Strengthen quality control: incoming inspection, sampling")),
        (RiskMeasureType.REDUCE, _("Train the engineers on the failure and its checks")),
    ],
    RiskCategory.LEGAL: [
        (RiskMeasureType.AVOID, _("Stop selling the product until the certificate is renewed")),
        (RiskMeasureType.REDUCE, _("Start the renewal with the manufacturer now")),
    ],
    RiskCategory.OPERATIONAL: [
        (RiskMeasureType.REDUCE, _("Add an engineer or a spare-part stock in the region")),
    ],
    RiskCategory.FINANCIAL: [
        (RiskMeasureType.REDUCE, _("Stop deliveries on credit until the overdue amount is paid")),
        (RiskMeasureType.TRANSFER, _("Insure the receivable or require a deposit")),
    ],
    RiskCategory.INFOSEC: [
        (RiskMeasureType.REDUCE, _("Review the access rights and the password policy")),
    ],
}
