"""The analytics fact tables (D1–D4): figures derived from the records, rebuilt by
``services.refresh`` (incrementally by the periodic job, in full by
``manage.py analytics_refresh --all``), so dashboards read a few narrow rows instead
of joining contracts, lines, customers and users at national scale.

Dimensions are copied onto each row as they were when the row was refreshed (the
customer's province, type and grade, the rep's team): a figure is filed where the
record stood. Foreign keys have no database constraint: a fact never blocks a
record, and a full refresh rewrites every row.

Only ``RegionDecision`` is a record (management's decision on a region, kept)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RegionAction, RegionTrend


def _fk(to: str, **extra):
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **extra,
    )


class SalesDay(models.Model):
    """What was signed on one day, for one customer, of one model, by one rep: the
    lines in force of the contracts signed that day (quantity × unit price)."""

    day = models.DateField()
    customer = _fk("customers.Customer")
    model = _fk("catalog.ProductModel")
    rep = _fk(settings.AUTH_USER_MODEL)
    province = _fk("accounts.Region", null=True)
    city = _fk("accounts.Region", null=True)
    customer_kind = models.CharField(max_length=20)
    customer_grade = models.CharField(max_length=10, blank=True)
    category = models.CharField(max_length=20, blank=True)
    department = _fk("accounts.Department", null=True)
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    lines = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("sales fact")
        verbose_name_plural = _("sales facts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "customer", "model", "rep"], name="analytics_sales_day_key"
            )
        ]
        indexes = [
            # Every dashboard filters on the period first, then groups.
            models.Index(fields=["day", "province"], name="analytics_sales_day_idx"),
            models.Index(fields=["rep", "day"], name="analytics_sales_rep_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.customer_id}/{self.model_id}: {self.amount}"


class ServiceFact(models.Model):
    """One service request's figures (D3): where and what, how long each step took
    (elapsed minutes from the report), whether each clock was met, the visits and the
    customer's rating. Final once the request is closed or cancelled."""

    request = models.OneToOneField(
        "service.ServiceRequest",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    day = models.DateField()  # reported, local date
    province = _fk("accounts.Region", null=True)
    city = _fk("accounts.Region", null=True)
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    model = _fk("catalog.ProductModel", null=True)
    engineer = _fk(settings.AUTH_USER_MODEL, null=True)
    final = models.BooleanField(default=False)
    completed = models.BooleanField(default=False)
    contact_minutes = models.PositiveIntegerField(null=True)
    onsite_minutes = models.PositiveIntegerField(null=True)
    completion_minutes = models.PositiveIntegerField(null=True)
    parts_minutes = models.PositiveIntegerField(null=True)
    visits = models.PositiveSmallIntegerField(default=0)
    visit_minutes = models.PositiveIntegerField(default=0)
    first_time_fix = models.BooleanField(null=True)
    rating = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    satisfied = models.BooleanField(null=True)
    contact_clock = models.CharField(max_length=10, blank=True)
    onsite_clock = models.CharField(max_length=10, blank=True)
    followup_clock = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("service fact")
        verbose_name_plural = _("service facts")
        indexes = [
            models.Index(fields=["day", "province"], name="analytics_service_day_idx"),
            models.Index(fields=["final"], name="analytics_service_open_idx"),
        ]

    def __str__(self):
        return f"{self.day} request {self.request_id}"


class ComplaintFact(models.Model):
    """One complaint's figures: where, what about, its category and severity once
    classified, and whether it was resolved in time. Final once closed."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    day = models.DateField()  # received, local date
    province = _fk("accounts.Region", null=True)
    model = _fk("catalog.ProductModel", null=True)
    category = models.CharField(max_length=20, blank=True)
    severity = models.CharField(max_length=10, blank=True)
    final = models.BooleanField(default=False)
    resolution_minutes = models.PositiveIntegerField(null=True)
    satisfaction = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("complaint fact")
        verbose_name_plural = _("complaint facts")
        indexes = [
            models.Index(fields=["day", "province"], name="analytics_complaint_day_idx"),
            models.Index(fields=["final"], name="analytics_complaint_open_idx"),
        ]

    def __str__(self):
        return f"{self.day} complaint {self.complaint_id}"


class PartDay(models.Model):
    """Spare parts fitted on one day in one province (D4: demand per region)."""

    day = models.DateField()
    province = _fk("accounts.Region", null=True)
    part = _fk("inventory.Part")
    quantity = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("spare-part demand")
        verbose_name_plural = _("spare-part demand")
        constraints = [
            models.UniqueConstraint(fields=["day", "province", "part"], name="analytics_part_key")
        ]

    def __str__(self):
        return f"{self.day} part {self.part_id} × {self.quantity}"


class RefreshState(models.Model):
    """When the facts were last brought up to date (one row)."""

    name = models.CharField(max_length=20, unique=True)
    refreshed_at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    def __str__(self):
        return f"{self.name} {self.refreshed_at}"


class RegionDecision(models.Model):
    """Management's decision on a growing or declining province for a period (D2):
    what to do and why. Decisions are kept; a new one for the same province and
    period is the one in force."""

    province = models.ForeignKey(
        "accounts.Region", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    trend = models.CharField(_("trend"), max_length=10, choices=RegionTrend.choices)
    change = models.DecimalField(_("change (CNY)"), max_digits=16, decimal_places=2)
    action = models.CharField(_("decision"), max_length=10, choices=RegionAction.choices)
    note = models.TextField(_("reasons and next steps"), max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("region decision")
        verbose_name_plural = _("region decisions")
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["province", "period_start"], name="analytics_decision_idx")]

    def __str__(self):
        return f"{self.province} {self.period_start}–{self.period_end}: {self.get_action_display()}"
