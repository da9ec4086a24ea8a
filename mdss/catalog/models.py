"""What the company may sell: manufacturers and their licences, products and their
models/specifications, registration or filing certificates, product documents, and
the quality role's time-limited overrides of the compliance gate."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mdss.audit.querysets import RegulatedModel
from mdss.core.models import TimeStampedModel
from mdss.core.uploads import document_validator

from .choices import (
    CertificateKind,
    DeviceClass,
    DocumentKind,
    LicenceKind,
    ManufacturerRole,
    PackagingLevel,
)
from .validators import service_life_validator, validate_di, warranty_months_validator


class Manufacturer(TimeStampedModel):
    """A registrant, filer or contract manufacturer (医疗器械注册人/备案人/受托生产企业)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ManufacturerRole.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    country = models.CharField(_("country"), max_length=50, default="中国")
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ManufacturerLicence(RegulatedModel, TimeStampedModel):
    """A production licence (生产许可证, class II/III) or class I production filing."""

    manufacturer = models.ForeignKey(
        Manufacturer,
        verbose_name=_("manufacturer"),
        on_delete=models.PROTECT,
        related_name="licences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LicenceKind.choices)
    number = models.CharField(_("number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    scope = models.TextField(_("production scope"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Empty for filings, which do not expire."),
    )
    scan = models.FileField(
        _("scanned file"),
        upload_to="catalog/licences/%Y/",
        validators=[document_validator],
        blank=True,
    )
    warned_days = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="the smallest expiry warning already sent"
    )

    class Meta:
        verbose_name = _("manufacturer licence")
        verbose_name_plural = _("manufacturer licences")
        ordering = ["manufacturer", "-valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="catalog_licence_number")
        ]
        # The expiry warning sweep: WHERE voided_at IS NULL AND valid_until <= today + 180.
        indexes = [
            models.Index(
                fields=["valid_until"],
                condition=Q(voided_at__isnull=True),
                name="catalog_licence_expiry_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class Product(TimeStampedModel):
    """A medical device product (产品), sold in one or more models/specifications."""

    manufacturer = models.ForeignKey(
        Manufacturer,
        verbose_name=_("manufacturer"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("product name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    device_class = models.CharField(_("class"), max_length=3, choices=DeviceClass.choices)
    category_code = models.CharField(
        _("category code"),
        max_length=20,
        blank=True,
        help_text=_("分类编码 of the classification catalogue, e.g. 06-07-02."),
    )
    unit = models.CharField(_("unit"), max_length=20, default="台")
    implantable = models.BooleanField(_("implantable"), default=False)
    needs_installation = models.BooleanField(
        _("needs installation and commissioning"), default=False
    )
    warranty_months = models.PositiveSmallIntegerField(
        _("warranty (months)"), default=12, validators=[warranty_months_validator]
    )
    service_life_years = models.PositiveSmallIntegerField(
        _("service life (years)"), null=True, blank=True, validators=[service_life_validator]
    )
    quality_standard = models.CharField(
        _("quality standard (产品技术要求)"), max_length=100, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "name"], name="catalog_product_name")
        ]

    def __str__(self):
        return self.name


class ProductModel(TimeStampedModel):
    """A model/specification (型号规格): what a price, a contract line and a device refer to."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="models"
    )
    code = models.CharField(_("model / specification"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("model / specification")
        verbose_name_plural = _("models / specifications")
        ordering = ["product__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="catalog_model_code")
        ]

    def __str__(self):
        return f"{self.product.name} {self.code}"


class UdiDeviceIdentifier(models.Model):
    """A UDI-DI (GS1 GTIN or HIBC) of a model at one packaging level."""

    model = models.ForeignKey(
        ProductModel, on_delete=models.CASCADE, related_name="device_identifiers"
    )
    di = models.CharField(_("UDI-DI"), max_length=50, unique=True, validators=[validate_di])
    packaging_level = models.CharField(
        _("packaging level"),
        max_length=10,
        choices=PackagingLevel.choices,
        default=PackagingLevel.UNIT,
    )
    quantity = models.PositiveIntegerField(_("units per package"), default=1)

    class Meta:
        verbose_name = _("UDI-DI")
        verbose_name_plural = _("UDI-DIs")

    def __str__(self):
        return self.di


class RegistrationCertificate(RegulatedModel, TimeStampedModel):
    """A registration certificate (注册证, class II/III) or a filing certificate
    (备案凭证, class I) and the models it covers."""

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=100, unique=True)
    holder = models.ForeignKey(
        Manufacturer,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="certificates"
    )
    models_covered = models.ManyToManyField(
        ProductModel, verbose_name=_("models covered"), related_name="certificates"
    )
    approved_on = models.DateField(_("approved on"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Five years for registrations; empty for filings."),
    )
    scan = models.FileField(
        _("scanned file"),
        upload_to="catalog/certificates/%Y/",
        validators=[document_validator],
        blank=True,
    )
    warned_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration certificate")
        verbose_name_plural = _("registration certificates")
        ordering = ["-valid_until"]
        indexes = [
            models.Index(
                fields=["valid_until"],
                condition=Q(voided_at__isnull=True),
                name="catalog_cert_expiry_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class ProductDocument(TimeStampedModel):
    """Instructions for use, label, certificate-of-conformity template … of a model.

    Every upload is a new version; old versions stay (what went out with a sale must
    be findable years later).
    """

    model = models.ForeignKey(
        ProductModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="catalog/documents/%Y/", validators=[document_validator]
    )
    effective_from = models.DateField(_("effective from"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("product document")
        verbose_name_plural = _("product documents")
        ordering = ["model", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "kind", "version"], name="catalog_document_version"
            )
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class ComplianceOverride(RegulatedModel, TimeStampedModel):
    """The quality role's signed, time-limited permission to sell a model the gate refuses."""

    model = models.ForeignKey(
        ProductModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="overrides"
    )
    reason = models.TextField(_("reason"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signature = models.ForeignKey("audit.ESignature", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("compliance override")
        verbose_name_plural = _("compliance overrides")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="catalog_override_period"
            )
        ]

    def __str__(self):
        return f"{self.model} → {self.valid_until}"
