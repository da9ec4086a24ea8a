import factory
from django.contrib.auth.models import Group

from mdss.accounts.models import Department, Region, User

TEST_PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"部门{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试省{n}")
    level = "province"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            self.__dict__.pop("role_codes", None)


def raw_token_for(user) -> str:
    """A bearer token for ``user`` in tests: through the service for staff; for a
    customer's account (which may no longer hold one) written directly, as a token
    created before tokens were for staff only, so the tests can show that the API's
    staff gate still holds it to its own doors."""
    import secrets

    from django.conf import settings

    from mdss.accounts.models import ApiToken
    from mdss.accounts.selectors import hash_token
    from mdss.accounts.services import api_token_create
    from mdss.core.permissions import is_staff_member

    if is_staff_member(user):
        return api_token_create(user=user, name="test", actor=user)[1]
    raw = settings.MDSS_API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name="legacy", prefix=raw[:12], token_hash=hash_token(raw), expires_at=None
    )
    return raw
