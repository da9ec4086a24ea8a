"""The customer database (客户信息数据库, S5). Issue 5 builds contacts, qualifications,
plans, activities and return visits on this table."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mdss.core.models import TimeStampedModel

from .choices import CustomerGrade, CustomerKind, CustomerStatus, HospitalLevel
from .validators import validate_credit_code


class Customer(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
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
    address = models.CharField(_("address"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning rep"),
        on_delete=models.PROTECT,
        related_name="customers",
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="customers_unique_credit_code",
            ),
        ]
        # A rep's list: WHERE owner_id = ? ORDER BY name.
        indexes = [models.Index(fields=["owner", "name"], name="customers_owner_name_idx")]

    def __str__(self):
        return self.name
