"""Risk management (Q7–Q9): the register, each risk's dated assessments (likelihood ×
impact, placed on the management's matrix version of the day), its response
measures, its periodic reviews, and the signals the system proposes from its own
data. Every table is regulated (audit/regulated.py): never deleted, changed only
through services/."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel

from .choices import (
    RiskAssessmentKind,
    RiskCategory,
    RiskMeasureStatus,
    RiskMeasureType,
    RiskProcess,
    RiskSignalKind,
    RiskSignalStatus,
    RiskSource,
    RiskStatus,
    RiskZone,
)

USER = settings.AUTH_USER_MODEL


class RiskMatrix(models.Model):
    """One version of the 5 × 5 matrix: ``zones[likelihood − 1][impact − 1]`` is the
    zone of that cell. Management signs a change, which makes a new version; an
    assessment keeps the version it was placed on."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    zones = models.JSONField(_("zones"))
    is_active = models.BooleanField(_("in force"), default=False)
    note = models.TextField(_("what changed and why"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("set by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    signature = models.ForeignKey(
        "audit.ESignature", verbose_name=_("signature"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="risk_one_matrix_in_force"
            )
        ]

    def __str__(self):
        return f"v{self.version}"

    def zone(self, likelihood: int, impact: int) -> str:
        return self.zones[likelihood - 1][impact - 1]


class Risk(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=12, choices=RiskCategory.choices)
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    cause = models.TextField(_("cause"), max_length=2000)
    consequence = models.TextField(_("consequence"), max_length=2000)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="risks"
    )
    source = models.CharField(_("source"), max_length=12, choices=RiskSource.choices)
    process = models.CharField(_("process"), max_length=12, choices=RiskProcess.choices, blank=True)
    model = models.ForeignKey(
        "catalog.ProductModel", verbose_name=_("model / specification"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="risks",
    )  # fmt: skip
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="risks",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN,
        editable=False,
    )  # fmt: skip
    # The latest assessment (residual once measured), copied for the register and the
    # heat map; the assessments keep the history.
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, editable=False)
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, editable=False)
    score = models.PositiveSmallIntegerField(_("score"), null=True, editable=False)
    zone = models.CharField(
        _("level"), max_length=12, choices=RiskZone.choices, blank=True, editable=False
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True,
        related_name="+", editable=False,
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    close_reason = models.TextField(_("why closed"), max_length=2000, blank=True, editable=False)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["-score", "number"]
        indexes = [
            models.Index(fields=["status", "next_review_on"], name="risk_review_due_idx"),
            models.Index(fields=["status", "zone"], name="risk_zone_idx"),
            models.Index(fields=["owner", "status"], name="risk_owner_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class Assessment(models.Model):
    """One dated assessment, kept for good: the inherent risk, then each residual one."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RiskAssessmentKind.choices)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    score = models.PositiveSmallIntegerField(_("score"))
    zone = models.CharField(_("level"), max_length=12, choices=RiskZone.choices)
    matrix = models.ForeignKey(
        RiskMatrix, verbose_name=_("risk matrix"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        USER, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("reasoning"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["risk", "assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_assessment_scale",
            )
        ]

    def __str__(self):
        return f"{self.risk.number} {self.likelihood}×{self.impact}"


class Measure(TimeStampedModel):
    """A response (Q8): its type, the action, its owner and clock, its result; linked
    to a CAPA action where quality runs it."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="measures"
    )
    type = models.CharField(_("response"), max_length=10, choices=RiskMeasureType.choices)
    description = models.TextField(_("action"), max_length=2000)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="risk_measures"
    )
    status = models.CharField(
        _("status"), max_length=6, choices=RiskMeasureStatus.choices, default=RiskMeasureStatus.OPEN,
        editable=False,
    )  # fmt: skip
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    result = models.TextField(_("result"), max_length=2000, blank=True, editable=False)
    capa = models.ForeignKey(
        "quality.CapaAction", verbose_name=_("CAPA action"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="risk_measures",
    )  # fmt: skip

    class Meta:
        verbose_name = _("risk measure")
        verbose_name_plural = _("risk measures")
        ordering = ["risk", "pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="risk_measure_due_idx")]

    def __str__(self):
        return f"{self.risk.number}: {self.description[:40]}"


class Review(models.Model):
    """A periodic review (Q9): were the measures done, did they work, and the
    reassessment it made."""

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        USER, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    was_due_on = models.DateField(_("was due on"), null=True, blank=True)
    measures_done = models.BooleanField(_("measures done"))
    effective = models.BooleanField(_("measures effective"))
    note = models.TextField(_("findings"), max_length=2000)
    assessment = models.OneToOneField(
        Assessment, verbose_name=_("reassessment"), on_delete=models.PROTECT, related_name="review"
    )
    next_review_on = models.DateField(_("next review"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")
        ordering = ["risk", "reviewed_on", "pk"]

    def __str__(self):
        return f"{self.risk.number} {self.reviewed_on}"


class Signal(models.Model):
    """A risk or reassessment the system proposes from its own data, with the
    evidence; accepted (a new risk or a reassessment of one) or dismissed with a
    reason. ``key`` names what it is about, so a scan proposes it once."""

    kind = models.CharField(_("signal"), max_length=12, choices=RiskSignalKind.choices)
    key = models.CharField(_("key"), max_length=120, unique=True)
    category = models.CharField(_("category"), max_length=12, choices=RiskCategory.choices)
    title = models.CharField(_("proposal"), max_length=200)
    evidence = models.JSONField(_("evidence"), default=dict)
    model = models.ForeignKey(
        "catalog.ProductModel", verbose_name=_("model / specification"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    detected_on = models.DateField(_("detected on"))
    status = models.CharField(
        _("status"), max_length=10, choices=RiskSignalStatus.choices, default=RiskSignalStatus.PROPOSED,
        editable=False,
    )  # fmt: skip
    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="signals", editable=False,
    )  # fmt: skip
    decided_by = models.ForeignKey(
        USER, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    reason = models.TextField(_("reason"), max_length=2000, blank=True, editable=False)

    class Meta:
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")
        ordering = ["-detected_on", "-pk"]
        indexes = [models.Index(fields=["status", "detected_on"], name="risk_signal_status_idx")]

    def __str__(self):
        return self.title
