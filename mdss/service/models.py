"""After-sales service (A4–A9): the request a hotline call, the portal, an e-mail or
the API opens; the engineer's visits with their repair records and parts; the
customer's confirmation; the follow-up visit and the improvement actions it opens.

The policy's deadlines are SLA clocks (calendars), one per obligation. The request
carries a copy of its current obligation's due time (``due_at``) so that an
engineer's jobs and the dispatch board sort by it with an index, without a join to
the clock table; ``services`` keeps the copy in step whenever a clock starts or
stops.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel

from .choices import (
    OPEN_STATUSES,
    Channel,
    ConfirmationMethod,
    ImprovementStatus,
    RequestKind,
    RequestStatus,
    Resolution,
    Triage,
    Urgency,
)

USER = settings.AUTH_USER_MODEL


class ServiceRequest(TimeStampedModel):
    """One case (服务请求, number FW-YYYY-NNNNNN): a reported fault of a customer's
    device, from the call to the follow-up. Never deleted: withdrawn ones are
    cancelled with a reason; a closed case that comes back is reopened as a new,
    linked request, so the closed record stays as it was."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(
        _("kind"), max_length=10, choices=RequestKind.choices, default=RequestKind.REPAIR,
        editable=False,
    )  # fmt: skip
    # The customer's and the unit's requests are found through service_customer_idx
    # and service_device_idx, which lead with them: no index of their own (each
    # index is one more write for every call logged).
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="service_requests",
        db_index=False,
    )
    # The customer's province when the call came in: the dispatch board of a region
    # reads its waiting requests from one index, without joining the customers.
    province = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    device = models.ForeignKey(
        "devices.InstalledDevice",
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        db_index=False,
    )
    reporter_name = models.CharField(_("reported by"), max_length=100)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    symptom = models.TextField(_("symptom"), max_length=2000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # 0 critical … 3 low: the job list's first sort key, in the index.
    urgency_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    reported_at = models.DateTimeField(_("reported at"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.NEW,
        editable=False,
    )
    engineer = models.ForeignKey(
        USER,
        verbose_name=_("engineer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_jobs",
        editable=False,
    )
    # The due time of the obligation now running (contact, on site or follow-up).
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    triage = models.CharField(
        _("triage"), max_length=10, choices=Triage.choices, blank=True, editable=False
    )
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True, editable=False)
    contact_note = models.TextField(_("contact note"), max_length=2000, blank=True, editable=False)
    guidance = models.TextField(_("guidance given"), max_length=4000, blank=True, editable=False)
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, blank=True, editable=False
    )
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True, editable=False)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, editable=False)
    dispatch_override = models.TextField(
        _("dispatched without the competence because"), max_length=2000, blank=True, editable=False
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    followed_up_at = models.DateTimeField(
        _("followed up at"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(
        _("cancellation reason"), max_length=2000, blank=True, editable=False
    )
    # Warranty as of the report (from the device): shown, and out-of-warranty work
    # may carry a quote.
    under_warranty = models.BooleanField(_("under warranty"), default=False, editable=False)
    quote_amount = models.DecimalField(
        _("quoted amount (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True,
        editable=False,
    )  # fmt: skip
    quote_note = models.TextField(_("quote"), max_length=2000, blank=True, editable=False)
    reopens = models.ForeignKey(
        "self",
        verbose_name=_("reopens"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reopenings",
        editable=False,
    )
    created_by = models.ForeignKey(
        USER,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-id"]
        indexes = [
            # An engineer's open jobs by urgency, then deadline:
            # WHERE engineer_id = ? AND status IN (…) ORDER BY urgency_rank, due_at.
            models.Index(
                fields=["engineer", "urgency_rank", "due_at"],
                condition=Q(status__in=[str(s) for s in OPEN_STATUSES] + ["completed"]),
                name="service_jobs_idx",
            ),
            # The dispatch board: requests waiting for an engineer, by deadline, in
            # a dispatcher's provinces (or all).
            models.Index(
                fields=["urgency_rank", "due_at"],
                condition=Q(status__in=["new", "contacted", "to_dispatch"]),
                name="service_board_idx",
            ),
            models.Index(
                fields=["province", "urgency_rank", "due_at"],
                condition=Q(status__in=["new", "contacted", "to_dispatch"]),
                name="service_board_region_idx",
            ),
            # Lists by state (the service manager's dashboard counts).
            models.Index(fields=["status", "-id"], name="service_status_idx"),
            models.Index(fields=["customer", "-id"], name="service_customer_idx"),
            models.Index(fields=["device", "-id"], name="service_device_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Visit(TimeStampedModel):
    """One visit on site: arrival, what the engineer found and did (the repair
    record, A7), departure. A request may need several (waiting for parts)."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    engineer = models.ForeignKey(
        USER, verbose_name=_("engineer"), on_delete=models.PROTECT, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("arrived at"))
    checked_out_at = models.DateTimeField(_("left at"), null=True, blank=True)
    inspection = models.TextField(_("inspection"), max_length=4000, blank=True)
    fault_symptom = models.TextField(_("fault symptom"), max_length=2000, blank=True)
    fault_cause = models.TextField(_("fault cause"), max_length=2000, blank=True)
    fault_code = models.CharField(_("fault code"), max_length=30, blank=True)
    repair_method = models.TextField(_("repair method"), max_length=4000, blank=True)
    labour_minutes = models.PositiveIntegerField(_("labour (minutes)"), null=True, blank=True)
    test_result = models.TextField(_("test results after repair"), max_length=2000, blank=True)
    recorded_at = models.DateTimeField(_("repair recorded at"), null=True, blank=True)
    # The engineer suspects a product defect: quality gets a product feedback (Q3).
    suspected_defect = models.BooleanField(_("suspected product defect"), default=False)

    class Meta:
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")
        ordering = ["request", "checked_in_at", "id"]
        constraints = [
            # One visit open at a time per request.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(checked_out_at__isnull=True),
                name="service_one_open_visit",
            )
        ]

    def __str__(self):
        return f"{self.request} · {self.checked_in_at:%Y-%m-%d %H:%M}"


class ReplacedPart(models.Model):
    """A part fitted on a visit (A7, X5): which part, the lot or serial of the new
    one and of the one taken out, and the requisition it came from."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="parts"
    )
    part = models.ForeignKey(
        "inventory.Part", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    new_lot_serial = models.CharField(_("lot/serial fitted"), max_length=100, blank=True)
    removed_lot_serial = models.CharField(_("lot/serial removed"), max_length=100, blank=True)
    requisition = models.ForeignKey(
        "inventory.Requisition",
        verbose_name=_("requisition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("replaced part")
        verbose_name_plural = _("replaced parts")
        ordering = ["visit", "id"]

    def __str__(self):
        return f"{self.part} × {self.quantity}"


class Confirmation(models.Model):
    """The customer's answer to the completed work (确认, A7): accepted or refused
    (with the reason), by whom, when, how. A drawn signature is kept as the PNG the
    phone sent; ``content_hash`` covers what was confirmed (the repair records), so
    a later change is detected. In the portal the customer signs with their
    password (``signature`` links the e-signature)."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="confirmations",
    )
    accepted = models.BooleanField(_("accepted"))
    method = models.CharField(_("method"), max_length=10, choices=ConfirmationMethod.choices)
    signer_name = models.CharField(_("customer's name"), max_length=100)
    signature_png = models.BinaryField(_("drawn signature"), null=True, blank=True)
    reason = models.TextField(_("reason for refusal"), max_length=2000, blank=True)
    confirmed_at = models.DateTimeField(_("at"))
    content_hash = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    signature = models.ForeignKey(
        "audit.ESignature", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("customer confirmation")
        verbose_name_plural = _("customer confirmations")
        ordering = ["request", "confirmed_at", "id"]

    def __str__(self):
        return f"{self.request} · {self.signer_name}"


class FollowUp(models.Model):
    """The follow-up visit (回访, A9): satisfaction 1–5 on attitude, quality and
    timeliness, whether the customer is satisfied, and what they said."""

    request = models.OneToOneField(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="follow_up",
    )
    attitude = models.PositiveSmallIntegerField(_("attitude (1–5)"))
    quality = models.PositiveSmallIntegerField(_("quality (1–5)"))
    timeliness = models.PositiveSmallIntegerField(_("timeliness (1–5)"))
    satisfied = models.BooleanField(_("satisfied"))
    comments = models.TextField(_("comments"), max_length=2000, blank=True)
    contacted_person = models.CharField(_("spoke to"), max_length=100)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(attitude__gte=1, attitude__lte=5)
                & Q(quality__gte=1, quality__lte=5)
                & Q(timeliness__gte=1, timeliness__lte=5),
                name="service_scores_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.request} · {self.attitude}/{self.quality}/{self.timeliness}"


class ImprovementAction(TimeStampedModel):
    """What the service department does about a dissatisfied customer (整改, A9):
    who, by when, and the result."""

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    description = models.TextField(_("what to improve"), max_length=2000)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ImprovementStatus.choices,
        default=ImprovementStatus.OPEN,
        editable=False,
    )
    result = models.TextField(_("result"), max_length=2000, blank=True, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="service_improve_open_idx")]

    def __str__(self):
        return f"{self.request} · {self.description[:40]}"
