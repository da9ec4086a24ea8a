import factory

from mdss.accounts.tests.factories import RegionFactory, UserFactory
from mdss.customers.models import Customer


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"第{n}人民医院")
    kind = "public_hospital"
    hospital_level = "3"
    region = factory.SubFactory(RegionFactory)
    owner = factory.SubFactory(UserFactory)
