from django.db import models
from django.utils.translation import gettext_lazy as _


class ManufacturerRole(models.TextChoices):
    REGISTRANT = "registrant", _("registrant (注册人)")
    FILER = "filer", _("filer (备案人)")
    CONTRACT = "contract", _("contract manufacturer (受托生产企业)")


class LicenceKind(models.TextChoices):
    PRODUCTION_LICENCE = "licence", _("production licence (生产许可证)")
    PRODUCTION_FILING = "filing", _("class I production filing (第一类生产备案凭证)")


class DeviceClass(models.TextChoices):
    I = "I", _("class I")  # noqa: E741 (the regulation's own name)
    II = "II", _("class II")
    III = "III", _("class III")


class CertificateKind(models.TextChoices):
    REGISTRATION = "registration", _("registration certificate (注册证)")
    FILING = "filing", _("filing certificate (备案凭证)")


class DocumentKind(models.TextChoices):
    IFU = "ifu", _("instructions for use (说明书)")
    LABEL = "label", _("label (标签)")
    COC = "coc", _("certificate of conformity template (合格证)")
    OTHER = "other", _("other")


class PackagingLevel(models.TextChoices):
    UNIT = "unit", _("unit of use")
    PACK = "pack", _("pack")
    CASE = "case", _("case")


# Days before expiry at which the quality role is warned (Q1).
EXPIRY_WARNING_DAYS = (180, 90, 30)
