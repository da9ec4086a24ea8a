from django.db import models
from django.utils.translation import gettext_lazy as _

from . import engine


class TimeUnit(models.TextChoices):
    CLOCK_HOURS = engine.CLOCK_HOURS, _("clock hours")
    WORKING_DAYS = engine.WORKING_DAYS, _("working days")
    BUSINESS_HOURS = engine.BUSINESS_HOURS, _("business hours")


class CalendarSource(models.TextChoices):
    STATUTORY = "statutory", _("State Council notice (chinese-calendar)")
    MANUAL = "manual", _("entered by an administrator")


class ClockStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    MET = "met", _("met")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


OPEN_CLOCK_STATUSES = (ClockStatus.RUNNING, ClockStatus.PAUSED)

# Allowed transitions of an SLA clock (docs/workflows.md).
CLOCK_TRANSITIONS = {
    ClockStatus.RUNNING: {
        ClockStatus.PAUSED,
        ClockStatus.MET,
        ClockStatus.MISSED,
        ClockStatus.CANCELLED,
    },
    ClockStatus.PAUSED: {ClockStatus.RUNNING, ClockStatus.CANCELLED},
    ClockStatus.MET: set(),
    ClockStatus.MISSED: set(),
    ClockStatus.CANCELLED: set(),
}

# The policy's defaults (REQUIREMENTS.md), the content of policy version 1:
# code, name, requirement, starts on, stops on, duration, unit, warn %.
DEFAULT_TARGETS = [
    (
        "service.contact",
        "Contact the customer",
        "A5",
        "service request logged",
        "engineer contacts the customer",
        1,
        engine.CLOCK_HOURS,
        80,
    ),
    (
        "service.onsite",
        "Engineer on site",
        "A6",
        "request judged to need a visit",
        "engineer arrives on site",
        24,
        engine.CLOCK_HOURS,
        80,
    ),
    (
        "parts.provide",
        "Warehouse provides parts",
        "A8",
        "parts requisition submitted",
        "parts issued",
        24,
        engine.CLOCK_HOURS,
        80,
    ),
    (
        "service.followup",
        "Follow-up visit",
        "A9",
        "service completed",
        "follow-up visit recorded",
        3,
        engine.WORKING_DAYS,
        67,
    ),
    (
        "complaint.contact",
        "Contact the complainant",
        "A14",
        "complaint received",
        "complainant contacted",
        2,
        engine.CLOCK_HOURS,
        75,
    ),
    (
        "complaint.answer",
        "Answer a general complaint",
        "A14",
        "complaint received",
        "answer given",
        24,
        engine.CLOCK_HOURS,
        80,
    ),
    (
        "complaint.team",
        "Special team for a major complaint",
        "A14",
        "complaint classed as major",
        "special team formed",
        48,
        engine.CLOCK_HOURS,
        80,
    ),
]
