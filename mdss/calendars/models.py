"""Work calendar, versioned policy and SLA clocks."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.audit.querysets import RegulatedQuerySet
from mdss.core.models import TimeStampedModel

from .choices import CadencePeriod, CalendarSource, ClockStatus, TimeUnit


class CalendarYear(TimeStampedModel):
    """A year whose working days are published (statutory holidays and 调休 entered).

    Days of years without a row fall back to Monday–Friday and every deadline that
    touches them is marked provisional.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=20, choices=CalendarSource.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("published calendar year")
        verbose_name_plural = _("published calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(TimeStampedModel):
    """A day whose status is not the Monday–Friday default, or a named holiday.

    Holidays (not working, named) and make-up working days on weekends (调休, working).
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=CalendarSource.choices)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class CalendarRevision(models.Model):
    """One row, bumped by every calendar change, so processes rebuild their cached
    engine calendar on their next use (one cheap primary-key read per use)."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"calendar revision {self.value}"


class PolicyVersion(models.Model):
    """A version of the policy's numbers. Exactly one is active; old ones stay, since
    every SLA clock keeps the version that set its deadline."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    is_active = models.BooleanField(_("active"), default=False)
    note = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    business_hours = models.CharField(
        _("business hours"),
        max_length=100,
        default="08:30-12:00,13:30-17:30",
        help_text=_(
            "Working intervals of a working day for targets in business hours, e.g. 08:30-12:00,13:30-17:30."
        ),
    )

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="calendars_one_active_policy",
            ),
        ]

    def __str__(self):
        return f"v{self.number}"


class SlaTarget(models.Model):
    """One obligation of the policy: what starts and stops it, how long it may take."""

    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="targets")
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    requirement = models.CharField(
        _("requirement"),
        max_length=20,
        blank=True,
        help_text=_("The rule id in REQUIREMENTS.md, e.g. A5."),
    )
    starts_on = models.CharField(_("starts on"), max_length=200)
    stops_on = models.CharField(_("stops on"), max_length=200)
    duration = models.DecimalField(_("duration"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=TimeUnit.choices)
    warn_percent = models.PositiveSmallIntegerField(
        _("warning threshold (percent of the time)"), default=80
    )

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["policy", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "code"], name="calendars_target_code_per_policy"
            ),
            models.CheckConstraint(
                condition=Q(duration__gt=0), name="calendars_target_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(warn_percent__gte=1, warn_percent__lte=99),
                name="calendars_target_warn_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.duration} {self.get_unit_display()})"


class PolicyCadence(models.Model):
    """A rule of the form "at least N per period": quarterly return visits (S7),
    monthly sales training (S2), quarterly assessments (S3), bi-monthly service
    training and half-yearly assessments (A2). Periods are aligned to 1 January."""

    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="cadences")
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    requirement = models.CharField(_("requirement"), max_length=20, blank=True)
    period_months = models.PositiveSmallIntegerField(
        _("period (months)"), choices=CadencePeriod.choices
    )
    min_count = models.PositiveSmallIntegerField(_("at least (times per period)"), default=1)

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy cadence")
        verbose_name_plural = _("policy cadences")
        ordering = ["policy", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "code"], name="calendars_cadence_code_per_policy"
            ),
            models.CheckConstraint(
                condition=Q(min_count__gte=1), name="calendars_cadence_min_count_positive"
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.min_count}/{self.get_period_months_display()})"


class SlaClock(models.Model):
    """One obligation of one record: started, due, paused time, met or breached.

    ``due_at`` is re-planned on resume in the clock's own unit. Overdue lists are an
    index scan on (status, due_at); the sweep only warns, marks and escalates.
    """

    # Found by calendars_clock_subject_idx, which leads with it: no index of its own.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    subject_repr = models.CharField(_("record"), max_length=255)
    target = models.ForeignKey(
        SlaTarget, verbose_name=_("target"), on_delete=models.PROTECT, related_name="clocks"
    )
    # Copied from the target so that a clock reads without a join and survives policy changes.
    code = models.CharField(_("code"), max_length=50)
    unit = models.CharField(_("unit"), max_length=20, choices=TimeUnit.choices)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sla_clocks",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClockStatus.choices, default=ClockStatus.RUNNING
    )
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warn at"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The deadline relies on a year without a published calendar."),
    )
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    remaining_at_pause = models.FloatField(
        null=True, blank=True, help_text="seconds (hour units) or days (working days)"
    )
    paused_seconds = models.PositiveBigIntegerField(_("paused time (s)"), default=0)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["due_at"]
        constraints = [
            # One running obligation of a kind per record: starting it twice is a bug.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "code"],
                condition=Q(status__in=["running", "paused"]),
                name="calendars_one_open_clock_per_obligation",
            ),
        ]
        indexes = [
            # The sweep and overdue lists: WHERE status = 'running' AND due_at <= now.
            models.Index(
                fields=["due_at"],
                condition=Q(status="running"),
                name="calendars_clock_open_due_idx",
            ),
            # Warnings: WHERE status = 'running' AND warned_at IS NULL AND warn_at <= now.
            models.Index(
                fields=["warn_at"],
                condition=Q(status="running", warned_at__isnull=True),
                name="calendars_clock_warn_idx",
            ),
            # A record's clocks on its page.
            models.Index(fields=["content_type", "object_id"], name="calendars_clock_subject_idx"),
        ]

    def __str__(self):
        return f"{self.code} · {self.subject_repr}"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status == ClockStatus.RUNNING and self.due_at <= timezone.now()
