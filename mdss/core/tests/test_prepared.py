"""A queryset compiled once (core/prepared.py) answers exactly what the queryset does."""

import pytest

from mdss.accounts.models import ApiToken, Region, User
from mdss.accounts.tests.factories import RegionFactory, UserFactory
from mdss.core.prepared import Prepared
from mdss.core.testing import sql_of


@pytest.fixture
def regions(db):
    province = RegionFactory(code="330000", name="浙江省", level="province")
    return [
        province,
        RegionFactory(code="330100", name="杭州市", level="city", parent=province),
        RegionFactory(code="330200", name="宁波市", level="city", parent=province),
    ]


def _by_parent(code):
    return Region.objects.filter(parent__code=code).select_related("parent").order_by("code")


def test_it_returns_the_querysets_objects_with_their_related_rows(regions):
    prepared = Prepared(Region, _by_parent)
    for code in ("330000", "999999", "330000"):
        got, expected = prepared(code), list(_by_parent(code))
        assert got == expected
        assert [r.parent.name for r in got] == [r.parent.name for r in expected]
    assert [str(r) for r in prepared("330000")] == ["浙江省 杭州市", "浙江省 宁波市"]


def test_it_runs_the_same_sql_without_compiling_again(regions):
    prepared = Prepared(Region, _by_parent)
    prepared("330000")
    statements = sql_of(lambda: prepared("330100"))
    assert statements == sql_of(lambda: list(_by_parent("330100")))


def test_integer_values_and_joins_through_users(regions):
    user = UserFactory()
    user.regions.set(regions[1:])
    prepared = Prepared(
        Region, lambda user_id: Region.objects.filter(users__id=user_id), kinds=(int,)
    )
    assert prepared(user.pk) == list(user.regions.all())
    assert prepared(user.pk + 1000) == []


def test_a_builder_that_hides_or_repeats_its_value_is_refused_at_the_first_call(db):
    twice = Prepared(User, lambda name: User.objects.filter(username=name, full_name=name))
    with pytest.raises(ValueError, match="once"):
        twice("x")
    ignored = Prepared(User, lambda name: User.objects.all())
    with pytest.raises(ValueError, match="once"):
        ignored("x")
    with pytest.raises(TypeError):
        Prepared(ApiToken, lambda a: ApiToken.objects.filter(token_hash=a))("a", "b")
