"""Training and qualification of the sales and service teams (S1–S4, A1–A3), and the
competence that work checks: certificates and manufacturer training for engineers
(``is_qualified``), written authorisations for reps (``is_authorised``)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.audit.querysets import RegulatedModel
from mdss.core.models import TimeStampedModel
from mdss.core.uploads import document_validator

from .choices import (
    AssessmentKind,
    AssessmentStatus,
    Background,
    CertificateKind,
    ExternalStatus,
    RetrainingStatus,
    SessionKind,
    SessionStatus,
    SkillKind,
    Team,
)
from .validators import validate_id_number

USER = settings.AUTH_USER_MODEL


class StaffProfile(TimeStampedModel):
    """A salesperson's or engineer's professional background (S1, A1)."""

    user = models.OneToOneField(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="training_profile"
    )
    team = models.CharField(_("team"), max_length=10, choices=Team.choices)
    background = models.CharField(
        _("professional background"), max_length=20, choices=Background.choices
    )
    education = models.CharField(_("education"), max_length=200, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    product_areas = models.JSONField(_("product areas"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["team", "user__full_name"]

    def __str__(self):
        return str(self.user)


class Skill(TimeStampedModel):
    """A service skill for a model, or for a whole category of products."""

    user = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="skills"
    )
    kind = models.CharField(_("skill"), max_length=20, choices=SkillKind.choices)
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category_code = models.CharField(_("category code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.CheckConstraint(
                condition=Q(model__isnull=False) | ~Q(category_code=""),
                name="training_skill_model_or_category",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.model or self.category_code}"


class Certificate(RegulatedModel, TimeStampedModel):
    """A professional qualification certificate or a manufacturer's certification."""

    user = models.ForeignKey(
        USER,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="training_certificates",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200)
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category_code = models.CharField(
        _("category code"),
        max_length=20,
        blank=True,
        help_text=_("Covers every model of this category."),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(
        _("scan"),
        upload_to="training/certificates/%Y/",
        validators=[document_validator],
        blank=True,
    )
    warned_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("staff certificate")
        verbose_name_plural = _("staff certificates")
        ordering = ["user", "-valid_until"]
        indexes = [models.Index(fields=["valid_until"], name="training_cert_until_idx")]

    def __str__(self):
        return f"{self.name} {self.number}"


class TrainingSession(TimeStampedModel):
    """A training session: planned, then held with its attendance, or cancelled."""

    kind = models.CharField(_("type"), max_length=20, choices=SessionKind.choices)
    team = models.CharField(_("team"), max_length=10, choices=Team.choices)
    title = models.CharField(_("title"), max_length=200)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    held_on = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=100)
    materials = models.FileField(
        _("materials"),
        upload_to="training/materials/%Y/",
        validators=[document_validator],
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    # Manufacturer training qualifies the attendees for these models / categories.
    models_covered = models.ManyToManyField(
        "catalog.ProductModel", verbose_name=_("models covered"), blank=True, related_name="+"
    )
    categories_covered = models.JSONField(_("categories covered"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]
        # The compliance grid: WHERE team = ? AND status = 'held' AND held_on BETWEEN ? AND ?.
        indexes = [models.Index(fields=["team", "status", "held_on"], name="training_session_idx")]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    user = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="training_one_attendance")
        ]

    def __str__(self):
        return f"{self.user} @ {self.session}"


class Assessment(TimeStampedModel):
    """An assessment of one person for one period; a failure starts a chain
    (make-up exam → retraining → reassessment …) that ends when one is passed."""

    user = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assessments"
    )
    team = models.CharField(_("team"), max_length=10, choices=Team.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    due_on = models.DateField(_("to be held by"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=1, default=60)
    status = models.CharField(
        _("result"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.SCHEDULED,
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_steps",
    )
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-period_start", "user", "id"]
        indexes = [
            # The compliance grid: WHERE team = ? AND kind = 'regular' AND period_start = ?.
            models.Index(fields=["team", "kind", "period_start"], name="training_assess_idx"),
            models.Index(fields=["user", "status"], name="training_assess_user_idx"),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.period_start}"


class Retraining(TimeStampedModel):
    """再培训 after a failed make-up exam; a reassessment follows its completion."""

    user = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    failed = models.OneToOneField(
        Assessment,
        verbose_name=_("failed assessment"),
        on_delete=models.PROTECT,
        related_name="retraining",
    )
    due_on = models.DateField(_("to be completed by"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RetrainingStatus.choices,
        default=RetrainingStatus.ASSIGNED,
    )
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training attended"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.CharField(_("what was trained"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("retraining")
        verbose_name_plural = _("retraining")
        ordering = ["-due_on"]

    def __str__(self):
        return f"{self.user} {self.due_on}"


class ExternalTraining(TimeStampedModel):
    """An external seminar or course with the company's cost support (S4)."""

    requester = models.ForeignKey(
        USER,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="external_trainings",
    )
    course = models.CharField(_("course"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    cost = models.DecimalField(_("expected cost (CNY)"), max_digits=10, decimal_places=2)
    reason = models.TextField(_("why it helps the work"))
    status = models.CharField(
        _("status"), max_length=12, choices=ExternalStatus.choices, default=ExternalStatus.SUBMITTED
    )
    approver = models.ForeignKey(
        USER,
        verbose_name=_("approver"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_comment = models.CharField(_("comment"), max_length=300, blank=True)
    proof = models.FileField(
        _("attendance proof"),
        upload_to="training/external/%Y/",
        validators=[document_validator],
        blank=True,
    )
    reimbursed_amount = models.DecimalField(
        _("reimbursed (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reimbursed_on = models.DateField(_("reimbursed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("external training")
        verbose_name_plural = _("external training")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_external_dates"
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="training_external_cost"),
        ]

    def __str__(self):
        return self.course


class Authorisation(RegulatedModel, TimeStampedModel):
    """A rep's written authorisation (授权书): which products, where, until when."""

    rep = models.ForeignKey(
        USER, verbose_name=_("rep"), on_delete=models.PROTECT, related_name="authorisations"
    )
    number = models.CharField(_("number"), max_length=100)
    id_number = models.CharField(
        _("identity card number"), max_length=18, validators=[validate_id_number]
    )
    models_covered = models.ManyToManyField(
        "catalog.ProductModel", verbose_name=_("models"), blank=True, related_name="+"
    )
    categories_covered = models.JSONField(_("categories"), default=list, blank=True)
    regions = models.ManyToManyField("accounts.Region", verbose_name=_("regions"), related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    file = models.FileField(
        _("scan"),
        upload_to="training/authorisations/%Y/",
        validators=[document_validator],
        blank=True,
    )
    warned_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("sales authorisation")
        verbose_name_plural = _("sales authorisations")
        ordering = ["rep", "-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="training_auth_dates"
            )
        ]

    def __str__(self):
        return f"授权书 {self.number}"


class CompetenceOverride(TimeStampedModel):
    """The service manager lets an engineer who is not qualified work on a model,
    with a reason (used by dispatch in the service app); audited."""

    engineer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    model = models.ForeignKey("catalog.ProductModel", on_delete=models.PROTECT, related_name="+")
    valid_on = models.DateField(_("for the day"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("competence override")
        verbose_name_plural = _("competence overrides")

    def __str__(self):
        return f"{self.engineer} {self.model} {self.valid_on}"
