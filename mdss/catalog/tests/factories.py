from datetime import date

import factory

from mdss.catalog.models import (
    Manufacturer,
    ManufacturerLicence,
    Product,
    ProductModel,
    RegistrationCertificate,
)


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer

    name = factory.Sequence(lambda n: f"医疗器械有限公司{n}")
    role = "registrant"


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManufacturerLicence

    manufacturer = factory.SubFactory(ManufacturerFactory)
    kind = "licence"
    number = factory.Sequence(lambda n: f"沪食药监械生产许2020{n:04d}号")
    valid_from = date(2020, 1, 1)
    valid_until = date(2030, 12, 31)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"多参数监护仪{n}")
    device_class = "II"


class ModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductModel

    product = factory.SubFactory(ProductFactory)
    code = factory.Sequence(lambda n: f"M-{n}")


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationCertificate
        skip_postgeneration_save = True

    kind = "registration"
    number = factory.Sequence(lambda n: f"国械注准2021307{n:04d}")
    product = factory.SubFactory(ProductFactory)
    holder = factory.LazyAttribute(lambda c: c.product.manufacturer)
    approved_on = date(2021, 4, 1)
    valid_until = date(2026, 3, 31)

    @factory.post_generation
    def covers(self, create, extracted, **kwargs):
        if create and extracted:
            self.models_covered.add(*extracted)


def sellable_model(device_class="II", **model_kwargs):
    """A model with a valid certificate and a valid manufacturer licence."""
    model = ModelFactory(product__device_class=device_class, **model_kwargs)
    manufacturer = model.product.manufacturer
    kind = "filing" if device_class == "I" else "registration"
    CertificateFactory(
        product=model.product,
        kind=kind,
        covers=[model],
        valid_until=None if device_class == "I" else date(2029, 12, 31),
    )
    LicenceFactory(
        manufacturer=manufacturer,
        kind="filing" if device_class == "I" else "licence",
        valid_until=None if device_class == "I" else date(2030, 12, 31),
    )
    return model
