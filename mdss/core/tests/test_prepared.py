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


def test_annotations_come_back_on_the_objects_like_the_querysets(regions):
    from django.db.models import Count

    def children(code):
        return Region.objects.filter(code=code).annotate(below=Count("children"))

    prepared = Prepared(Region, children)
    for code in ("330000", "330100"):
        (got,), (expected,) = prepared(code), list(children(code))
        assert (got, got.below) == (expected, expected.below)
    assert prepared("330000")[0].below == 2


def test_a_builder_that_hides_or_repeats_its_value_is_refused_at_the_first_call(db):
    twice = Prepared(User, lambda name: User.objects.filter(username=name, full_name=name))
    with pytest.raises(ValueError, match="once"):
        twice("x")
    ignored = Prepared(User, lambda name: User.objects.all())
    with pytest.raises(ValueError, match="once"):
        ignored("x")
    with pytest.raises(TypeError):
        Prepared(ApiToken, lambda a: ApiToken.objects.filter(token_hash=a))("a", "b")


def _event(**fields):
    from datetime import UTC, datetime

    from mdss.audit.models import AuditEvent

    values = {
        "occurred_at": datetime(2026, 11, 30, 8, 15, tzinfo=UTC),
        "actor_name": "孙代表",
        "action": "tests.prepared",
        "object_id": "7",
        "object_repr": "某医院",
        "changes": {"金额": "12.50", "lines": [1, 2]},
        "prev_hash": "0" * 64,
        **fields,
    }
    return AuditEvent(**values)


def test_a_prepared_insert_writes_the_row_save_would_write(db):
    from mdss.audit.models import AuditEvent
    from mdss.core.prepared import PreparedInsert

    user = UserFactory()
    by_save = _event(actor=user, hash="a" * 64)
    by_save.save(force_insert=True)
    prepared = PreparedInsert(AuditEvent)
    by_insert = _event(actor=user, hash="b" * 64, occurred_at=by_save.occurred_at)
    prepared.insert(by_insert)
    assert by_insert.pk > by_save.pk and not by_insert._state.adding
    rows = AuditEvent.objects.filter(pk__in=[by_save.pk, by_insert.pk]).order_by("pk").values()
    saved, inserted = (dict(row) for row in rows)
    assert {**inserted, "id": saved["id"], "hash": saved["hash"]} == saved
    assert inserted["changes"] == {"金额": "12.50", "lines": [1, 2]}
    assert len(sql_of(lambda: prepared.insert(_event(hash="c" * 64)))) == 1


def test_a_prepared_insert_keeps_the_column_guard_and_refuses_models_with_receivers(db):
    from mdss.audit.models import AuditEvent
    from mdss.core.errors import ValidationFailed
    from mdss.core.prepared import PreparedInsert

    with pytest.raises(ValidationFailed) as refused:
        PreparedInsert(AuditEvent).insert(_event(hash="e" * 64, object_repr="长" * 256))
    assert refused.value.errors[0].field == "object_repr"
    assert not AuditEvent.objects.filter(hash="e" * 64).exists()
    with pytest.raises(TypeError, match="save"):
        PreparedInsert(User).insert(User(username="x"))  # User.save() hashes passwords
    # A receiver the insert would skip is refused, not silently left out.
    from django.db.models.signals import post_save

    def listener(**kwargs):
        pass

    post_save.connect(listener, sender=AuditEvent)
    try:
        with pytest.raises(TypeError, match="receivers"):
            PreparedInsert(AuditEvent).insert(_event(hash="f" * 64))
    finally:
        post_save.disconnect(listener, sender=AuditEvent)


def test_a_prepared_insert_can_skip_a_row_that_breaks_a_unique_constraint(db):
    from django.db import transaction

    from mdss.core.prepared import PreparedInsert

    insert = PreparedInsert(Region, skip_conflicts=True)
    first, again = Region(code="440000", name="广东省"), Region(code="440000", name="又一个")
    assert insert.insert(first) is True and first.pk is not None
    with transaction.atomic():
        assert insert.insert(again) is False and again.pk is None
        assert Region.objects.get(code="440000").name == "广东省"  # the transaction goes on


def test_a_prepared_insert_writes_several_rows_in_one_statement_in_order(
    db, django_assert_num_queries
):
    from mdss.core.prepared import PreparedInsert

    rows = [Region(code=f"45{n:04d}", name=f"区{n}") for n in range(3)]
    with django_assert_num_queries(1):
        PreparedInsert(Region).insert_many(rows)
    stored = {r.pk: (r.code, r.name) for r in Region.objects.filter(code__startswith="45")}
    assert stored == {r.pk: (r.code, r.name) for r in rows} and len(stored) == 3


def test_skipping_conflicts_skips_only_uniqueness_not_a_missing_value(db):
    from django.db import IntegrityError, transaction

    from mdss.core.prepared import PreparedInsert

    with pytest.raises(IntegrityError), transaction.atomic():
        PreparedInsert(Region, skip_conflicts=True).insert(Region(code="460000", name=None))


def test_reserved_keys_are_the_tables_own_and_cost_one_query_a_block(db):
    from django.db import connection

    from mdss.core.prepared import KEY_BLOCK, reserve_key

    rows = [Region(code=f"47{n:04d}", name=f"区{n}") for n in range(KEY_BLOCK + 1)]
    if connection.vendor != "postgresql":
        assert reserve_key(rows[0]) is False and rows[0].pk is None  # SQLite: the insert keys
        return
    queries = sql_of(lambda: [reserve_key(row) for row in rows])
    assert len(queries) == 2  # one block, then the next
    keys = [row.pk for row in rows]
    assert len(set(keys)) == len(keys) and keys[:KEY_BLOCK] == sorted(keys[:KEY_BLOCK])
    # The sequence moved past them: a row keyed by the database never takes one.
    assert Region.objects.create(code="479999", name="后来的").pk not in keys
    from django.contrib.sessions.models import Session

    assert reserve_key(Session()) is False  # its key is not a sequence's


def test_rows_written_together_keep_their_keys_and_the_last_part_gets_its_own(
    db, django_assert_num_queries
):
    from django.db import connection

    from mdss.audit.models import AuditEvent
    from mdss.core.prepared import PreparedInsert, insert_together, reserve_key

    region = Region(code="480000", name="海南省")
    if not reserve_key(region):
        region.pk = Region.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        region.pk += 1000  # SQLite: any free key
    events = [_event(hash=f"{n}" * 64, object_id="480000") for n in range(2)]
    together = 1 if connection.vendor == "postgresql" else 2  # one statement there
    with django_assert_num_queries(together):
        insert_together([(PreparedInsert(Region), [region]), (PreparedInsert(AuditEvent), events)])
    assert Region.objects.get(pk=region.pk).name == "海南省" and not region._state.adding
    stored = AuditEvent.objects.filter(object_id="480000").order_by("pk")
    assert [e.pk for e in stored] == [e.pk for e in events] and events[0].pk < events[1].pk
    with pytest.raises(ValueError, match="last part"):
        insert_together(
            [(PreparedInsert(Region), [Region(code="1", name="x")]), (PreparedInsert(Region), [])]
        )
