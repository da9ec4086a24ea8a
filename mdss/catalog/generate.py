"""Synthetic catalog for benchmarks: 100 models per unit of scale (scale 100 = 10,000
models), 4 models a product, a certificate per product (one in ten expired), a
licence per manufacturer, a UDI-DI (GTIN-14) per model."""

from datetime import date

from .models import (
    Manufacturer,
    ManufacturerLicence,
    Product,
    ProductModel,
    RegistrationCertificate,
    UdiDeviceIdentifier,
)


def _gtin(seed: int) -> str:
    """A GTIN-14 with its mod-10 check digit (company prefix 690999 is fictional and
    not the demo's)."""
    body = f"0690999{seed:06d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _identifiers() -> int:
    """A UDI-DI for each generated model that has none (the installed base's units
    carry it)."""
    missing = ProductModel.objects.filter(
        product__name__startswith="gen-", device_identifiers__isnull=True
    ).values_list("pk", flat=True)
    rows = [UdiDeviceIdentifier(model_id=pk, di=_gtin(pk)) for pk in missing]
    UdiDeviceIdentifier.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def generate(*, scale: int, rng, stdout) -> int:
    wanted = 100 * scale
    existing = ProductModel.objects.filter(product__name__startswith="gen-").count()
    if existing >= wanted:
        added = _identifiers()
        stdout.write(f"catalog models: {existing} present ({added} UDI-DIs added)")
        return 0
    first_product = existing // 4
    products_needed = (wanted - existing + 3) // 4
    manufacturers = list(Manufacturer.objects.filter(name__startswith="gen-"))
    while len(manufacturers) < max(1, scale):
        n = len(manufacturers)
        manufacturer = Manufacturer.objects.create(
            name=f"gen-manufacturer-{n:05d}", role="registrant"
        )
        ManufacturerLicence.objects.create(
            manufacturer=manufacturer,
            kind="licence",
            number=f"gen-licence-{n:05d}",
            valid_from=date(2020, 1, 1),
            valid_until=date(2031, 12, 31),
        )
        manufacturers.append(manufacturer)
    products = Product.objects.bulk_create(
        [
            Product(
                manufacturer=manufacturers[(first_product + i) % len(manufacturers)],
                name=f"gen-product-{first_product + i:06d}",
                device_class=rng.choice(["II", "III"]),
            )
            for i in range(products_needed)
        ],
        batch_size=2000,
    )
    products = list(Product.objects.filter(name__in=[p.name for p in products]))
    models = ProductModel.objects.bulk_create(
        [ProductModel(product=product, code=f"G{k}") for product in products for k in range(4)],
        batch_size=2000,
    )
    models = list(ProductModel.objects.filter(product__in=products))
    certificates = RegistrationCertificate.objects.bulk_create(
        [
            RegistrationCertificate(
                kind="registration",
                number=f"gen-cert-{product.name[-6:]}",
                holder=product.manufacturer,
                product=product,
                approved_on=date(2021, 1, 1),
                valid_until=date(2025, 12, 31) if rng.random() < 0.1 else date(2030, 12, 31),
            )
            for product in products
        ],
        batch_size=2000,
    )
    by_product = {
        c.product_id: c.pk
        for c in RegistrationCertificate.objects.filter(product__in=products).only(
            "pk", "product_id"
        )
    }
    through = RegistrationCertificate.models_covered.through
    through.objects.bulk_create(
        [
            through(registrationcertificate_id=by_product[m.product_id], productmodel_id=m.pk)
            for m in models
        ],
        batch_size=5000,
    )
    _identifiers()
    # Fresh bulk loads have no planner statistics until autovacuum gets to them;
    # without them PostgreSQL picks nested loops over 10,000 rows.
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "catalog_productmodel",
            "catalog_registrationcertificate",
            "catalog_registrationcertificate_models_covered",
            "catalog_product",
            "catalog_udideviceidentifier",
        ):
            cursor.execute(f"ANALYZE {table}")
    stdout.write(f"catalog models: {len(models)} added ({len(certificates)} certificates)")
    return len(models)
