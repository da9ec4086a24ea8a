"""The installed base: every serialised or lot-tracked unit at a customer, with its
UDI, site, warranty, installation and transfers. Service, complaints, quality
(recalls and traceability) and the customer portal work from these rows.

A unit does not need a contract: a service organisation also serves units taken
over from another distributor, sold before go-live, loaners and demo units. The
contracts app keeps its own link (``contracts.DeliveredUnit``: delivery item →
unit), so devices never reads contracts' tables.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel

from .choices import DeviceOrigin, DeviceStatus


class InstalledDevice(TimeStampedModel):
    """One unit (serial) or one lot at a customer's site. Never deleted: a unit that
    leaves service is decommissioned, with its reason."""

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="devices",
    )
    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="installed_units",
    )
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    lot = models.CharField(_("lot"), max_length=100, blank=True)
    udi = models.CharField(_("UDI as scanned"), max_length=200, blank=True)
    di = models.CharField(_("UDI-DI"), max_length=50, blank=True)
    expiry_date = models.DateField(_("use by"), null=True, blank=True)
    site = models.CharField(_("site (department, room)"), max_length=200, blank=True)
    origin = models.CharField(
        _("origin"), max_length=20, choices=DeviceOrigin.choices, default=DeviceOrigin.DELIVERED
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeviceStatus.choices,
        default=DeviceStatus.IN_SERVICE,
        editable=False,
    )
    # Known for a delivery; for a unit taken over or sold before go-live it may be
    # unknown, and a loaner or a demo unit carries no warranty to the customer.
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    # The installation record (A7, X5): who installed it, when, and the customer's
    # acceptance (验收).
    installed_on = models.DateField(_("installed on"), null=True, blank=True, editable=False)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("installed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    accepted_by_customer = models.CharField(
        _("accepted by (customer)"), max_length=100, blank=True, editable=False
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    decommissioned_on = models.DateField(
        _("decommissioned on"), null=True, blank=True, editable=False
    )
    decommission_reason = models.TextField(
        _("decommission reason"), max_length=2000, blank=True, editable=False
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The last preventive maintenance done (service records it when a PM visit is
    # completed); the next one is due a plan's interval after it.
    last_pm_on = models.DateField(
        _("last preventive maintenance"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("installed device")
        verbose_name_plural = _("installed devices")
        ordering = ["customer", "model", "serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "serial"], condition=~Q(serial=""), name="devices_unique_serial"
            )
        ]
        indexes = [
            # Traceability: WHERE model_id = ? AND lot = ? (recalls), and a customer's base.
            models.Index(fields=["model", "lot"], name="devices_model_lot_idx"),
            # Traceability by a lot or a serial alone (quality.selectors.trace).
            models.Index(fields=["lot"], name="devices_lot_idx"),
            models.Index(fields=["serial"], name="devices_serial_idx"),
            models.Index(fields=["customer", "model"], name="devices_customer_idx"),
            # The list's status filter on a large base.
            models.Index(fields=["status", "origin"], name="devices_status_idx"),
        ]

    def __str__(self):
        return f"{self.model} {self.serial or self.lot}"


class DeviceTransfer(models.Model):
    """A unit moved to another customer and/or site (append-only history)."""

    device = models.ForeignKey(
        InstalledDevice,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    transferred_on = models.DateField(_("transferred on"))
    from_customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("from customer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("to customer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_site = models.CharField(_("from site"), max_length=200, blank=True)
    to_site = models.CharField(_("to site"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("device transfer")
        verbose_name_plural = _("device transfers")
        ordering = ["device", "transferred_on", "id"]

    def __str__(self):
        return f"{self.device} → {self.to_customer}"


class PmPlan(TimeStampedModel):
    """Preventive maintenance (预防性维护) of a model: every ``interval_months``, with a
    checklist. One active plan per model; a change of plan is a new version kept with
    the old (deactivated), so a done PM still shows the plan it followed."""

    model = models.ForeignKey(
        "catalog.ProductModel",
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="pm_plans",
    )
    interval_months = models.PositiveSmallIntegerField(_("every (months)"))
    checklist = models.TextField(_("checklist (one item per line)"), max_length=4000)
    is_active = models.BooleanField(_("active"), default=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("preventive maintenance plan")
        verbose_name_plural = _("preventive maintenance plans")
        ordering = ["model", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model"], condition=Q(is_active=True), name="devices_one_active_pm_plan"
            ),
            models.CheckConstraint(
                condition=Q(interval_months__gte=1, interval_months__lte=60),
                name="devices_pm_interval",
            ),
        ]

    def __str__(self):
        return f"{self.model} · {self.interval_months}"

    @property
    def items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]
