"""Complaints (A13–A15): channels, categories, severities and states, the
transitions between them (docs/workflows.md draws the map), and the actions a person
may take (permissions.ACTION_ROLES)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The policy's obligations (calendars.choices.DEFAULT_TARGETS, A14).
CONTACT_CLOCK = "complaint.contact"  # 2 hours from receipt
ANSWER_CLOCK = "complaint.answer"  # 24 hours from receipt, a general complaint
TEAM_CLOCK = "complaint.team"  # 48 hours from classification as major
CLOCKS = (CONTACT_CLOCK, ANSWER_CLOCK, TEAM_CLOCK)


class Channel(models.TextChoices):
    PHONE = "phone", _("complaint line")
    EMAIL = "email", _("complaint e-mail")
    PORTAL = "portal", _("customer portal")
    ONSITE = "onsite", _("reported on site by staff")
    LETTER = "letter", _("letter")
    API = "api", _("API")


class Concerns(models.TextChoices):
    """What the complaint is about, as the complainant put it."""

    PRODUCT = "product", _("a product or device")
    SERVICE = "service", _("a service request")
    CONTRACT = "contract", _("a contract")
    CONDUCT = "conduct", _("a person's conduct")
    DELIVERY = "delivery", _("a delivery")
    PRICE = "price", _("a price or bill")
    OTHER = "other", _("something else")


class Category(models.TextChoices):
    PRODUCT_QUALITY = "product_quality", _("product quality")
    SERVICE = "service", _("service")
    SALES_CONDUCT = "sales_conduct", _("sales conduct")
    DELIVERY = "delivery", _("delivery")
    BILLING = "billing", _("price or billing")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    GENERAL = "general", _("general")
    MAJOR = "major", _("major")


class MajorCriterion(models.TextChoices):
    """Any one of these makes a complaint major (settings.MDSS_COMPLAINT_POLICY holds
    the thresholds: what "repeated" and "high value" mean)."""

    PATIENT_HARM = "patient_harm", _("patient harm suspected")
    REPEATED = "repeated", _("repeated complaint")
    MEDIA_REGULATOR = "media_regulator", _("media or regulator involved")
    HIGH_VALUE = "high_value", _("high value at stake")
    SEVERAL_SITES = "several_sites", _("several customers or sites affected")


class TeamRole(models.TextChoices):
    LEADER = "leader", _("team leader")
    INVESTIGATOR = "investigator", _("investigator")
    ACCOUNT = "account", _("account's rep or service manager")
    MEMBER = "member", _("member")


class Solution(models.TextChoices):
    REPAIR = "repair", _("repair")
    REPLACEMENT = "replacement", _("replacement")
    REFUND = "refund", _("refund")
    APOLOGY = "apology", _("apology")
    TRAINING = "training", _("training")
    EXPLANATION = "explanation", _("explanation, no fault found")
    OTHER = "other", _("other")


class Responsibility(models.TextChoices):
    OURS = "ours", _("ours (the distributor)")
    MANUFACTURER = "manufacturer", _("the manufacturer")
    CARRIER = "carrier", _("the carrier")
    CUSTOMER = "customer", _("the customer's use")
    NONE = "none", _("no fault found")


class FeedbackChannel(models.TextChoices):
    PORTAL = "portal", _("customer portal")
    EMAIL = "email", _("e-mail")
    CALL = "call", _("phone call")
    VISIT = "visit", _("visit")
    LETTER = "letter", _("letter")


class Acceptance(models.TextChoices):
    ACCEPTED = "accepted", _("accepts the result")
    OBJECTED = "objected", _("objects to the result")


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class NoticeMethod(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    PORTAL = "portal", _("manufacturer's portal")


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("waiting for contact")
    CONTACTED = "contacted", _("contacted, being handled")
    INVESTIGATING = "investigating", _("special team investigating")
    RESOLVED = "resolved", _("result to feed back")
    FED_BACK = "fed_back", _("fed back, to close")
    CLOSED = "closed", _("closed")


S = ComplaintStatus
OPEN_STATUSES = (S.NEW, S.CONTACTED, S.INVESTIGATING, S.RESOLVED, S.FED_BACK)

COMPLAINT_TRANSITIONS = {
    # Classifying and assigning keep the state (NEW → NEW, …).
    S.NEW: (S.NEW, S.CONTACTED),
    # A general complaint is answered; a major one goes to its special team.
    S.CONTACTED: (S.CONTACTED, S.RESOLVED, S.INVESTIGATING),
    S.INVESTIGATING: (S.INVESTIGATING, S.RESOLVED),
    # An unsatisfied complainant sends it back to be handled again.
    S.RESOLVED: (S.RESOLVED, S.FED_BACK, S.CONTACTED, S.INVESTIGATING),
    S.FED_BACK: (S.FED_BACK, S.CLOSED),
    S.CLOSED: (S.CONTACTED, S.INVESTIGATING),
}


class ComplaintAction(models.TextChoices):
    CREATE = "create", _("record a complaint")
    ASSIGN = "assign", _("assign the handler")
    CONTACT = "contact", _("record the first contact")
    CLASSIFY = "classify", _("classify")
    ANSWER = "answer", _("answer")
    FORM_TEAM = "form_team", _("form the special team")
    RESOLVE = "resolve", _("record the resolution")
    FEEDBACK = "feedback", _("record the feedback")
    CLOSE = "close", _("close")
    REOPEN = "reopen", _("reopen")
    ASSESS = "assess", _("assess reportability")
    NOTIFY_MANUFACTURER = "notify_manufacturer", _("record the manufacturer's notification")
    HANDOVER_CLOSE = "handover_close", _("close the quality hand-over")
    NOTE = "note", _("add a note")
    TASK = "task", _("add a task")
