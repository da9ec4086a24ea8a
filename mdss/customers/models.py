"""The customer database (客户信息数据库, S5), development plans (S6), activities and
quarterly return visits with their feedback (S7)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mdss.audit.querysets import RegulatedModel
from mdss.core.models import TimeStampedModel
from mdss.core.uploads import document_validator

from .choices import (
    ActivityKind,
    BudgetCycle,
    CampaignKind,
    CustomerGrade,
    CustomerKind,
    CustomerStatus,
    FeedbackCategory,
    FeedbackStatus,
    HospitalLevel,
    PurchasingRole,
    QualificationKind,
    SourceChannel,
    VisitMethod,
)
from .validators import validate_credit_code, validate_phone


class Customer(TimeStampedModel):
    """A hospital, clinic, dealer or public body that buys or may buy from us.

    ``status`` becomes existing with the first signed contract (contracts app, through
    ``services.customer_mark_existing``); ``grade`` is recomputed from purchases;
    ``next_visit_due`` is planned by the return-visit cadence of the policy.
    """

    name = models.CharField(_("name"), max_length=200)
    # The name without spaces, punctuation or width differences, for duplicate checks.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("type"), max_length=20, choices=CustomerKind.choices)
    hospital_level = models.CharField(
        _("hospital level"), max_length=1, choices=HospitalLevel.choices, blank=True
    )
    grade = models.CharField(
        _("grade"), max_length=1, choices=CustomerGrade.choices, default=CustomerGrade.C
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CustomerStatus.choices, default=CustomerStatus.POTENTIAL
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    # The province of ``region`` (itself if a province), so a province filter is one index.
    province = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    district = models.CharField(_("district / county"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning rep"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    team = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customers",
        editable=False,
    )
    source = models.CharField(
        _("source channel"), max_length=20, choices=SourceChannel.choices, blank=True
    )
    # Needs and preferences: structured tags plus free notes.
    departments = models.JSONField(_("departments of interest"), default=list, blank=True)
    device_interests = models.JSONField(_("device interests"), default=list, blank=True)
    budget_cycle = models.CharField(
        _("budget cycle"), max_length=10, choices=BudgetCycle.choices, blank=True
    )
    decision_makers = models.CharField(_("decision makers"), max_length=300, blank=True)
    needs_notes = models.TextField(_("needs and preferences"), blank=True)
    became_existing_on = models.DateField(
        _("customer since"), null=True, blank=True, editable=False
    )
    last_visit_on = models.DateField(_("last return visit"), null=True, blank=True, editable=False)
    next_visit_due = models.DateField(
        _("next return visit due"), null=True, blank=True, editable=False
    )
    grade_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        permissions = [
            ("import_customer", "Can import customers from Excel"),
            ("reassign_customer", "Can give a customer to another rep"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="customers_unique_credit_code",
            ),
            models.CheckConstraint(
                condition=Q(status="potential") | Q(became_existing_on__isnull=False),
                name="customers_existing_has_a_date",
            ),
        ]
        indexes = [
            # A rep's list: WHERE owner_id = ? ORDER BY name.
            models.Index(fields=["owner", "name"], name="customers_owner_name_idx"),
            # Visits due: WHERE owner_id = ? AND next_visit_due <= ? ORDER BY next_visit_due.
            models.Index(fields=["owner", "next_visit_due"], name="customers_owner_due_idx"),
            # Overdue in a province / city: WHERE province_id = ? AND next_visit_due < ?.
            models.Index(fields=["province", "next_visit_due"], name="customers_province_due_idx"),
            models.Index(fields=["region", "next_visit_due"], name="customers_region_due_idx"),
            # Management's list of a team: WHERE team_id = ? AND next_visit_due < ?.
            models.Index(fields=["team", "next_visit_due"], name="customers_team_due_idx"),
            # Everyone's visits due (management): WHERE status = 'existing' AND
            # next_visit_due <= ? ORDER BY next_visit_due, id; counted per owner from the
            # index alone on PostgreSQL.
            models.Index(
                fields=["status", "next_visit_due", "id"],
                include=["owner"],
                name="customers_due_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.pk])


class Contact(TimeStampedModel):
    """A person at a customer (personal information under PIPL: scoped, export logged)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    department = models.CharField(_("department"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, validators=[validate_phone])
    phone = models.CharField(
        _("office phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    purchasing_role = models.CharField(
        _("role in purchasing"), max_length=20, choices=PurchasingRole.choices, blank=True
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    is_active = models.BooleanField(_("still there"), default=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer", "-is_active", "name"]
        permissions = [("export_contact", "Can export customers' contact persons")]

    def __str__(self):
        return self.name


class Qualification(RegulatedModel, TimeStampedModel):
    """A customer's licence to use or trade medical devices; ``may_buy`` reads it.

    Voided, never deleted: a contract's gate decision must stay explainable.
    """

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=QualificationKind.choices)
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    # The device classes a dealer may trade ("II", "III"); empty for institutions.
    scope_classes = models.JSONField(_("business scope: classes"), default=list, blank=True)
    # Category codes (e.g. 6821, 07) of the business scope; empty means every category.
    scope_categories = models.JSONField(_("business scope: categories"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty for a filing without expiry.")
    )
    file = models.FileField(
        _("scan"),
        upload_to="customers/qualifications/%Y/",
        validators=[document_validator],
        blank=True,
    )
    warned_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("customer qualification")
        verbose_name_plural = _("customer qualifications")
        ordering = ["customer", "kind", "-valid_until"]
        indexes = [
            # The expiry sweep: WHERE voided_at IS NULL AND valid_until BETWEEN ? AND ?.
            models.Index(fields=["valid_until"], name="customers_qual_until_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class DevelopmentPlan(TimeStampedModel):
    """A customer development plan (客户开发计划, S6): whom to win, how, and how many."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="development_plans",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    target_kinds = models.JSONField(_("target customer types"), default=list, blank=True)
    target_grades = models.JSONField(_("target grades"), default=list, blank=True)
    target_regions = models.ManyToManyField(
        "accounts.Region", verbose_name=_("target regions"), blank=True, related_name="+"
    )
    positioning = models.TextField(_("market analysis and product positioning"), blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    target_new_customers = models.PositiveIntegerField(_("target: new customers"), default=0)
    target_contract_amount = models.DecimalField(
        _("target: contract amount (CNY)"), max_digits=14, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="customers_plan_period_order",
            ),
        ]

    def __str__(self):
        return self.name

    def target_kind_labels(self) -> list[str]:
        labels = dict(CustomerKind.choices)
        return [str(labels.get(k, k)) for k in self.target_kinds]

    def channel_labels(self) -> list[str]:
        labels = dict(SourceChannel.choices)
        return [str(labels.get(c, c)) for c in self.channels]


class Campaign(TimeStampedModel):
    """A trade show, academic meeting or promotion under a plan; leads are captured."""

    plan = models.ForeignKey(
        DevelopmentPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="campaigns"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost (CNY)"), max_digits=12, decimal_places=2, default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]

    def __str__(self):
        return self.name


class Lead(TimeStampedModel):
    """A contact captured at a campaign, linked to a customer once there is one."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="leads"
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    interest = models.CharField(_("interest"), max_length=300, blank=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at"]

    def __str__(self):
        return self.organisation


class Activity(TimeStampedModel):
    """A call, visit, meeting or trade-show contact with a customer."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,  # customers_act_cust_idx leads with it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    occurred_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    plan = models.ForeignKey(
        DevelopmentPlan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # Keys are reserved in blocks per process (core.prepared.reserve_key): within a
        # day the time of recording orders, not the key.
        ordering = ["-occurred_on", "-created_at", "-id"]
        # The customer page: WHERE customer_id = ? ORDER BY occurred_on DESC.
        indexes = [models.Index(fields=["customer", "-occurred_on"], name="customers_act_cust_idx")]

    def __str__(self):
        return self.subject


class ReturnVisit(RegulatedModel, TimeStampedModel):
    """A return visit (回访, S7): how the products are used, satisfaction, feedback."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=10, choices=VisitMethod.choices)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("spoke with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product_use = models.TextField(_("how the products are used"))
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    feedback = models.TextField(_("feedback"), blank=True)
    follow_up = models.TextField(_("follow-up actions"), blank=True)
    policy = models.ForeignKey(
        "calendars.PolicyVersion", on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="customers_visit_satisfaction_range",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-visited_on"], name="customers_visit_idx")]

    def __str__(self):
        return f"{self.customer} {self.visited_on}"


class Feedback(TimeStampedModel):
    """Feedback flagged for the sales strategy; open → acted on → closed with a decision."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="feedback"
    )
    visit = models.ForeignKey(
        ReturnVisit,
        verbose_name=_("return visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    category = models.CharField(_("about"), max_length=20, choices=FeedbackCategory.choices)
    text = models.TextField(_("feedback"))
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    action = models.TextField(_("action taken"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("customer feedback")
        verbose_name_plural = _("customer feedback")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(decision=""),
                name="customers_closed_feedback_has_decision",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="customers_fb_status_idx")]

    def __str__(self):
        return self.text[:60]


class PortalAccount(TimeStampedModel):
    """A login of the customer's own staff for the customer portal: the user (role
    "customer") sees and acts for this customer organisation only. Granted and
    withdrawn by the distributor, never deleted (who could see what stays known)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="portal_account",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="portal_accounts",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self):
        return f"{self.user} → {self.customer}"
