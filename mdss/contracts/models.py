"""Sales contracts (S8–S11, S13): the contract and its lines, from draft through legal
review and signing to performance; every change of state is a service in
services/ and an audit event."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.catalog.validators import warranty_months_validator
from mdss.core.models import TimeStampedModel
from mdss.core.uploads import document_validator

from .choices import (
    DEFAULT_TAX_RATE,
    OPEN_AMENDMENT,
    AmendmentStatus,
    ContractKind,
    ContractStatus,
    ProblemDecision,
    ProblemKind,
    ProblemStatus,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class LegalReview(models.Model):
    """Legal's review of terms (S9): who, the e-signature over them, the comments."""

    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    legal_signature = models.ForeignKey(
        "audit.ESignature",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    legal_comment = models.TextField(_("legal comments"), blank=True, editable=False)

    class Meta:
        abstract = True


class Contract(LegalReview, TimeStampedModel):
    """A sales contract with one customer. The terms are editable only as a draft; a
    signed contract changes only through an amendment (a later issue's pages)."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    # The customer's province when the contract was drafted: the sales territory of
    # the deal, which the ledger filters by (an index with the signing date).
    province = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    kind = models.CharField(
        _("contract type"),
        max_length=20,
        choices=ContractKind.choices,
        default=ContractKind.PURCHASE,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ContractStatus.choices,
        default=ContractStatus.DRAFT,
        editable=False,
    )
    delivery_place = models.CharField(_("delivery place"), max_length=300, blank=True)
    delivery_deadline = models.DateField(_("delivery time"), null=True, blank=True)
    payment_terms = models.TextField(_("payment terms"), blank=True)
    quality_standard = models.TextField(_("quality standard"), blank=True)
    after_sales_terms = models.TextField(_("after-sales service terms"), blank=True)
    warranty_months = models.PositiveSmallIntegerField(
        _("warranty (months)"), default=12, validators=[warranty_months_validator]
    )
    other_clauses = models.TextField(_("other clauses"), blank=True)
    tax_rate = models.DecimalField(
        _("tax rate (percent)"), max_digits=5, decimal_places=2, default=Decimal(DEFAULT_TAX_RATE)
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
    customer_signed_on = models.DateField(
        _("signed by the customer on"), null=True, blank=True, editable=False
    )
    signed_scan = models.FileField(
        _("signed contract (scan)"),
        upload_to="contracts/signed/%Y/",
        validators=[document_validator],
        blank=True,
        editable=False,
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True, editable=False)
    termination_reason = models.TextField(_("termination reason"), blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(_("cancellation reason"), blank=True, editable=False)
    # Derived figures kept by services.totals (see there why they are stored).
    amount = models.DecimalField(
        _("contract amount (CNY)"), **MONEY, default=Decimal("0.00"), editable=False
    )
    paid = models.DecimalField(_("paid (CNY)"), **MONEY, default=Decimal("0.00"), editable=False)
    first_unpaid = models.DateField(
        _("first unpaid instalment due"), null=True, blank=True, editable=False
    )
    # What the plan asks up to and including the first unpaid instalment's day, and
    # when the next instalment after it falls due: a contract owing with no later
    # instalment before today owes ``due_to_first_unpaid - paid``, with no instalment
    # read (the receivables' total at national scale).
    due_to_first_unpaid = models.DecimalField(
        _("due up to the first unpaid instalment (CNY)"),
        **MONEY,
        default=Decimal("0.00"),
        editable=False,
    )
    next_unpaid = models.DateField(
        _("next instalment due after it"), null=True, blank=True, editable=False
    )

    STORED_TOTALS = ("amount", "paid", "first_unpaid", "due_to_first_unpaid", "next_unpaid")

    class Meta:
        verbose_name = _("sales contract")
        verbose_name_plural = _("sales contracts")
        ordering = ["-id"]
        indexes = [
            # The ledger: WHERE status = ? ORDER BY signed_on; a rep's: WHERE rep_id = ?.
            # The dashboards' counts of drafts and reviews read it alone (PostgreSQL:
            # an index-only scan, the scope checked on the included columns).
            models.Index(
                fields=["status", "signed_on"],
                include=["rep", "customer"],
                name="contracts_status_scope_idx",
            ),
            models.Index(fields=["rep", "-id"], name="contracts_rep_idx"),
            models.Index(fields=["customer", "signed_on"], name="contracts_customer_idx"),
            models.Index(fields=["province", "signed_on"], name="contracts_province_idx"),
            # Overdue receivables: WHERE first_unpaid < today (few rows at any scale);
            # their count, what they paid and what they owe come from the index alone
            # on PostgreSQL.
            models.Index(
                fields=["first_unpaid"],
                include=["status", "paid", "rep", "customer", "due_to_first_unpaid", "next_unpaid"],
                name="contracts_owing_idx",
            ),
            # The few owing a second instalment before today (next_unpaid < today
            # implies first_unpaid < today): found without walking every contract owing.
            models.Index(
                fields=["next_unpaid"],
                condition=Q(next_unpaid__isnull=False),
                name="contracts_next_unpaid_idx",
            ),
            # Amounts signed per day (dashboards): an index-only scan on PostgreSQL,
            # for a sales manager too, whose scope (rep, customer) is checked on the
            # index's own columns instead of every contract's row (182 → 77 ms at
            # national scale, docs/benchmarks.md).
            models.Index(
                fields=["signed_on"],
                include=["amount", "rep", "customer"],
                name="contracts_signed_scope_idx",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        # The stored totals are written only by services.totals: saving an instance
        # read before a line or payment changed must not put back its old figures.
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.STORED_TOTALS
            ]
        super().save(*args, **kwargs)

    @property
    def next_deadline(self):
        """The ledger's next deadline of a contract in force: the delivery deadline
        while something is undelivered, or the first unpaid instalment, whichever
        comes first (from the ledger's annotations)."""
        if self.status not in (ContractStatus.SIGNED, ContractStatus.IN_PERFORMANCE):
            return None
        dates = [getattr(self, "first_unpaid", None)]
        if getattr(self, "delivered", 0) < getattr(self, "ordered", 0):
            dates.append(self.delivery_deadline)
        return min((d for d in dates if d), default=None)


class SignedMonth(models.Model):
    """What one rep signed in one month: the sum of the stored amounts of their
    contracts whose signing day falls in it, and how many. Derived data, like the
    contract's own figures: kept by ``services/totals.py`` when a contract is signed
    and whenever a signed contract's amount changes (``signed_months_add``), rebuilt
    after a bulk load (``signed_months_rebuild``). The sales card reads two years of
    a team's figures here: a row per rep and month instead of every contract (at
    national scale 250,000 contracts, issue 15's 300 ms)."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("rep")
    )
    month = models.DateField(_("month"))  # its first day
    amount = models.DecimalField(
        _("amount signed"), max_digits=16, decimal_places=2, default=Decimal("0.00")
    )
    contracts = models.PositiveIntegerField(_("contracts signed"), default=0)

    class Meta:
        verbose_name = _("amount signed in a month")
        verbose_name_plural = _("amounts signed per month")
        constraints = [
            models.UniqueConstraint(fields=["rep", "month"], name="contracts_signed_month_key")
        ]
        indexes = [
            # Every month's total for everyone (management): an index-only scan.
            models.Index(
                fields=["month"], include=["rep", "amount"], name="contracts_signed_month_idx"
            )
        ]

    def __str__(self):
        return f"{self.rep_id} {self.month:%Y-%m}: {self.amount}"


class LiveManager(models.Manager):
    """Rows in force: a superseded row is kept (regulated record) but no longer counts."""

    def get_queryset(self):
        return super().get_queryset().filter(superseded_at__isnull=True)


class Supersedable(models.Model):
    """A row of the sales record that is replaced rather than deleted: a line taken off
    a draft, lines and instalments replaced by an amendment. ``objects`` (and so
    ``contract.lines``) shows the rows in force; ``all_objects`` every row ever
    written. The database refuses DELETE on these tables (audit.regulated)."""

    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "contracts.Amendment",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="the amendment that replaced the row; empty when removed from a draft",
    )

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


def supersede(rows, *, amendment=None) -> int:
    """Mark ``rows`` (a queryset of a Supersedable model) superseded now."""
    from django.utils import timezone

    return rows.update(superseded_at=timezone.now(), superseded_by=amendment)


class Attachment(Supersedable):
    """A document annexed to the contract (技术参数, 报价单, 招标文件 …), added while a
    draft. Its SHA-256 is part of what legal signs, so it cannot change unseen."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="contracts/attachments/%Y/", validators=[document_validator]
    )
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract attachment")
        base_manager_name = "all_objects"
        verbose_name_plural = _("contract attachments")
        ordering = ["contract", "id"]

    def __str__(self):
        return self.title


class ContractLine(Supersedable):
    """One product of a contract. A price below list must cite the approved
    price-adjustment request for this customer, model and quantity (S13)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="lines"
    )
    model = models.ForeignKey(
        "catalog.ProductModel", verbose_name=_("model"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("unit price (CNY, tax included)"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    list_price = models.DecimalField(
        _("list price (CNY)"), **MONEY, null=True, blank=True, editable=False
    )
    adjustment = models.ForeignKey(
        "pricing.PriceAdjustment",
        verbose_name=_("price-adjustment request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract_lines",
    )
    requested_delivery = models.DateField(_("requested delivery date"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract line")
        base_manager_name = "all_objects"  # a delivery item still reaches its line
        verbose_name_plural = _("contract lines")
        ordering = ["contract", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="contracts_line_quantity")
        ]

    def __str__(self):
        return f"{self.model} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(Decimal("0.01"))


class Delivery(TimeStampedModel):
    """A shipment under a contract (履行): what was delivered, the documents that went
    with it (Q2), and the units' serials and lots as scanned."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_on = models.DateField(_("delivered on"))
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    # {model_id: ["ifu", "label", "coc"]}: the documents ticked per model (Q2).
    documents = models.JSONField(_("documents delivered"), default=dict)
    received_on = models.DateField(
        _("received by the customer on"), null=True, blank=True, editable=False
    )
    received_by = models.CharField(
        _("received by (name)"), max_length=100, blank=True, editable=False
    )
    receipt_scan = models.FileField(
        _("signed receipt (scan)"),
        upload_to="contracts/receipts/%Y/",
        validators=[document_validator],
        blank=True,
        editable=False,
    )
    receipt_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on", "-id"]

    def __str__(self):
        return self.number


class DeliveryItem(models.Model):
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.PROTECT, related_name="items"
    )
    line = models.ForeignKey(
        ContractLine,
        verbose_name=_("contract line"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    # The units scanned for this line. The installed base lives in devices and knows
    # nothing of contracts; the link is kept here, one row per unit (DeliveredUnit).
    devices = models.ManyToManyField(
        "devices.InstalledDevice",
        through="DeliveredUnit",
        related_name="delivery_items",
        verbose_name=_("devices"),
    )

    class Meta:
        verbose_name = _("delivered line")
        verbose_name_plural = _("delivered lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="contracts_delivery_quantity")
        ]

    def __str__(self):
        return f"{self.line} × {self.quantity}"


class DeliveredUnit(models.Model):
    """X5: which installed unit a delivered line brought (one row per unit; a unit is
    delivered once). Written by ``delivery_record`` with the unit, never changed."""

    delivery_item = models.ForeignKey(
        DeliveryItem, verbose_name=_("delivered line"), on_delete=models.PROTECT
    )
    device = models.OneToOneField(
        "devices.InstalledDevice",
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="delivered_unit",
    )

    class Meta:
        verbose_name = _("delivered unit")
        verbose_name_plural = _("delivered units")

    def __str__(self):
        return f"{self.delivery_item} · {self.device_id}"


class Instalment(Supersedable):
    """A planned payment of a contract (payment terms as dates and amounts)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="instalments"
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(
        _("amount (CNY)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("instalment")
        base_manager_name = "all_objects"
        verbose_name_plural = _("instalments")
        ordering = ["contract", "due_on"]
        # Overdue receivables: WHERE due_on < today.
        indexes = [
            models.Index(fields=["due_on"], name="contracts_instalment_due_idx"),
            # Receivables: the plan in force of the contracts owing, due before today,
            # summed from the index alone on PostgreSQL.
            models.Index(
                fields=["contract", "due_on"],
                include=["amount"],
                condition=Q(superseded_at__isnull=True),
                name="contracts_instalment_live_idx",
            ),
        ]

    def __str__(self):
        return f"{self.due_on} {self.amount}"


class Payment(TimeStampedModel):
    """Money received from the customer."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount (CNY)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["contract", "received_on"]

    def __str__(self):
        return f"{self.received_on} {self.amount}"


class Problem(TimeStampedModel):
    """A problem in performing a contract (S11): sales works it out with the customer,
    or escalates it to management, whose decision (settle, legal action …) is kept."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="problems"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProblemKind.choices)
    description = models.TextField(_("what happened"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
        editable=False,
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    outcome = models.TextField(_("outcome"), blank=True, editable=False)
    decision = models.CharField(
        _("decision"), max_length=20, choices=ProblemDecision.choices, blank=True, editable=False
    )
    decision_note = models.TextField(_("decision record"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    case_reference = models.CharField(
        _("court / arbitration case"), max_length=100, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("contract problem")
        verbose_name_plural = _("contract problems")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="contracts_problem_status_idx")
        ]

    def __str__(self):
        return f"{self.contract} {self.get_kind_display()}"


class ProblemNote(models.Model):
    """A communication with the customer about a problem."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="notes")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("communication"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:60]


class Amendment(LegalReview, TimeStampedModel):
    """A change to a signed contract (变更). The contract itself is never edited: the
    amendment states what changes, goes through legal review and signing like a
    contract, and only then are the new terms applied; the terms before and after
    are kept on the amendment."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="amendments"
    )
    seq = models.PositiveSmallIntegerField(_("amendment no."), editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.DRAFT,
        editable=False,
    )
    reason = models.TextField(_("reason for the change"))
    # {"field": "new value"}: the clauses that change, as text.
    clauses = models.JSONField(_("clauses changed"), default=dict, blank=True)
    # [{"line", "quantity", "unit_price", "adjustment"}]: existing lines that change;
    # quantity 0 removes a line nothing was delivered of.
    line_changes = models.JSONField(_("lines changed"), default=list, blank=True)
    # [{"model", "quantity", "unit_price", "adjustment", "requested_delivery"}]
    new_lines = models.JSONField(_("lines added"), default=list, blank=True)
    # [["due_on", "amount", "note"]] or null: the payment plan that replaces the old one.
    instalments = models.JSONField(_("new payment plan"), null=True, blank=True)
    before = models.JSONField(_("terms before"), null=True, blank=True, editable=False)
    after = models.JSONField(_("terms after"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
    signed_scan = models.FileField(
        _("signed amendment (scan)"),
        upload_to="contracts/amendments/%Y/",
        validators=[document_validator],
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        ordering = ["contract", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "seq"], name="contracts_amendment_seq"),
            # One change at a time: a second would be reviewed against stale terms.
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status__in=OPEN_AMENDMENT),
                name="contracts_one_open_amendment",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="contracts_amend_status_idx")]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        return f"{self.contract.number}-BG{self.seq}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_AMENDMENT
