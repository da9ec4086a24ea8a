"""Reads of the catalog for pages and the API."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from .choices import EXPIRY_WARNING_DAYS
from .models import (
    ComplianceOverride,
    ManufacturerLicence,
    ProductModel,
    RegistrationCertificate,
)


def model_list(
    *,
    search: str = "",
    device_class: str = "",
    manufacturer: int | None = None,
    active_only: bool = True,
) -> QuerySet[ProductModel]:
    """Every staff role sees the whole catalog (prices and costs live in pricing)."""
    qs = ProductModel.objects.select_related("product__manufacturer")
    if active_only:
        qs = qs.filter(is_active=True, product__is_active=True)
    if search:
        qs = qs.filter(
            Q(code__icontains=search)
            | Q(product__name__icontains=search)
            | Q(product__trade_name__icontains=search)
            | Q(device_identifiers__di=search)
        ).distinct()
    if device_class:
        qs = qs.filter(product__device_class=device_class)
    if manufacturer:
        qs = qs.filter(product__manufacturer_id=manufacturer)
    return qs.order_by("product__name", "code")


def model_get(pk: int) -> ProductModel:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ProductModel.objects.select_related("product__manufacturer"), pk=pk)


def model_by_di(di: str) -> ProductModel | None:
    return (
        ProductModel.objects.select_related("product__manufacturer")
        .filter(device_identifiers__di=di)
        .first()
    )


def expiring_documents(*, today: date, within_days: int = max(EXPIRY_WARNING_DAYS)) -> list:
    """Certificates and licences expiring within ``within_days`` (or expired in the last 30)."""
    from django.db.models import OuterRef, Subquery

    start, end = today - timedelta(days=30), today + timedelta(days=within_days)
    # Each row links the page that shows the document: a model it covers (a licence:
    # a model of its manufacturer), read in the same query.
    models = ProductModel.objects.order_by("-is_active", "pk").values("pk")
    certificates = (
        RegistrationCertificate.objects.filter(
            voided_at__isnull=True, valid_until__gte=start, valid_until__lte=end
        )
        .select_related("product", "holder")
        .annotate(shown_on=Subquery(models.filter(certificates=OuterRef("pk"))[:1]))
    )
    licences = (
        ManufacturerLicence.objects.filter(
            voided_at__isnull=True, valid_until__gte=start, valid_until__lte=end
        )
        .select_related("manufacturer")
        .annotate(
            shown_on=Subquery(
                models.filter(product__manufacturer_id=OuterRef("manufacturer_id"))[:1]
            )
        )
    )
    rows = list(certificates) + list(licences)
    for row in rows:
        row.days_left = (row.valid_until - today).days
    return sorted(rows, key=lambda r: r.valid_until)


def overrides_in_force(today: date):
    """The quality role's compliance overrides valid today, ending soonest first."""
    return (
        ComplianceOverride.objects.filter(valid_from__lte=today, valid_until__gte=today)
        .select_related("model__product", "granted_by")
        .order_by("valid_until", "id")
    )


def model_papers(model: ProductModel, today: date) -> dict:
    """Everything the model's page shows about its legal documents (a few queries)."""
    from .models import ProductDocument, UdiDeviceIdentifier

    certificates = list(model.certificates.select_related("holder").order_by("-valid_until"))
    licences = list(
        ManufacturerLicence.objects.filter(manufacturer_id=model.product.manufacturer_id).order_by(
            "kind", "-valid_until"
        )
    )
    for document in certificates + licences:
        document.days_left = (document.valid_until - today).days if document.valid_until else None
    return {
        "certificates": certificates,
        "licences": licences,
        "documents": ProductDocument.objects.filter(model=model).order_by("kind", "-version"),
        "identifiers": UdiDeviceIdentifier.objects.filter(model=model),
        "overrides": ComplianceOverride.objects.filter(model=model).select_related("granted_by")[
            :20
        ],
    }
