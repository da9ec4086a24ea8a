"""Spare parts and their stock (A8, A10–A12).

Stock is a ledger: every change is one ``StockMove`` row (append-only: the database
refuses UPDATE, DELETE and TRUNCATE), and ``StockBalance`` holds the on-hand quantity
per part, location and lot, updated in the same transaction by
``services/ledger.py``, the only writer of both. A CHECK keeps a balance at zero or
above, so no code path can issue what is not there; ``manage.py
inventory_reconcile`` proves the balances equal the sums of the ledger.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel
from mdss.core.uploads import document_validator

from .choices import (
    CountStatus,
    InspectionResult,
    MoveKind,
    OrderStatus,
    RequisitionStatus,
    SupplierDocumentKind,
    SupplierStatus,
    Tracking,
    WarehouseKind,
)


class Part(TimeStampedModel):
    """A spare part, by the distributor's part number."""

    number = models.CharField(_("part number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="个")
    # A class of parts (boards, sensors, consumables…): cycle counts take one at a time.
    category = models.CharField(_("part class"), max_length=40, blank=True)
    tracking = models.CharField(
        _("tracking"), max_length=10, choices=Tracking.choices, default=Tracking.NONE
    )
    udi_di = models.CharField(_("UDI-DI"), max_length=40, blank=True)
    unit_cost = models.DecimalField(
        _("unit cost (CNY)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    models_served = models.ManyToManyField(
        "catalog.ProductModel",
        verbose_name=_("compatible models"),
        blank=True,
        related_name="spare_parts",
    )
    # Approved alternatives the warehouse may issue instead (substitution).
    substitutes = models.ManyToManyField(
        "self", verbose_name=_("approved substitutes"), blank=True, symmetrical=True
    )
    # The suppliers it was ordered from (purchasing adds them).
    suppliers = models.ManyToManyField(
        "inventory.Supplier", verbose_name=_("suppliers"), blank=True, related_name="parts"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("spare part")
        verbose_name_plural = _("spare parts")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="inventory_part_cost")
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class Warehouse(TimeStampedModel):
    """A store of parts: the central warehouse, a regional one, or an engineer's van."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=WarehouseKind.choices)
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer (van stock)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vans",
    )
    # Answers for the 24-hour clock of the requisitions it issues; a breach escalates
    # to the keeper's superior (calendars.clock_sweep).
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("warehouse keeper"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="van") | Q(engineer__isnull=False),
                name="inventory_van_has_engineer",
            )
        ]

    def __str__(self):
        return self.name


class Location(models.Model):
    """A place in a warehouse (a shelf, a bin, the van, the quarantine of defective
    returns)."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="locations"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100, blank=True)
    is_quarantine = models.BooleanField(_("defective returns"), default=False)

    class Meta:
        verbose_name = _("storage location")
        verbose_name_plural = _("locations")
        ordering = ["warehouse", "code"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="inventory_location_code")
        ]

    def __str__(self):
        return f"{self.warehouse.name} · {self.name or self.code}"


class StockBalance(models.Model):
    """On hand per part, location and lot (or serial number; empty when the part is
    not tracked). Written only by services/ledger.py, with its moves."""

    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="balances"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("storage location"),
        on_delete=models.PROTECT,
        related_name="balances",
    )
    lot = models.CharField(_("lot / serial"), max_length=40, blank=True, default="")
    quantity = models.IntegerField(_("on hand"), default=0)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["part", "location", "lot"], name="inventory_balance"),
            # The last line of defence: no path may take stock below zero.
            models.CheckConstraint(condition=Q(quantity__gte=0), name="inventory_balance_gte_0"),
        ]

    def __str__(self):
        return f"{self.part.number} @ {self.location}: {self.quantity}"


class Requisition(TimeStampedModel):
    """An engineer's request for parts (领用申请, A8): the warehouse issues within 24 h
    (the policy's ``parts.provide`` clock)."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="requisitions",
        editable=False,
    )
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name=_("issuing warehouse"),
        on_delete=models.PROTECT,
        related_name="requisitions",
    )
    # Where the parts go: the engineer's van stock, or (empty) straight to the job.
    to_location = models.ForeignKey(
        Location,
        verbose_name=_("to van stock"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_reference = models.CharField(_("service request"), max_length=40, blank=True)
    need_by = models.DateField(_("needed by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequisitionStatus.choices,
        default=RequisitionStatus.SUBMITTED,
        editable=False,
    )
    cancel_reason = models.CharField(
        _("cancellation reason"), max_length=300, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("parts requisition")
        verbose_name_plural = _("parts requisitions")
        ordering = ["-id"]
        indexes = [
            # The warehouse's queue: WHERE status IN (open) ORDER BY created_at.
            models.Index(fields=["status", "created_at"], name="inventory_req_status_idx"),
            models.Index(fields=["requested_by", "-id"], name="inventory_req_engineer_idx"),
            # A service request's parts: WHERE service_reference = 'FW-…'.
            models.Index(fields=["service_reference"], name="inventory_req_reference_idx"),
        ]

    def __str__(self):
        return self.number


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(
        Requisition, verbose_name=_("requisition"), on_delete=models.PROTECT, related_name="lines"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    issued = models.PositiveIntegerField(_("issued"), default=0, editable=False)
    returned = models.PositiveIntegerField(_("returned"), default=0, editable=False)

    class Meta:
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        ordering = ["requisition", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="inventory_line_quantity"),
            models.CheckConstraint(
                condition=Q(issued__lte=models.F("quantity")), name="inventory_line_issued"
            ),
            models.CheckConstraint(
                condition=Q(returned__lte=models.F("issued")), name="inventory_line_returned"
            ),
        ]

    def __str__(self):
        return f"{self.part.number} × {self.quantity}"

    @property
    def outstanding(self) -> int:
        return self.quantity - self.issued


class StockMove(models.Model):
    """One change of stock (append-only). ``from_location`` is empty for what enters
    the stock (receipt, return), ``to_location`` for what leaves it (issue to a job,
    scrap); an adjustment has the one side it corrects."""

    kind = models.CharField(_("kind"), max_length=20, choices=MoveKind.choices)
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="moves"
    )
    lot = models.CharField(_("lot / serial"), max_length=40, blank=True, default="")
    quantity = models.PositiveIntegerField(_("quantity"))
    from_location = models.ForeignKey(
        Location,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves_out",
    )
    to_location = models.ForeignKey(
        Location,
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves_in",
    )
    requisition = models.ForeignKey(
        Requisition,
        verbose_name=_("requisition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves",
    )
    reference = models.CharField(_("reference document"), max_length=60, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    # Now, except for history loaded from before go-live (the demo's year of moves).
    moved_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="inventory_move_quantity"),
            models.CheckConstraint(
                condition=Q(from_location__isnull=False) | Q(to_location__isnull=False),
                name="inventory_move_has_a_side",
            ),
        ]
        indexes = [
            # A part's ledger, newest first.
            models.Index(fields=["part", "-id"], name="inventory_move_part_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.part.number} × {self.quantity}"


class Supplier(TimeStampedModel):
    """A supplier of parts (A11). Orders go only to an approved supplier whose papers
    are all valid on the day (services/purchasing.supplier_gate)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact = models.CharField(_("contact"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SupplierStatus.choices,
        default=SupplierStatus.APPROVED,
        editable=False,
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SupplierDocument(TimeStampedModel):
    """A qualification paper of a supplier with its validity; a renewal is a new row
    (the old one stays, for the orders it covered)."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupplierDocumentKind.choices)
    number = models.CharField(_("number"), max_length=60)
    valid_until = models.DateField(_("valid until"))
    file = models.FileField(
        _("scan"), upload_to="inventory/suppliers/%Y/", validators=[document_validator], blank=True
    )

    class Meta:
        verbose_name = _("supplier document")
        verbose_name_plural = _("supplier documents")
        ordering = ["supplier", "kind", "-valid_until"]
        indexes = [
            # The gate: WHERE supplier_id = ? AND valid_until >= ?.
            models.Index(fields=["supplier", "kind", "valid_until"], name="inventory_supdoc_idx")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class PurchaseOrder(TimeStampedModel):
    """A purchase order (采购合同, A11): every line states specification, quantity,
    price and delivery date; the order its quality standard. Approved before goods are
    received against it."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="orders"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("deliver to"), on_delete=models.PROTECT, related_name="orders"
    )
    quality_standard = models.CharField(_("quality standard"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.DRAFT,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(
        _("cancellation reason"), max_length=300, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "-id"], name="inventory_po_status_idx")]

    def __str__(self):
        return self.number


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    specification = models.CharField(_("specification"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("unit price (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    delivery_date = models.DateField(_("delivery date"))
    accepted = models.PositiveIntegerField(_("accepted"), default=0, editable=False)
    rejected = models.PositiveIntegerField(_("rejected"), default=0, editable=False)

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="inventory_po_quantity"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="inventory_po_price"),
            models.CheckConstraint(
                condition=Q(accepted__lte=models.F("quantity")), name="inventory_po_accepted"
            ),
        ]

    def __str__(self):
        return f"{self.part.number} × {self.quantity}"

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.accepted


class Inspection(models.Model):
    """The incoming inspection of a delivery against one order line (验收记录): what
    arrived, what was accepted into stock and what was rejected, lot or serial, expiry,
    inspector and result. Accepted goods enter stock by a receipt move."""

    line = models.ForeignKey(
        PurchaseOrderLine,
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    arrived = models.PositiveIntegerField(_("arrived"))
    accepted = models.PositiveIntegerField(_("accepted"))
    rejected = models.PositiveIntegerField(_("rejected"))
    lot = models.CharField(_("lot / serial"), max_length=40, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=InspectionResult.choices)
    rejection_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)
    location = models.ForeignKey(
        Location, verbose_name=_("storage location"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_on = models.DateField(_("received on"))
    move = models.OneToOneField(
        StockMove, null=True, blank=True, on_delete=models.PROTECT, related_name="inspection"
    )

    class Meta:
        verbose_name = _("incoming inspection")
        verbose_name_plural = _("incoming inspections")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrived=models.F("accepted") + models.F("rejected")),
                name="inventory_inspection_adds_up",
            )
        ]

    def __str__(self):
        return f"{self.line} {self.received_on}"


class StockCount(TimeStampedModel):
    """A stock count (盘点, A10): the book is frozen when it starts, the counted
    quantities are entered, and a second person approves the adjustments."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="counts"
    )
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CountStatus.choices,
        default=CountStatus.COUNTING,
        editable=False,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    started_at = models.DateTimeField(_("book frozen at"), editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-id"]

    def __str__(self):
        return self.number


class StockCountLine(models.Model):
    count = models.ForeignKey(
        StockCount, verbose_name=_("stock count"), on_delete=models.PROTECT, related_name="lines"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("storage location"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.CharField(_("lot / serial"), max_length=40, blank=True, default="")
    book = models.IntegerField(_("book quantity"), editable=False)
    counted = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    unit_cost = models.DecimalField(
        _("unit cost (CNY)"), max_digits=12, decimal_places=2, editable=False
    )

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        ordering = ["count", "location", "part", "lot"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "part", "location", "lot"], name="inventory_count_line"
            )
        ]

    def __str__(self):
        return f"{self.part.number} @ {self.location}"

    @property
    def variance(self) -> int | None:
        return None if self.counted is None else self.counted - self.book

    @property
    def variance_value(self) -> Decimal | None:
        return None if self.counted is None else self.variance * self.unit_cost


class StockLevel(TimeStampedModel):
    """The reorder point and target level of a part in a warehouse (A10): computed from
    the last year's issues (levels.py) or set by hand, which the computation keeps."""

    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="levels"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="levels"
    )
    reorder_point = models.PositiveIntegerField(_("reorder point"))
    target_level = models.PositiveIntegerField(_("target level"))
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=14)
    service_level = models.DecimalField(
        _("service level"), max_digits=4, decimal_places=3, default=Decimal("0.950")
    )
    set_by_hand = models.BooleanField(_("set by hand"), default=False)
    mean_daily = models.DecimalField(
        _("mean daily demand"), max_digits=10, decimal_places=3, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["warehouse", "part"]
        constraints = [
            models.UniqueConstraint(fields=["part", "warehouse"], name="inventory_level_unique"),
            models.CheckConstraint(
                condition=Q(target_level__gte=models.F("reorder_point")),
                name="inventory_level_target",
            ),
        ]

    def __str__(self):
        return f"{self.part.number} @ {self.warehouse}: {self.reorder_point}/{self.target_level}"
