from mdss.accounts.models import Region
from mdss.accounts.tests.factories import RegionFactory


def test_in_list_filters_like_in(db):
    regions = [RegionFactory() for _ in range(5)]
    wanted = [regions[0].pk, regions[3].pk]
    assert sorted(Region.objects.filter(pk__in_list=wanted).values_list("pk", flat=True)) == sorted(
        wanted
    )
    assert list(Region.objects.filter(pk__in_list=[])) == []


def test_in_list_takes_thousands_of_ids(db):
    region = RegionFactory()
    ids = list(range(10_000_000, 10_020_000)) + [region.pk]
    assert list(Region.objects.filter(pk__in_list=ids)) == [region]
