"""Quality (Q3, Q6, X5 and the adverse-event rules): sources, states, transitions and
the actions people take (permissions.ACTION_ROLES). docs/workflows.md draws the maps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The policy's obligations (calendars.choices.DEFAULT_TARGETS).
CONTAINMENT_CLOCK = "quality.containment"  # an incident contained within 24 hours
CAPA_CLOCK = "quality.capa"  # each corrective or preventive action, 20 working days
FEEDBACK_CLOCK = "quality.feedback"  # a product problem sent to the manufacturer, 5 working days
AE_DEATH_CLOCK = "quality.ae_death"  # 7 days (168 hours) from awareness
AE_SERIOUS_CLOCK = "quality.ae_serious"  # 20 days (480 hours)
AE_CLUSTER_CLOCK = "quality.ae_cluster"  # 12 hours
AE_CLOCKS = (AE_DEATH_CLOCK, AE_SERIOUS_CLOCK, AE_CLUSTER_CLOCK)


class FeedbackSource(models.TextChoices):
    CUSTOMER = "customer", _("customer")
    ENGINEER = "engineer", _("engineer's repair record")
    COMPLAINT = "complaint", _("complaint")
    OTHER = "other", _("other")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("to send to the manufacturer")
    SENT = "sent", _("sent, awaiting the manufacturer")
    ANSWERED = "answered", _("manufacturer answered")
    CLOSED = "closed", _("closed")


FEEDBACK_TRANSITIONS = {
    FeedbackStatus.OPEN: (FeedbackStatus.SENT, FeedbackStatus.CLOSED),
    FeedbackStatus.SENT: (FeedbackStatus.ANSWERED,),
    FeedbackStatus.ANSWERED: (FeedbackStatus.CLOSED,),
    FeedbackStatus.CLOSED: (),
}


class SendMethod(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PORTAL = "portal", _("manufacturer's portal")
    LETTER = "letter", _("letter")
    PHONE = "phone", _("phone")
    MEETING = "meeting", _("meeting")


class IncidentSource(models.TextChoices):
    SERVICE = "service", _("service")
    COMPLAINT = "complaint", _("complaint")
    AUDIT = "audit", _("record audit")
    FEEDBACK = "feedback", _("product feedback")
    OTHER = "other", _("other")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("open")
    CONTAINED = "contained", _("contained")
    ANALYSED = "analysed", _("root cause found")
    VERIFYING = "verifying", _("verifying effectiveness")
    CLOSED = "closed", _("closed")


INCIDENT_TRANSITIONS = {
    IncidentStatus.OPEN: (IncidentStatus.CONTAINED,),
    IncidentStatus.CONTAINED: (IncidentStatus.ANALYSED,),
    # Every action done: the wait for the effectiveness check starts.
    IncidentStatus.ANALYSED: (IncidentStatus.VERIFYING,),
    # Not effective: back to analysis and new actions.
    IncidentStatus.VERIFYING: (IncidentStatus.ANALYSED, IncidentStatus.CLOSED),
    IncidentStatus.CLOSED: (),
}


class Fishbone(models.TextChoices):
    """The six categories of a cause-and-effect (fishbone) diagram."""

    PEOPLE = "people", _("people")
    MACHINE = "machine", _("equipment")
    MATERIAL = "material", _("material")
    METHOD = "method", _("method")
    MEASUREMENT = "measurement", _("measurement")
    ENVIRONMENT = "environment", _("environment")


class CapaKind(models.TextChoices):
    CORRECTIVE = "corrective", _("corrective")
    PREVENTIVE = "preventive", _("preventive")


class AeOutcome(models.TextChoices):
    DEATH = "death", _("death")
    SERIOUS_INJURY = "serious_injury", _("serious injury")
    POTENTIAL = "potential", _("could have caused death or serious injury")
    OTHER = "other", _("other harm or none")


class AeStatus(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    SUBMITTED = "submitted", _("submitted to the national system")
    CLOSED = "closed", _("closed")


AE_TRANSITIONS = {
    AeStatus.DRAFT: (AeStatus.SUBMITTED, AeStatus.CLOSED),
    AeStatus.SUBMITTED: (AeStatus.CLOSED,),
    AeStatus.CLOSED: (),
}


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")
    UNKNOWN = "u", _("unknown")


class RecallLevel(models.TextChoices):
    """召回级别 (Measures for the Recall of Medical Devices): I serious, II temporary
    or reversible harm, III unlikely harm."""

    I = "1", _("level I")  # noqa: E741 (the regulation's own name)
    II = "2", _("level II")
    III = "3", _("level III")


class RecallStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("in progress")
    CLOSED = "closed", _("closed")


RECALL_TRANSITIONS = {
    RecallStatus.DRAFT: (RecallStatus.ACTIVE,),
    RecallStatus.ACTIVE: (RecallStatus.CLOSED,),
    RecallStatus.CLOSED: (),
}


class NoticeChannel(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    PORTAL = "portal", _("customer portal")


class AuditStrata(models.TextChoices):
    ENGINEER = "engineer", _("by engineer")
    REGION = "region", _("by province")


class AuditStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    CLOSED = "closed", _("closed")


AUDIT_TRANSITIONS = {AuditStatus.OPEN: (AuditStatus.CLOSED,), AuditStatus.CLOSED: ()}


class AuditCheck(models.TextChoices):
    """The checklist of a service-record audit (Q5)."""

    PROCESS = "process", _("the process was followed")
    RECORD = "record", _("the record is complete")
    REPAIR = "repair", _("the repair was good")
    CONFIRMATION = "confirmation", _("the customer's confirmation is present")
    PARTS = "parts", _("the parts are traceable")


class QualityAction(models.TextChoices):
    FEEDBACK_CREATE = "feedback_create", _("Record product feedback")
    FEEDBACK_SEND = "feedback_send", _("Send to the manufacturer")
    FEEDBACK_ANSWER = "feedback_answer", _("Record the manufacturer's answer")
    FEEDBACK_CLOSE = "feedback_close", _("Close")
    INCIDENT_CREATE = "incident_create", _("Open an incident")
    CONTAIN = "contain", _("Record containment")
    ANALYSE = "analyse", _("Record the root cause")
    CAPA_ADD = "capa_add", _("Add an action")
    CAPA_DONE = "capa_done", _("Action done")
    VERIFY = "verify", _("Verify effectiveness")
    INCIDENT_CLOSE = "incident_close", _("Close with signature")
    AE_CREATE = "ae_create", _("Report a suspected adverse event")
    AE_NOTIFY = "ae_notify", _("Record the manufacturer's notification")
    AE_SUBMIT = "ae_submit", _("Record the submission")
    AE_CLOSE = "ae_close", _("Close")
    RECALL_CREATE = "recall_create", _("Record a recall")
    RECALL_ACTIVATE = "recall_activate", _("Start the recall")
    RECALL_NOTICE = "recall_notice", _("Record a customer notice")
    RECALL_ACK = "recall_ack", _("Record an acknowledgement")
    RECALL_ACTION = "recall_action", _("Plan the corrective action")
    RECALL_CLOSE = "recall_close", _("Close the recall")
    TRACE = "trace", _("Trace")
    EVALUATE = "evaluate", _("Compute the evaluations")
    EVALUATION_REVIEW = "evaluation_review", _("Review")
    AUDIT_CREATE = "audit_create", _("Plan a record audit")
    AUDIT_CHECK = "audit_check", _("Record the checklist")
    FINDING_ADD = "finding_add", _("Add a finding")
    FINDING_DONE = "finding_done", _("Finding rectified")
    AUDIT_CLOSE = "audit_close", _("Close the audit")
