"""The installed base: every serialised or lot-tracked unit delivered to a customer,
with its UDI and warranty. Service, complaints, quality (recalls and traceability)
and the customer portal work from these rows."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel


class InstalledDevice(TimeStampedModel):
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
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="devices",
    )
    delivery_item = models.ForeignKey(
        "contracts.DeliveryItem", on_delete=models.PROTECT, related_name="devices", editable=False
    )
    delivered_on = models.DateField(_("delivered on"))
    warranty_until = models.DateField(_("warranty until"))

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
            models.Index(fields=["customer", "model"], name="devices_customer_idx"),
        ]

    def __str__(self):
        return f"{self.model} {self.serial or self.lot}"
