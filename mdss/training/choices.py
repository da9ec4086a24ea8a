from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.TextChoices):
    SALES = "sales", _("sales team")
    SERVICE = "service", _("service team")


class Background(models.TextChoices):
    MEDICINE = "medicine", _("medicine")
    PHARMACY = "pharmacy", _("pharmacy")
    MARKETING = "marketing", _("marketing")
    BME = "bme", _("biomedical engineering")
    OTHER = "other", _("other")


class SkillKind(models.TextChoices):
    REPAIR = "repair", _("repair")
    INSTALLATION = "installation", _("installation")
    COMMISSIONING = "commissioning", _("commissioning")


class CertificateKind(models.TextChoices):
    PROFESSIONAL = "professional", _("professional qualification certificate (职业资格证书)")
    MANUFACTURER = "manufacturer", _("manufacturer's certification")


class SessionKind(models.TextChoices):
    INTERNAL = "internal", _("centralised internal training")
    MANUFACTURER = "manufacturer", _("manufacturer technical training")
    EXTERNAL = "external", _("external seminar / course")


class Topic(models.TextChoices):
    NEW_PRODUCTS = "new_products", _("new products")
    SELLING = "selling", _("selling skills")
    REGULATIONS = "regulations", _("regulations and policy")
    REPAIR = "repair", _("repair techniques")
    SERVICE_STANDARDS = "service_standards", _("service standards")
    COMMUNICATION = "communication", _("communication")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


SESSION_TRANSITIONS = {
    SessionStatus.PLANNED: {SessionStatus.HELD, SessionStatus.CANCELLED},
    SessionStatus.HELD: set(),
    SessionStatus.CANCELLED: set(),
}


class AssessmentKind(models.TextChoices):
    REGULAR = "regular", _("regular assessment")
    MAKEUP = "makeup", _("make-up exam (补考)")
    REASSESSMENT = "reassessment", _("assessment after retraining")


class AssessmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")


ASSESSMENT_TRANSITIONS = {
    AssessmentStatus.SCHEDULED: {AssessmentStatus.PASSED, AssessmentStatus.FAILED},
    AssessmentStatus.PASSED: set(),
    AssessmentStatus.FAILED: set(),
}


class RetrainingStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    COMPLETED = "completed", _("completed")


RETRAINING_TRANSITIONS = {
    RetrainingStatus.ASSIGNED: {RetrainingStatus.COMPLETED},
    RetrainingStatus.COMPLETED: set(),
}


class ExternalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for the superior")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    ATTENDED = "attended", _("attended (proof recorded)")
    REIMBURSED = "reimbursed", _("reimbursed")


EXTERNAL_TRANSITIONS = {
    ExternalStatus.SUBMITTED: {ExternalStatus.APPROVED, ExternalStatus.REJECTED},
    ExternalStatus.APPROVED: {ExternalStatus.ATTENDED},
    ExternalStatus.ATTENDED: {ExternalStatus.REIMBURSED},
    ExternalStatus.REJECTED: set(),
    ExternalStatus.REIMBURSED: set(),
}

# The policy cadences of each team: (rule code, what counts).
TEAM_RULES = {
    Team.SALES: ("training.sales.session", "training.sales.assessment"),
    Team.SERVICE: ("training.service.session", "training.service.assessment"),
}
# Days before a certificate or authorisation expires on which its holder and manager
# are warned; days before a period ends on which managers hear of a rule not yet met.
EXPIRY_WARNING_DAYS = (90, 30, 7)
PERIOD_END_WARNING_DAYS = 7
# Days a retraining assignment may take before its reassessment is due.
RETRAINING_DAYS = 30
MAKEUP_DAYS = 14


# Sortable columns of the sessions list (core.sorting): URL key -> fields ordered by.
SESSION_SORTS = {
    "date": ("held_on",),
    "title": ("title",),
    "team": ("team", "held_on"),
    "status": ("status", "held_on"),
}
