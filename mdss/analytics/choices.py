from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    """The period a trend is cut into."""

    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class SalesDimension(models.TextChoices):
    """What sales figures and the bridge are broken down by."""

    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    CUSTOMER_KIND = "customer_kind", _("customer type")
    CUSTOMER_GRADE = "customer_grade", _("customer grade")
    CATEGORY = "category", _("product category")
    MODEL = "model", _("product model")
    CUSTOMER = "customer", _("customer")
    REP = "rep", _("sales rep")
    DEPARTMENT = "department", _("team")


class ServiceDimension(models.TextChoices):
    PROVINCE = "province", _("province")
    KIND = "kind", _("request type")
    CHANNEL = "channel", _("channel")
    MODEL = "model", _("product model")
    ENGINEER = "engineer", _("engineer")


class ClockOutcome(models.TextChoices):
    MET = "met", _("met")
    MISSED = "missed", _("missed")


class RegionTrend(models.TextChoices):
    GROWING = "growing", _("growing")
    DECLINING = "declining", _("declining")


class RegionAction(models.TextChoices):
    """What management decided for a growing or declining region (D2)."""

    INVEST = "invest", _("invest more")
    ANALYSE = "analyse", _("analyse and act")
    HOLD = "hold", _("keep as is")
