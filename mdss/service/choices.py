"""After-sales service: the request's channels, urgencies and states, the
transitions between them (docs/workflows.md draws the map), and what a person may
do (permissions.ACTION_ROLES)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The policy's obligations (calendars.choices.DEFAULT_TARGETS).
CONTACT_CLOCK = "service.contact"  # A5: 1 hour from the request
ONSITE_CLOCK = "service.onsite"  # A6: 24 hours from the decision to go on site
FOLLOWUP_CLOCK = "service.followup"  # A9: 3 working days from completion
CLOCKS = (CONTACT_CLOCK, ONSITE_CLOCK, FOLLOWUP_CLOCK)


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("24-hour hotline")
    PORTAL = "portal", _("customer portal")
    EMAIL = "email", _("e-mail")
    API = "api", _("API")
    REOPENED = "reopened", _("reopened request")
    PM = "pm", _("preventive maintenance plan")
    RECALL = "recall", _("recall")


class RequestKind(models.TextChoices):
    REPAIR = "repair", _("repair")
    PM = "pm", _("preventive maintenance")
    RECALL = "recall", _("recall corrective action")


class Urgency(models.TextChoices):
    """Ordered: the engineer's list and the board sort by ``URGENCY_RANK``."""

    CRITICAL = "critical", _("critical — patient care stopped")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}


class Triage(models.TextChoices):
    SIMPLE = "simple", _("simple — phone guidance")
    COMPLEX = "complex", _("complex — on site")


class Resolution(models.TextChoices):
    PHONE = "phone", _("resolved by phone")
    ONSITE = "onsite", _("repaired on site")


class RequestStatus(models.TextChoices):
    NEW = "new", _("waiting for contact")
    CONTACTED = "contacted", _("contacted, to triage")
    GUIDANCE = "guidance", _("phone guidance")
    TO_DISPATCH = "to_dispatch", _("to dispatch")
    DISPATCHED = "dispatched", _("engineer on the way")
    ON_SITE = "on_site", _("engineer on site")
    COMPLETED = "completed", _("waiting for the customer's confirmation")
    CONFIRMED = "confirmed", _("confirmed, follow-up due")
    FOLLOWED_UP = "followed_up", _("followed up")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


S = RequestStatus
OPEN_STATUSES = (S.NEW, S.CONTACTED, S.GUIDANCE, S.TO_DISPATCH, S.DISPATCHED, S.ON_SITE)
# Still the service department's business (the follow-up, the close).
ACTIVE_STATUSES = (*OPEN_STATUSES, S.COMPLETED, S.CONFIRMED, S.FOLLOWED_UP)
# States in which the engineer works on it (their job list).
JOB_STATUSES = (S.NEW, S.CONTACTED, S.GUIDANCE, S.DISPATCHED, S.ON_SITE, S.COMPLETED)

REQUEST_TRANSITIONS = {
    # Assigning who contacts and guides keeps the state (NEW → NEW, …).
    S.NEW: (S.NEW, S.CONTACTED, S.CANCELLED),
    S.CONTACTED: (S.CONTACTED, S.GUIDANCE, S.TO_DISPATCH, S.DISPATCHED, S.CANCELLED),
    # Guidance that does not work sends the engineer on site.
    S.GUIDANCE: (S.GUIDANCE, S.COMPLETED, S.TO_DISPATCH, S.DISPATCHED, S.CANCELLED),
    S.TO_DISPATCH: (S.DISPATCHED, S.CANCELLED),
    # Reassignment keeps the state (and the clock).
    S.DISPATCHED: (S.DISPATCHED, S.ON_SITE, S.CANCELLED),
    # Leaving without finishing (waiting for parts) → the next visit.
    S.ON_SITE: (S.DISPATCHED, S.COMPLETED),
    # The customer confirms, or refuses and the work goes on.
    S.COMPLETED: (S.CONFIRMED, S.DISPATCHED, S.GUIDANCE),
    S.CONFIRMED: (S.FOLLOWED_UP,),
    S.FOLLOWED_UP: (S.CLOSED,),
    S.CLOSED: (),
    S.CANCELLED: (),
}


class ServiceAction(models.TextChoices):
    """What a person may do; each is one service function and one API POST."""

    CREATE = "create", _("log a service request")
    CONTACT = "contact", _("record the first contact")
    TRIAGE = "triage", _("triage")
    RESOLVE_BY_PHONE = "resolve_by_phone", _("resolve by phone")
    DISPATCH = "dispatch", _("dispatch an engineer")
    CHECK_IN = "check_in", _("check in on site")
    REPAIR_RECORD = "repair_record", _("record the repair")
    REQUEST_PARTS = "request_parts", _("request parts")
    LEAVE = "leave", _("leave for a later visit")
    COMPLETE = "complete", _("complete")
    CONFIRM = "confirm", _("record the customer's confirmation")
    FOLLOW_UP = "follow_up", _("record the follow-up visit")
    CLOSE = "close", _("close")
    REOPEN = "reopen", _("reopen")
    CANCEL = "cancel", _("cancel")
    IMPROVE = "improve", _("complete an improvement action")
    QUOTE = "quote", _("quote out-of-warranty work")


class ConfirmationMethod(models.TextChoices):
    SIGNATURE = "signature", _("signed on the engineer's phone")
    VERBAL = "verbal", _("confirmed by phone")
    PORTAL = "portal", _("confirmed in the customer portal")


class ImprovementStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


# A satisfaction score at or below this, or "not satisfied", opens an improvement
# action (A9).
POOR_SCORE = 2


# The request's timeline: an audit action as a person reads it.
EVENT_LABELS = {
    "service.created": _("logged"),
    "service.contacted": _("customer contacted"),
    "service.assigned": _("engineer assigned"),
    "service.triaged": _("triaged"),
    "service.dispatched": _("engineer dispatched"),
    "service.checked_in": _("engineer arrived"),
    "service.repair_recorded": _("repair recorded"),
    "service.parts_requested": _("parts requested"),
    "service.left_site": _("left for a later visit"),
    "service.completed": _("completed"),
    "service.resolved_by_phone": _("resolved by phone"),
    "service.confirmed": _("confirmed by the customer"),
    "service.refused": _("refused by the customer"),
    "service.followed_up": _("followed up"),
    "service.improvement_opened": _("improvement action opened"),
    "service.improvement_done": _("improvement action done"),
    "service.closed": _("closed"),
    "service.reopened": _("reopened"),
    "service.cancelled": _("cancelled"),
    "service.deadline_missed": _("deadline missed"),
    "service.pm_planned": _("preventive maintenance planned"),
    "service.quoted": _("quoted"),
}
