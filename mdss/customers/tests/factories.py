from datetime import date

import factory

from mdss.accounts.tests.factories import RegionFactory, UserFactory
from mdss.calendars.models import PolicyVersion
from mdss.customers.models import (
    Activity,
    Contact,
    Customer,
    DevelopmentPlan,
    Feedback,
    Qualification,
    ReturnVisit,
)
from mdss.customers.validators import name_key


class CustomerFactory(factory.django.DjangoModelFactory):
    """A customer written directly (tests of services build them through the service)."""

    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"第{n}人民医院")
    name_key = factory.LazyAttribute(lambda o: name_key(o.name))
    kind = "public_hospital"
    hospital_level = "3"
    region = factory.SubFactory(RegionFactory)
    province = factory.LazyAttribute(lambda o: o.region.parent or o.region)
    owner = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda o: o.owner.department)

    class Params:
        existing = factory.Trait(
            status="existing",
            became_existing_on=date(2026, 1, 10),
            next_visit_due=date(2026, 3, 31),
        )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    department = "设备科"
    mobile = "13800138000"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    customer = factory.SubFactory(CustomerFactory)
    kind = "medical_institution"
    number = factory.Sequence(lambda n: f"PDY{n:08d}")
    valid_from = date(2022, 1, 1)
    valid_until = date(2027, 12, 31)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    customer = factory.SubFactory(CustomerFactory)
    kind = "call"
    occurred_on = date(2026, 11, 1)
    subject = "电话沟通"
    recorded_by = factory.LazyAttribute(lambda o: o.customer.owner)


class ReturnVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnVisit

    customer = factory.SubFactory(CustomerFactory, existing=True)
    visited_on = date(2026, 11, 2)
    method = "on_site"
    visitor = factory.LazyAttribute(lambda o: o.customer.owner)
    product_use = "使用正常"
    satisfaction = 4
    policy = factory.LazyFunction(lambda: PolicyVersion.objects.get(is_active=True))


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    customer = factory.SubFactory(CustomerFactory, existing=True)
    category = "product"
    text = "希望增加便携型号"
    raised_by = factory.LazyAttribute(lambda o: o.customer.owner)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    name = factory.Sequence(lambda n: f"开发计划{n}")
    owner = factory.SubFactory(UserFactory)
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)
    channels = ["trade_show", "phone"]
    target_new_customers = 10
