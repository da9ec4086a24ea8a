"""Complaints (A13–A15): the complaint as received through any channel, its
classification, the special team of a major complaint with its notes, tasks and
documents, the resolution and the complainant's feedback, the reportability
assessment with its hand-over to quality and the manufacturer's notification.

The policy's deadlines are SLA clocks (calendars): contact within 2 hours, a general
complaint answered within 24 hours, a major one's special team within 48 hours. The
complaint keeps a copy of its running deadline (``due_at``) so the queue sorts by it
on an index, without a join to the clock table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel
from mdss.core.uploads import document_validator

from .choices import (
    OPEN_STATUSES,
    Acceptance,
    Category,
    Channel,
    ComplaintStatus,
    Concerns,
    FeedbackChannel,
    HandoverStatus,
    NoticeMethod,
    Responsibility,
    Severity,
    Solution,
    TeamRole,
)

USER = settings.AUTH_USER_MODEL


def _user(verbose, related="+", **kwargs):
    return models.ForeignKey(
        USER,
        verbose_name=verbose,
        on_delete=models.PROTECT,
        related_name=related,
        null=True,
        blank=True,
        editable=False,
        **kwargs,
    )


class Complaint(TimeStampedModel):
    """One complaint (投诉, number TS-YYYY-NNNNNN), from receipt to closure. Never
    deleted; a closed complaint the complainant brings back is reopened, and its
    history stays in the audit trail."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    complainant_name = models.CharField(_("complainant"), max_length=100)
    complainant_org = models.CharField(_("organisation"), max_length=200, blank=True)
    complainant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    complainant_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    concerns = models.CharField(_("concerns"), max_length=10, choices=Concerns.choices)
    device = models.ForeignKey(
        "devices.InstalledDevice",
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    # The person whose conduct is complained about: never its investigator (A15).
    person = models.ForeignKey(
        USER,
        verbose_name=_("person complained about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
    )
    content = models.TextField(_("complaint"), max_length=4000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.NEW,
        editable=False,
    )
    handler = _user(_("handler"), related="complaints_handled")
    # The due time of the obligation now running (contact, answer, team, resolution).
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    # Classification.
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, blank=True, editable=False
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, blank=True, editable=False
    )
    criteria = models.JSONField(_("major criteria met"), default=list, blank=True, editable=False)
    classification_note = models.TextField(
        _("classification note"), max_length=2000, blank=True, editable=False
    )
    classified_by = _user(_("classified by"))
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True, editable=False)
    # First contact.
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True, editable=False)
    contact_note = models.TextField(_("contact note"), max_length=2000, blank=True, editable=False)
    # The special team of a major complaint.
    team_formed_at = models.DateTimeField(
        _("team formed at"), null=True, blank=True, editable=False
    )
    resolution_due = models.DateTimeField(
        _("resolution due"), null=True, blank=True, editable=False
    )
    # Investigation and resolution (A15).
    facts = models.TextField(_("facts found"), max_length=4000, blank=True, editable=False)
    root_cause = models.TextField(_("root cause"), max_length=2000, blank=True, editable=False)
    responsibility = models.CharField(
        _("responsibility"),
        max_length=20,
        choices=Responsibility.choices,
        blank=True,
        editable=False,
    )
    solution = models.CharField(
        _("solution"), max_length=20, choices=Solution.choices, blank=True, editable=False
    )
    solution_detail = models.TextField(
        _("solution offered"), max_length=4000, blank=True, editable=False
    )
    decision_basis = models.TextField(
        _("basis of the decision"), max_length=2000, blank=True, editable=False
    )
    resolved_by = _user(_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    # Feedback to the complainant and their satisfaction.
    feedback_channel = models.CharField(
        _("fed back by"),
        max_length=10,
        choices=FeedbackChannel.choices,
        blank=True,
        editable=False,
    )
    fed_back_at = models.DateTimeField(_("fed back at"), null=True, blank=True, editable=False)
    acceptance = models.CharField(
        _("complainant's answer"),
        max_length=10,
        choices=Acceptance.choices,
        blank=True,
        editable=False,
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), null=True, blank=True, editable=False
    )
    feedback_note = models.TextField(
        _("complainant's words"), max_length=2000, blank=True, editable=False
    )
    # Reportability (product complaints): could this be an adverse event?
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True, editable=False)
    assessed_by = _user(_("assessed by"))
    possible_adverse_event = models.BooleanField(
        _("could be an adverse event"), null=True, blank=True, editable=False
    )
    ae_death = models.BooleanField(_("death"), default=False, editable=False)
    ae_serious_injury = models.BooleanField(_("serious injury"), default=False, editable=False)
    ae_malfunction = models.BooleanField(
        _("malfunction that could cause death or serious injury"), default=False, editable=False
    )
    assessment_note = models.TextField(
        _("assessment note"), max_length=2000, blank=True, editable=False
    )
    # A hand-over to quality is open: the complaint may not close (kept in step by
    # services, so lists and buttons need no extra query).
    handover_open = models.BooleanField(_("with quality"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = _user(_("closed by"))
    signature = models.ForeignKey(
        "audit.ESignature",
        verbose_name=_("closing signature"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0, editable=False)
    created_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaints_satisfaction_1_5",
            ),
        ]
        indexes = [
            # The queue: open complaints by the deadline that runs now.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status__in=[str(s) for s in OPEN_STATUSES]),
                name="complaints_queue_idx",
            ),
            models.Index(fields=["status", "-id"], name="complaints_status_idx"),
            models.Index(fields=["customer", "-id"], name="complaints_customer_idx"),
            models.Index(fields=["device", "-id"], name="complaints_device_idx"),
            models.Index(fields=["handler", "due_at"], name="complaints_handler_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_major(self) -> bool:
        return self.severity == Severity.MAJOR

    @property
    def criteria_labels(self) -> list[str]:
        from .choices import MajorCriterion

        labels = dict(MajorCriterion.choices)
        return [str(labels.get(code, code)) for code in self.criteria]

    @property
    def reportable(self) -> bool:
        """The assessment found a possible adverse event: quality must take it over."""
        return bool(self.possible_adverse_event) and (
            self.ae_death or self.ae_serious_injury or self.ae_malfunction
        )


class OriginalMessage(models.Model):
    """The e-mail a complaint came from, kept whole as it arrived (A13)."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="original", editable=False
    )
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    sender = models.CharField(_("from"), max_length=320)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("message"), max_length=100_000, blank=True)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("original message")
        verbose_name_plural = _("original messages")

    def __str__(self):
        return f"{self.complaint} {self.subject}"


class TeamMember(TimeStampedModel):
    """A member of a major complaint's special team (专项处理小组) and their role."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="team", editable=False
    )
    user = models.ForeignKey(
        USER, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    added_by = _user(_("added by"))

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["complaint", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user"], name="complaints_member_once"),
        ]

    def __str__(self):
        return f"{self.complaint} {self.user} ({self.role})"


class Note(models.Model):
    """A note in the team's workspace (what was learnt, said, decided)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="notes", editable=False
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", editable=False)
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written at"), editable=False)

    class Meta:
        verbose_name = _("complaint note")
        verbose_name_plural = _("complaint notes")
        ordering = ["complaint", "created_at", "id"]

    def __str__(self):
        return f"{self.complaint} {self.text[:40]}"


class Task(TimeStampedModel):
    """A task of the investigation: who does what by when."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="tasks", editable=False
    )
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        USER, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_by = _user(_("done by"))
    result = models.TextField(_("result"), max_length=2000, blank=True, editable=False)
    created_by = _user(_("set by"))

    class Meta:
        verbose_name = _("complaint task")
        verbose_name_plural = _("complaint tasks")
        ordering = ["complaint", "due_on", "id"]


class Document(models.Model):
    """A document of the investigation (photos, test reports, letters): PDF or image,
    checked by content when uploaded, served as a download."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="documents", editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="complaints/%Y/", validators=[document_validator])
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), editable=False)

    class Meta:
        verbose_name = _("complaint document")
        verbose_name_plural = _("complaint documents")
        ordering = ["complaint", "uploaded_at", "id"]

    def __str__(self):
        return f"{self.complaint} {self.title}"


class Handover(TimeStampedModel):
    """A product complaint handed over to quality's adverse-event flow. The complaint
    cannot close while one is open; quality closes it with its report's reference."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="handovers", editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HandoverStatus.choices,
        default=HandoverStatus.OPEN,
        editable=False,
    )
    opened_by = _user(_("handed over by"))
    reference = models.CharField(_("adverse-event report"), max_length=60, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = _user(_("closed by"))

    class Meta:
        verbose_name = _("quality hand-over")
        verbose_name_plural = _("quality hand-overs")
        ordering = ["complaint", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(status="open"),
                name="complaints_one_open_handover",
            ),
        ]


class ManufacturerNotice(models.Model):
    """Who told the manufacturer about a reportable complaint, when and how."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="notices", editable=False
    )
    manufacturer = models.ForeignKey(
        "catalog.Manufacturer",
        verbose_name=_("manufacturer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notified_at = models.DateTimeField(_("notified at"))
    method = models.CharField(_("how"), max_length=10, choices=NoticeMethod.choices)
    contact = models.CharField(_("told to"), max_length=100)
    reference = models.CharField(_("their reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("manufacturer notification")
        verbose_name_plural = _("manufacturer notifications")
        ordering = ["complaint", "notified_at", "id"]

    def __str__(self):
        return f"{self.complaint} {self.manufacturer}"
