"""Changes to the catalog's regulated records: overrides of the gate, expiry warnings."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import esign
from mdss.audit import services as audit
from mdss.core import uploads
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed
from mdss.core.expiry import warn_once_per_threshold
from mdss.notifications.services import notify

from .choices import EXPIRY_WARNING_DAYS, CertificateKind
from .models import ComplianceOverride, ManufacturerLicence, ProductModel, RegistrationCertificate

# An override bridges a renewal in progress; it is not a way to sell without papers.
MAX_OVERRIDE_DAYS = 90


def override_grant(
    *, model: ProductModel, actor, password: str, reason: str, valid_from: date, valid_until: date
) -> ComplianceOverride:
    """Let a refused model be sold for a limited time: quality role, reason, e-signature."""
    if not actor.has_role(roles.QUALITY):
        raise PermissionDenied(_("Only the quality role can override the compliance gate."))
    if not (reason or "").strip():
        raise ValidationFailed.single(
            "reason", "required", _("Say why the model may be sold without valid papers.")
        )
    if valid_until < valid_from:
        raise ValidationFailed.single(
            "valid_until", "after_start", _("The override must end after it starts.")
        )
    if (valid_until - valid_from).days > MAX_OVERRIDE_DAYS:
        raise ValidationFailed.single(
            "valid_until",
            "max_days",
            _("An override lasts at most %(days)s days.") % {"days": MAX_OVERRIDE_DAYS},
        )
    esign.authenticate(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        signature = esign.sign(
            signer=actor,
            password=password,
            meaning="compliance override",
            obj=model,
            content={
                "model": model.pk,
                "reason": reason.strip(),
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
        )
        override = ComplianceOverride.objects.create(
            model=model,
            reason=reason.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by=actor,
            signature=signature,
        )
        audit.record(
            actor=actor,
            action="catalog.override_granted",
            obj=override,
            reason=override.reason,
            changes={"model": model.pk, "valid_from": valid_from, "valid_until": valid_until},
        )
    return override


def override_revoke(*, override: ComplianceOverride, actor, reason: str) -> ComplianceOverride:
    if not actor.has_role(roles.QUALITY):
        raise PermissionDenied(_("Only the quality role can revoke an override."))
    return audit.void(obj=override, actor=actor, reason=reason)


def expiry_warning_sweep(*, today: date) -> int:
    """Warn the quality role once per threshold (180, 90, 30 days) as certificates and
    licences near expiry, in one digest per person and day (core.expiry does the
    once-per-threshold bookkeeping)."""
    from mdss.accounts.models import User

    lines = []

    def collect(document, _level, days_left):
        lines.append(
            _("• %(document)s expires on %(date)s (%(days)s days)")
            % {"document": document, "date": document.valid_until, "days": days_left}
        )

    with transaction.atomic():
        for model_class in (RegistrationCertificate, ManufacturerLicence):
            warn_once_per_threshold(
                model_class.objects.filter(voided_at__isnull=True),
                today=today,
                thresholds=EXPIRY_WARNING_DAYS,
                action="catalog.expiry_warned",
                warn=collect,
            )
        if lines:
            for person in User.objects.filter(groups__name=roles.QUALITY, is_active=True):
                notify(
                    recipient=person,
                    kind="catalog.expiry",
                    subject=_("Documents expiring soon: %(n)s") % {"n": len(lines)},
                    body="\n".join(lines),
                    link="/catalog/expiring/",
                    dedupe_key=f"catalog-expiry-{person.pk}-{today.isoformat()}",
                )
    return len(lines)


# --- master data ------------------------------------------------------------------------

PRODUCT_FIELDS = [
    "manufacturer_id",
    "name",
    "trade_name",
    "device_class",
    "category_code",
    "unit",
    "implantable",
    "needs_installation",
    "warranty_months",
    "service_life_years",
    "quality_standard",
    "is_active",
]
CERTIFICATE_FIELDS = ["kind", "number", "holder_id", "product_id", "approved_on", "valid_until"]


def _require_catalog_keeper(actor, codename: str) -> None:
    if not (actor.is_superuser or actor.has_perm(f"catalog.{codename}")):
        raise PermissionDenied(_("Only the quality role keeps the catalog."))


def _full_clean(instance) -> None:
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        instance.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def product_save(*, actor, product, models: list[str] | None = None):
    """Create or edit a product (and add model codes); the field diff is audited."""

    _require_catalog_keeper(actor, "change_product" if product.pk else "add_product")
    action = "catalog.product_saved" if product.pk else "catalog.product_created"
    before = audit.stored_values(product, PRODUCT_FIELDS)
    _full_clean(product)

    def add_models():
        for code in models or []:
            code = code.strip()
            if code and not product.models.filter(code=code).exists():
                ProductModel.objects.create(product=product, code=code)

    return audit.save_with_diff(
        actor=actor, obj=product, before=before, action=action, related=add_models
    )


def certificate_save(*, actor, certificate, models_covered: list, reason: str = ""):
    """Record a registration or filing certificate, or correct one (with a reason)."""
    from mdss.core.dates import local_today

    _require_catalog_keeper(
        actor, "change_registrationcertificate" if certificate.pk else "add_registrationcertificate"
    )
    product = certificate.product
    errors = certificate_errors(certificate, product, today=local_today())
    if not models_covered:
        errors.append(
            FieldError("models_covered", "required", _("Say which models the certificate covers."))
        )
    if any(m.product_id != product.pk for m in models_covered):
        errors.append(
            FieldError(
                "models_covered",
                "other_product",
                _("A certificate covers models of its product only."),
            )
        )
    if certificate.pk and not (reason or "").strip():
        errors.append(
            FieldError("reason", "required", _("Say why a recorded certificate is corrected."))
        )
    if errors:
        raise ValidationFailed(errors=errors)
    before = {}
    if certificate.pk:
        old = RegistrationCertificate.objects.get(pk=certificate.pk)
        before = {
            **audit.snapshot(old, CERTIFICATE_FIELDS),
            "models_covered": sorted(old.models_covered.values_list("pk", flat=True)),
        }
    _full_clean(certificate)
    with transaction.atomic():
        certificate.save()
        certificate.models_covered.set(models_covered)
        after = {
            **audit.snapshot(certificate, CERTIFICATE_FIELDS),
            "models_covered": sorted(m.pk for m in models_covered),
        }
        audit.record(
            actor=actor,
            action="catalog.certificate_corrected" if before else "catalog.certificate_recorded",
            obj=certificate,
            reason=reason,
            changes=audit.diff(before, after),
        )
    return certificate


# A registration certificate is valid five years (医疗器械注册与备案管理办法); ten is a
# generous bound that still catches a mistyped year.
MAX_CERTIFICATE_YEARS = 10
FIRST_APPROVAL = date(1990, 1, 1)


def certificate_errors(certificate, product, *, today: date) -> list[FieldError]:
    """The certificate's own rules, for the page, the API and the import alike."""
    from .choices import DeviceClass

    errors = []
    if certificate.kind == CertificateKind.FILING and product.device_class != DeviceClass.I:
        errors.append(
            FieldError(
                "kind", "class", _("Class II and III products need a registration certificate.")
            )
        )
    if certificate.kind == CertificateKind.REGISTRATION and product.device_class == DeviceClass.I:
        errors.append(FieldError("kind", "class", _("Class I products are filed, not registered.")))
    if certificate.kind == CertificateKind.REGISTRATION and not certificate.valid_until:
        errors.append(
            FieldError(
                "valid_until", "required", _("A registration certificate has an expiry date.")
            )
        )
    if (
        certificate.valid_until
        and certificate.approved_on
        and certificate.valid_until <= certificate.approved_on
    ):
        errors.append(
            FieldError(
                "valid_until", "after_approval", _("The expiry must be after the approval date.")
            )
        )
    approved, until = certificate.approved_on, certificate.valid_until
    if approved and not FIRST_APPROVAL <= approved <= today:
        errors.append(
            FieldError(
                "approved_on",
                "date_range",
                _("The approval date lies between %(a)s and today.") % {"a": FIRST_APPROVAL},
            )
        )
    if approved and until and until.year > approved.year + MAX_CERTIFICATE_YEARS:
        errors.append(
            FieldError(
                "valid_until",
                "date_range",
                _("A certificate is valid at most %(n)s years.") % {"n": MAX_CERTIFICATE_YEARS},
            )
        )
    return errors


def document_upload(
    *, actor, model: ProductModel, kind: str, title: str, file, effective_from: date
):
    """Add the next version of an IFU, label or certificate-of-conformity template (Q2)."""
    from .models import ProductDocument

    _require_catalog_keeper(actor, "add_productdocument")
    if not (title or "").strip():
        raise ValidationFailed.single("title", "required", _("Give the document a title."))
    uploads.check(file, field="file")
    with transaction.atomic():
        # Lock the model row so two uploads of the same kind get consecutive versions.
        ProductModel.objects.select_for_update().filter(pk=model.pk).first()
        latest = (
            ProductDocument.objects.filter(model=model, kind=kind)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        document = ProductDocument(
            model=model,
            kind=kind,
            version=(latest or 0) + 1,
            title=title.strip(),
            file=file,
            effective_from=effective_from,
            uploaded_by=actor,
        )
        _full_clean(document)
        document.save()
        audit.record(
            actor=actor,
            action="catalog.document_uploaded",
            obj=document,
            changes={"kind": kind, "version": document.version, "file": document.file.name},
        )
    return document
