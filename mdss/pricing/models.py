"""The price system (S12): versioned price lists, the evidence behind prices, and
price-list changes approved by management."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mdss.audit.querysets import RegulatedQuerySet
from mdss.core.models import TimeStampedModel

from .choices import AdjustmentStatus, ChangeStatus

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0.01"))]}


class PriceListVersion(models.Model):
    """One version of the company price list. Exactly one is active; all are kept."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"))
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    change = models.OneToOneField(
        "pricing.PriceChange",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resulting_version",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("price list version")
        verbose_name_plural = _("price list versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="pricing_one_active_price_list",
            )
        ]

    def __str__(self):
        return f"v{self.number} ({self.effective_from})"


class PriceEntry(models.Model):
    """The list price and the floor of one model in one version."""

    version = models.ForeignKey(PriceListVersion, on_delete=models.PROTECT, related_name="entries")
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="price_entries",
    )
    list_price = models.DecimalField(_("list price (CNY)"), **MONEY)
    floor_price = models.DecimalField(
        _("floor price (CNY)"),
        **MONEY,
        help_text=_("Below this, a deal discount also needs management."),
    )

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("price entry")
        verbose_name_plural = _("price entries")
        constraints = [
            models.UniqueConstraint(fields=["version", "model"], name="pricing_entry_per_version"),
            models.CheckConstraint(
                condition=Q(floor_price__lte=F("list_price")), name="pricing_floor_below_list"
            ),
        ]

    def __str__(self):
        return f"{self.model_id}: {self.list_price}"


class PriceBasis(TimeStampedModel):
    """The evidence of S12 for a model: its cost and the market (competitor prices below)."""

    model = models.OneToOneField(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="price_basis",
    )
    unit_cost = models.DecimalField(_("unit cost (CNY)"), **MONEY)
    market_demand = models.TextField(_("market demand"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("price basis")
        verbose_name_plural = _("price bases")
        # Cost and floor are for managers: sales reps sell at list price (S13).
        permissions = [("view_cost", "Can see unit costs, floors and margins")]

    def __str__(self):
        return f"{self.model_id}: cost {self.unit_cost}"


class CompetitorPrice(TimeStampedModel):
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="competitor_prices",
    )
    competitor = models.CharField(_("competitor"), max_length=200)
    competitor_product = models.CharField(_("competitor's product"), max_length=200)
    price = models.DecimalField(_("price (CNY)"), **MONEY)
    observed_on = models.DateField(_("observed on"))
    source = models.CharField(
        _("source"), max_length=300, help_text=_("Tender result, quotation, visit …")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("competitor price")
        verbose_name_plural = _("competitor prices")
        ordering = ["-observed_on"]

    def __str__(self):
        return f"{self.competitor} {self.competitor_product} {self.price}"


class PriceChange(TimeStampedModel):
    """A price-list change (调价): new prices with reasons → management approval →
    the next price-list version on its effective date."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT
    )
    effective_from = models.DateField(_("effective from"))
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("evidence (cost, market, competitors)"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    signature = models.ForeignKey(
        "audit.ESignature", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("price-list change")
        verbose_name_plural = _("price-list changes")
        ordering = ["-id"]
        # Management's inbox and the daily application: WHERE status = ? ORDER BY effective_from.
        indexes = [
            models.Index(fields=["status", "effective_from"], name="pricing_change_status_idx")
        ]

    def __str__(self):
        return self.number


class PriceChangeLine(models.Model):
    change = models.ForeignKey(PriceChange, on_delete=models.CASCADE, related_name="lines")
    model = models.ForeignKey(
        "catalog.ProductModel", verbose_name=_("model"), on_delete=models.PROTECT, related_name="+"
    )
    list_price = models.DecimalField(_("new list price (CNY)"), **MONEY)
    floor_price = models.DecimalField(_("new floor price (CNY)"), **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change", "model"], name="pricing_change_line_model"),
            models.CheckConstraint(
                condition=Q(floor_price__lte=F("list_price")),
                name="pricing_change_floor_below_list",
            ),
        ]

    def __str__(self):
        return f"{self.change_id}/{self.model_id}"


class PriceAdjustment(TimeStampedModel):
    """A price-adjustment request (价格调整申请表, S13) for one deal: below list price
    only with the superior's approval, below the floor also with management's.

    An approved request has a number, a validity period and a quantity; a contract
    line priced below list must cite one.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AdjustmentStatus.choices, default=AdjustmentStatus.DRAFT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="price_adjustments",
    )
    model = models.ForeignKey(
        "catalog.ProductModel", verbose_name=_("model"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    list_price = models.DecimalField(_("list price (CNY)"), **MONEY)
    floor_price = models.DecimalField(_("floor price (CNY)"), **MONEY)
    requested_price = models.DecimalField(_("requested price (CNY)"), **MONEY)
    discount_percent = models.DecimalField(_("discount (percent)"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"))
    valid_until = models.DateField(_("valid until"))
    superior = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approver"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    superior_signature = models.ForeignKey(
        "audit.ESignature", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    management_signature = models.ForeignKey(
        "audit.ESignature", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    objects = RegulatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("price-adjustment request")
        verbose_name_plural = _("price-adjustment requests")
        ordering = ["-id"]
        # Approvers' inboxes: WHERE status = ? AND superior_id = ?.
        indexes = [models.Index(fields=["status", "superior"], name="pricing_adjustment_inbox_idx")]
        constraints = [
            # S13 both ways: a request is for a price other than the list price, below
            # (a discount) or above it.
            models.CheckConstraint(
                condition=~Q(requested_price=F("list_price")),
                name="pricing_adjustment_off_list",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def deviation_display(self) -> str:
        """-12.50 % for a discount, +5.00 % above the list price."""
        return f"{-self.discount_percent:+.2f}%"
