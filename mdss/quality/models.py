"""Quality: product feedback to manufacturers (Q3), incidents with their corrective
and preventive actions (Q6), suspected adverse events (the national reporting rules)
and recalls (X5). Every table is regulated (audit/regulated.py): never deleted,
changed only through services/.

Deadlines are SLA clocks (calendars): containment, each CAPA action, sending feedback
to the manufacturer and the statutory adverse-event report. A record keeps a copy of
its running deadline (``due_at``) so a list sorts by it on an index.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel

from .choices import (
    AeOutcome,
    AeStatus,
    AuditStatus,
    AuditStrata,
    CapaKind,
    FeedbackSource,
    FeedbackStatus,
    IncidentSource,
    IncidentStatus,
    NoticeChannel,
    RecallLevel,
    RecallStatus,
    SendMethod,
    Sex,
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


def _link(model, verbose, related):
    return models.ForeignKey(
        model,
        verbose_name=verbose,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related,
    )


class ProductFeedback(TimeStampedModel):
    """A product quality problem (质量反馈, number ZF-…) from a customer, an engineer's
    repair record or a complaint, sent to the manufacturer and followed until the
    manufacturer's answer and action are recorded."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=FeedbackSource.choices)
    received_on = models.DateField(_("received on"))
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="quality_feedback",
    )
    di = models.CharField(_("UDI-DI"), max_length=50, blank=True)
    lot = models.CharField(_("lot"), max_length=100, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    device = _link("devices.InstalledDevice", _("device"), "quality_feedback")
    customer = _link("customers.Customer", _("customer"), "quality_feedback")
    service_request = _link("service.ServiceRequest", _("service request"), "quality_feedback")
    # The repair record that flagged it (one feedback per flagged visit).
    visit = models.OneToOneField(
        "service.Visit",
        verbose_name=_("repair record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quality_feedback",
    )
    complaint = _link("complaints.Complaint", _("complaint"), "quality_feedback")
    description = models.TextField(_("problem"), max_length=4000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.OPEN,
        editable=False,
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    sent_method = models.CharField(
        _("sent by"), max_length=10, choices=SendMethod.choices, blank=True, editable=False
    )
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True, editable=False)
    manufacturer_reference = models.CharField(
        _("manufacturer's reference"), max_length=100, blank=True, editable=False
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    manufacturer_answer = models.TextField(
        _("manufacturer's answer"), max_length=4000, blank=True, editable=False
    )
    manufacturer_action = models.TextField(
        _("manufacturer's action"), max_length=4000, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    close_note = models.TextField(_("closing note"), max_length=2000, blank=True, editable=False)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("product quality feedback")
        verbose_name_plural = _("product quality feedback")
        ordering = ["-received_on", "-pk"]
        indexes = [
            # The trend and the alert: WHERE model_id = ? [AND lot = ?] AND received_on >= ?
            models.Index(fields=["model", "lot", "received_on"], name="quality_fb_trend_idx"),
            models.Index(fields=["di", "received_on"], name="quality_fb_di_idx"),
            # The open list, by deadline.
            models.Index(fields=["status", "due_at"], name="quality_fb_status_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != FeedbackStatus.CLOSED


class Incident(TimeStampedModel):
    """A quality incident in service (质量事故, number ZS-…): what happened and its
    impact, the immediate containment, the root cause (five whys and the fishbone
    categories), the corrective and preventive actions, and the effectiveness check
    that must pass, after the policy's waiting period, before quality closes it with an
    e-signature. The lessons learnt are searched for similar cases."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=IncidentSource.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"), max_length=4000)
    impact = models.TextField(_("impact"), max_length=2000, blank=True)
    occurred_on = models.DateField(_("occurred on"))
    model = _link("catalog.ProductModel", _("model"), "quality_incidents")
    lot = models.CharField(_("lot"), max_length=100, blank=True)
    feedback = _link(ProductFeedback, _("product feedback"), "incidents")
    complaint = _link("complaints.Complaint", _("complaint"), "quality_incidents")
    service_request = _link("service.ServiceRequest", _("service request"), "quality_incidents")
    owner = _user(_("owner"), related="quality_incidents_owned")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
        editable=False,
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    containment = models.TextField(
        _("immediate containment"), max_length=2000, blank=True, editable=False
    )
    contained_at = models.DateTimeField(_("contained at"), null=True, blank=True, editable=False)
    whys = models.JSONField(_("five whys"), default=list, blank=True, editable=False)
    fishbone = models.JSONField(_("cause categories"), default=dict, blank=True, editable=False)
    root_cause = models.TextField(_("root cause"), max_length=2000, blank=True, editable=False)
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True, editable=False)
    verify_after = models.DateField(
        _("effectiveness checked from"), null=True, blank=True, editable=False
    )
    # Actions found not effective start a new round of actions.
    verification_round = models.PositiveSmallIntegerField(_("round"), default=1, editable=False)
    verification = models.TextField(
        _("effectiveness evidence"), max_length=2000, blank=True, editable=False
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = _user(_("verified by"))
    lessons = models.TextField(_("lessons learnt"), max_length=4000, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = _user(_("closed by"))
    signature = models.ForeignKey(
        "audit.ESignature",
        verbose_name=_("closing signature"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    opened_by = _user(_("opened by"))

    class Meta:
        verbose_name = _("quality incident")
        verbose_name_plural = _("quality incidents")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="quality_inc_status_idx")]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != IncidentStatus.CLOSED


class CapaAction(TimeStampedModel):
    """One corrective or preventive action of an incident, with its owner and its
    deadline (the clock ``quality.capa``)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CapaKind.choices)
    description = models.TextField(_("action"), max_length=2000)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="capa_actions"
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    result = models.TextField(_("result"), max_length=2000, blank=True, editable=False)
    # Actions of a round found not effective stay on record; new ones follow.
    round = models.PositiveSmallIntegerField(_("round"), default=1, editable=False)
    created_by = _user(_("added by"))

    class Meta:
        verbose_name = _("corrective or preventive action")
        verbose_name_plural = _("corrective and preventive actions")
        ordering = ["incident", "pk"]
        indexes = [
            # An owner's open actions by deadline.
            models.Index(fields=["owner", "due_at"], name="quality_capa_owner_idx"),
        ]

    def __str__(self):
        return f"{self.incident} · {self.get_kind_display()}"


class AdverseEvent(TimeStampedModel):
    """A suspected adverse event (可疑医疗器械不良事件, number AE-…) with the fields of
    the national report form. The patient is kept to what the form needs (no name or
    ID number). The national system is outside MDSS: its submission date and receipt
    number are recorded here. The statutory clock (death 7 days, serious injury 20
    days, a cluster 12 hours; policy-editable) runs from ``aware_at``."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=AeStatus.choices, default=AeStatus.DRAFT, editable=False
    )
    complaint = _link("complaints.Complaint", _("complaint"), "adverse_events")
    service_request = _link("service.ServiceRequest", _("service request"), "adverse_events")
    handover = models.OneToOneField(
        "complaints.Handover",
        verbose_name=_("complaint hand-over"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="adverse_event",
    )
    reporter_name = models.CharField(_("reporter"), max_length=100)
    reporter_org = models.CharField(_("reporter's organisation"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    patient_age = models.PositiveSmallIntegerField(_("patient's age"), null=True, blank=True)
    patient_sex = models.CharField(
        _("patient's sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN
    )
    event_on = models.DateField(_("event date"))
    aware_at = models.DateTimeField(_("we learnt of it at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=AeOutcome.choices)
    cluster = models.BooleanField(_("cluster event"), default=False)
    # Known later for a complaint that named no unit; required at the submission.
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
    )
    device = _link("devices.InstalledDevice", _("device"), "adverse_events")
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    udi = models.CharField(_("UDI"), max_length=200, blank=True)
    lot = models.CharField(_("lot"), max_length=100, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    narrative = models.TextField(_("what happened"), max_length=4000)
    preliminary_cause = models.TextField(_("preliminary cause"), max_length=2000, blank=True)
    due_at = models.DateTimeField(_("report due"), null=True, blank=True, editable=False)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    receipt_number = models.CharField(
        _("receipt number"), max_length=100, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    close_note = models.TextField(_("closing note"), max_length=2000, blank=True, editable=False)
    created_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("suspected adverse event")
        verbose_name_plural = _("suspected adverse events")
        ordering = ["-aware_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="quality_ae_status_idx")]

    def __str__(self):
        return self.number


class AeManufacturerNotice(models.Model):
    """When and how the manufacturer was told of an adverse event (a log)."""

    event = models.ForeignKey(
        AdverseEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="notices"
    )
    notified_at = models.DateTimeField(_("notified at"))
    method = models.CharField(_("method"), max_length=10, choices=SendMethod.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("manufacturer notification")
        verbose_name_plural = _("manufacturer notifications")
        ordering = ["event", "notified_at"]

    def __str__(self):
        return f"{self.event} · {self.notified_at:%Y-%m-%d}"


class Recall(TimeStampedModel):
    """A recall (召回, number ZH-…) of a model, of some of its lots or serials, or of
    all of it (no lot and no serial named). While it is in progress, the affected
    stock is quarantined and held, contracts refuse a model recalled whole, and a
    delivery refuses an affected unit."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    level = models.CharField(_("level"), max_length=1, choices=RecallLevel.choices)
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="recalls",
    )
    lots = models.JSONField(_("lots"), default=list, blank=True)
    serials = models.JSONField(_("serial numbers"), default=list, blank=True)
    manufacturer_notice = models.CharField(_("manufacturer's notice number"), max_length=100)
    notice_on = models.DateField(_("notice dated"))
    reason = models.TextField(_("reason"), max_length=4000)
    action = models.TextField(_("corrective action"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RecallStatus.choices,
        default=RecallStatus.DRAFT,
        editable=False,
    )
    activated_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    close_note = models.TextField(_("closing note"), max_length=2000, blank=True, editable=False)
    created_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")
        ordering = ["-notice_on", "-pk"]
        indexes = [
            # The gates: active recalls of these models.
            models.Index(fields=["model", "status"], name="quality_recall_model_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def whole_model(self) -> bool:
        return not self.lots and not self.serials

    def covers(self, lot: str = "", serial: str = "") -> bool:
        """Does this recall take in a unit or stock of ``lot`` / ``serial``?"""
        if self.whole_model:
            return True
        return bool(lot and lot in self.lots) or bool(serial and serial in self.serials)


class RecallNotice(models.Model):
    """A customer told of a recall: the channel, when, and the acknowledgement."""

    recall = models.ForeignKey(
        Recall, verbose_name=_("recall"), on_delete=models.PROTECT, related_name="notices"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="recall_notices",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=NoticeChannel.choices)
    sent_at = models.DateTimeField(_("sent at"))
    acknowledged_at = models.DateTimeField(
        _("acknowledged at"), null=True, blank=True, editable=False
    )
    acknowledged_by = models.CharField(
        _("acknowledged by"), max_length=100, blank=True, editable=False
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("recall notice")
        verbose_name_plural = _("recall notices")
        ordering = ["recall", "customer"]
        constraints = [
            models.UniqueConstraint(fields=["recall", "customer"], name="quality_notice_once")
        ]

    def __str__(self):
        return f"{self.recall} · {self.customer_id}"


class RecallDevice(models.Model):
    """An affected installed unit and its corrective action (a service request of kind
    recall); done when that request is completed."""

    recall = models.ForeignKey(
        Recall, verbose_name=_("recall"), on_delete=models.PROTECT, related_name="devices"
    )
    device = models.ForeignKey(
        "devices.InstalledDevice",
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="recalls",
    )
    service_request = models.OneToOneField(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="recall_device",
    )

    class Meta:
        verbose_name = _("recalled device")
        verbose_name_plural = _("recalled devices")
        ordering = ["recall", "device"]
        constraints = [
            models.UniqueConstraint(fields=["recall", "device"], name="quality_recall_device_once")
        ]

    def __str__(self):
        return f"{self.recall} · {self.device_id}"


class Evaluation(TimeStampedModel):
    """An engineer's service-quality evaluation for a period (Q4): the figures drawn
    from the records (follow-up ratings, deadlines met, first-time fixes, repeat
    repairs within 30 days), the three scores and the overall one with the policy's
    weights, and the manager's review. A reviewed evaluation is frozen: it fed an
    appraisal."""

    engineer = models.ForeignKey(
        USER, verbose_name=_("engineer"), on_delete=models.PROTECT, related_name="evaluations"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    figures = models.JSONField(_("figures"), default=dict, editable=False)
    attitude = models.DecimalField(_("attitude"), max_digits=5, decimal_places=1, null=True)
    quality = models.DecimalField(_("quality"), max_digits=5, decimal_places=1, null=True)
    efficiency = models.DecimalField(_("efficiency"), max_digits=5, decimal_places=1, null=True)
    overall = models.DecimalField(_("overall"), max_digits=5, decimal_places=1, null=True)
    computed_at = models.DateTimeField(_("computed at"), editable=False)
    reviewed_by = _user(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    review = models.TextField(_("manager's comment"), max_length=2000, blank=True, editable=False)

    class Meta:
        verbose_name = _("service-quality evaluation")
        verbose_name_plural = _("service-quality evaluations")
        ordering = ["-period_start", "engineer"]
        constraints = [
            models.UniqueConstraint(
                fields=["engineer", "period_start", "period_end"], name="quality_evaluation_once"
            )
        ]

    def __str__(self):
        return f"{self.engineer} {self.period_start}–{self.period_end}"


class RecordAudit(TimeStampedModel):
    """A periodic audit of service records (服务记录审核, number JH-…, Q5): a random
    sample of the requests completed in a period, stratified by engineer or
    province, drawn with a stored seed (the same seed and records give the same
    sample), each item checked against the checklist; findings become rectification
    actions with owners and due dates."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    percent = models.PositiveSmallIntegerField(_("sample (%)"))
    strata = models.CharField(_("strata"), max_length=10, choices=AuditStrata.choices)
    seed = models.BigIntegerField(_("seed"), editable=False)
    population = models.PositiveIntegerField(_("records in the period"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AuditStatus.choices,
        default=AuditStatus.OPEN,
        editable=False,
    )
    auditor = _user(_("auditor"), related="record_audits")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    summary = models.TextField(_("summary"), max_length=4000, blank=True, editable=False)

    class Meta:
        verbose_name = _("service-record audit")
        verbose_name_plural = _("service-record audits")
        ordering = ["-period_start", "-pk"]

    def __str__(self):
        return self.number


class AuditItem(models.Model):
    """One sampled request and its checklist (``checks``: {check: true/false})."""

    audit = models.ForeignKey(
        RecordAudit, verbose_name=_("audit"), on_delete=models.PROTECT, related_name="items"
    )
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="audit_items",
    )
    stratum = models.CharField(_("stratum"), max_length=100)
    checks = models.JSONField(_("checklist"), default=dict, blank=True, editable=False)
    note = models.TextField(_("note"), max_length=2000, blank=True, editable=False)
    checked_by = _user(_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("audited record")
        verbose_name_plural = _("audited records")
        ordering = ["audit", "stratum", "service_request"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "service_request"], name="quality_audit_item_once"
            )
        ]

    def __str__(self):
        return f"{self.audit} · {self.service_request_id}"

    @property
    def passed(self) -> bool | None:
        return None if self.checked_at is None else all(self.checks.values())


class Finding(TimeStampedModel):
    """What an audit found wrong in a record, and its rectification: owner, due date,
    result."""

    item = models.ForeignKey(
        AuditItem,
        verbose_name=_("audited record"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    description = models.TextField(_("finding"), max_length=2000)
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="audit_findings"
    )
    due_on = models.DateField(_("rectify by"))
    done_at = models.DateTimeField(_("rectified at"), null=True, blank=True, editable=False)
    result = models.TextField(_("rectification"), max_length=2000, blank=True, editable=False)
    created_by = _user(_("found by"))

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.item} · {self.description[:30]}"
