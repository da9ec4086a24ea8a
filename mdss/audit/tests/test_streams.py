"""The trail as parallel chains: writers on different streams do not wait for each
other, and every check of the single chain (links, keyed hashes, the anchored head)
holds per stream."""

import json
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction

from mdss.audit import checkpoint, services
from mdss.audit.models import AuditEvent
from mdss.audit.verify import verify_all, verify_chain


def _raw(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.fixture
def on_stream(db, monkeypatch):
    """record() appends to the stream named here (as if that stream's lock were the
    one free), so the per-stream checks run on SQLite too."""
    chosen = {"stream": 0}
    monkeypatch.setattr(
        services, "_take_stream", lambda: (chosen["stream"], services._head(chosen["stream"]))
    )

    def record(stream, action, actor=None):
        chosen["stream"] = stream
        return services.record(actor=actor, action=action)

    return record


def test_each_stream_is_its_own_chain(on_stream):
    a1 = on_stream(0, "demo.a1")
    b1 = on_stream(1, "demo.b1")
    a2 = on_stream(0, "demo.a2")
    b2 = on_stream(1, "demo.b2")
    assert (a1.prev_hash, b1.prev_hash) == (services.GENESIS, services.GENESIS)
    assert (a2.prev_hash, b2.prev_hash) == (a1.hash, b1.hash)
    report = verify_chain()
    assert report.ok and report.checked == 4


def test_a_removed_event_breaks_its_stream_at_the_next_event(on_stream):
    on_stream(0, "demo.a1")
    removed = on_stream(1, "demo.b1")
    on_stream(0, "demo.a2")
    after = on_stream(1, "demo.b2")
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [removed.pk])
    report = verify_chain()
    assert report.broken_id == after.pk
    assert "stream (1)" in report.problem


def test_an_event_moved_to_another_stream_is_caught(on_stream):
    on_stream(0, "demo.a1")
    moved = on_stream(1, "demo.b1")
    _raw("UPDATE audit_auditevent SET stream = 2 WHERE id = %s", [moved.pk])
    assert verify_chain().broken_id == moved.pk


def test_a_cut_stream_fails_against_the_checkpoint_while_the_others_grow(
    on_stream, tmp_path, settings
):
    settings.MDSS_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    on_stream(0, "demo.a1")
    on_stream(1, "demo.b1")
    cut = on_stream(1, "demo.b2")
    entry = checkpoint.write()
    assert entry["streams"]["1"] == {"count": 2, "last_id": cut.pk, "last_hash": cut.hash}
    on_stream(0, "demo.a2")
    assert verify_all().ok
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [cut.pk])
    problems = " ".join(verify_all().problems)
    assert f"stream 1 up to #{cut.pk}" in problems and "is missing" in problems
    assert "stream 0" not in problems


def test_an_event_of_another_stream_committed_after_the_checkpoint_is_no_alarm(
    on_stream, tmp_path, settings
):
    # Stream 1 took id 2 but committed after the checkpoint saw stream 0's id 3: its
    # event lies below the checkpoint's last id without having been counted.
    settings.MDSS_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    on_stream(0, "demo.a1")
    late = on_stream(1, "demo.b-late")
    on_stream(0, "demo.a2")
    entry = checkpoint.head()
    entry["streams"].pop("1")
    entry["count"] -= 1
    problem = checkpoint.compare({"at": "then", **entry})
    assert problem == "", problem
    assert late.pk < entry["last_id"]


def test_a_checkpoint_line_from_before_streams_is_still_compared(rep, tmp_path, settings):
    path = tmp_path / "checkpoints.jsonl"
    settings.MDSS_AUDIT_CHECKPOINT_FILE = path
    services.record(actor=rep, action="demo.one")
    last = services.record(actor=rep, action="demo.two")
    old = {"at": "2026-11-01T00:00:00+00:00", "count": 2, "last_id": last.pk}
    old["last_hash"] = last.hash
    old["mac"] = checkpoint._mac(old)
    path.write_text(json.dumps(old) + "\n")
    assert verify_all().ok
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    assert "is missing" in " ".join(verify_all().problems)


@contextmanager
def another_writer_holding_a_stream():
    """A second connection records an event and keeps its transaction (and so its
    stream's lock) open until the block ends; yields that event's stream."""
    holding, release, held = threading.Event(), threading.Event(), {}

    def writer():
        try:
            with transaction.atomic():
                held["stream"] = services.record(actor=None, action="demo.held").stream
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        yield held["stream"]
    finally:
        release.set()
        thread.join(10)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_writers_on_postgresql_take_different_streams_and_do_not_wait(rep):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer and one stream")
    # The other writer holds its stream until it commits; this one does not wait.
    with another_writer_holding_a_stream() as held, transaction.atomic():
        _raw("SET LOCAL lock_timeout = '2s'")
        second = services.record(actor=rep, action="demo.alongside")
        again = services.record(actor=rep, action="demo.same-transaction")
    assert second.stream != held
    assert again.stream == second.stream and again.prev_hash == second.hash
    assert verify_chain().ok
    assert AuditEvent.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_on_postgresql_a_session_keeps_its_stream_and_a_closed_ones_stream_is_taken_on(rep):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer and one stream")
    first = services.record(actor=rep, action="demo.first")
    # Three transactions of this session: one stream, each event after the last.
    second = services.record(actor=rep, action="demo.second")
    with transaction.atomic():
        third = services.record(actor=rep, action="demo.third")
    assert first.stream == second.stream == third.stream
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    # The session ends, its lock with it: the next session takes that stream and
    # links its event to the last one committed there.
    connection.close()
    fourth = services.record(actor=rep, action="demo.fourth")
    assert fourth.stream == first.stream and fourth.prev_hash == third.hash
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_on_postgresql_what_rolls_back_leaves_the_head_where_the_commits_left_it(rep):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer and one stream")
    kept = services.record(actor=rep, action="demo.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record(actor=rep, action="demo.rolled-back")
        raise RuntimeError
    after_rollback = services.record(actor=rep, action="demo.after-rollback")
    assert after_rollback.prev_hash == kept.hash
    with transaction.atomic():
        outer = services.record(actor=rep, action="demo.outer")
        with pytest.raises(RuntimeError), transaction.atomic():
            services.record(actor=rep, action="demo.in-savepoint")
            raise RuntimeError
        last = services.record(actor=rep, action="demo.after-savepoint")
    assert outer.prev_hash == after_rollback.hash and last.prev_hash == outer.hash
    assert verify_chain().ok
    assert AuditEvent.objects.count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_behind_transaction_pooling_each_transaction_locks_a_stream_of_its_own(rep, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer and one stream")
    settings.MDSS_AUDIT_SESSION_STREAMS = False
    with another_writer_holding_a_stream() as held, transaction.atomic():
        _raw("SET LOCAL lock_timeout = '2s'")
        alongside = services.record(actor=rep, action="demo.alongside")
        again = services.record(actor=rep, action="demo.same-transaction")
    assert alongside.stream != held and again.prev_hash == alongside.hash
    later = services.record(actor=rep, action="demo.later")
    assert (
        later.prev_hash
        == AuditEvent.objects.filter(stream=later.stream)
        .exclude(pk=later.pk)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    )
    assert verify_chain().ok


def _statements_with_autocommit(calls):
    """An execute wrapper noting, for each statement, whether it committed on its own."""

    def wrapper(execute, sql, params, many, context):
        calls.append((sql.split(None, 1)[0], connection.connection.autocommit))
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_on_postgresql_a_batch_alone_writes_its_row_and_events_in_one_statement(rep):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keys a row only by inserting it")
    from django.contrib.contenttypes.models import ContentType

    from mdss.accounts.models import Region
    from mdss.core.prepared import PreparedInsert, forget_reserved_keys, reserve_key

    # What a running process has already: its stream, a block of keys, the type.
    before = services.record(actor=rep, action="demo.before")
    forget_reserved_keys()
    reserve_key(Region())  # a whole block: the next key needs no query
    ContentType.objects.get_for_model(Region)
    region, seen_after_commit = Region(code="490000", name="新省"), []
    calls = []
    with connection.execute_wrapper(_statements_with_autocommit(calls)), services.batch() as writes:
        writes.insert(PreparedInsert(Region), region)
        # Keyed already, written with the event when the block ends (a read here
        # would begin the transaction, and the write would go inside it).
        assert region.pk is not None and region._state.adding
        event = services.record(actor=rep, action="demo.created", obj=region)
        transaction.on_commit(
            lambda: seen_after_commit.append(Region.objects.filter(pk=region.pk).exists())
        )
    written = [c for c in calls if c[0] == "WITH"]
    assert written == [("WITH", True)]  # one statement, committed on its own
    assert seen_after_commit == [True]  # callbacks still run once the rows are in
    assert Region.objects.get(pk=region.pk).name == "新省"
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.object_id == str(region.pk) and stored.prev_hash == before.hash
    assert services.record(actor=rep, action="demo.after").prev_hash == event.hash
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_on_postgresql_a_failed_batch_writes_nothing_and_the_chain_goes_on(rep):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keys a row only by inserting it")
    from django.db import IntegrityError

    from mdss.accounts.models import Region
    from mdss.core.prepared import PreparedInsert

    Region.objects.create(code="491000", name="已有")
    kept = services.record(actor=rep, action="demo.kept")
    twin = Region(code="491000", name="重复")
    with pytest.raises(IntegrityError), services.batch() as writes:
        writes.insert(PreparedInsert(Region), twin)
        services.record(actor=rep, action="demo.lost", obj=twin)
    assert not AuditEvent.objects.filter(action="demo.lost").exists()
    assert Region.objects.filter(code="491000").count() == 1
    assert services.record(actor=rep, action="demo.next").prev_hash == kept.hash
    assert verify_chain().ok


def test_inside_a_callers_transaction_a_batch_writes_its_rows_at_once(rep):
    from mdss.accounts.models import Region
    from mdss.core.prepared import PreparedInsert

    region = Region(code="492000", name="事务中")
    with transaction.atomic(), services.batch() as writes:
        writes.insert(PreparedInsert(Region), region)
        # The caller may read what it wrote: nothing is deferred in its transaction.
        assert Region.objects.filter(pk=region.pk).exists()
        event = services.record(actor=rep, action="demo.created", obj=region)
    assert AuditEvent.objects.get(pk=event.pk).object_id == str(region.pk)
