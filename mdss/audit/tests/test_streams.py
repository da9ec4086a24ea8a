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
def test_on_postgresql_a_writer_waits_only_when_every_stream_is_taken(rep, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer and one stream")
    from django.db import OperationalError

    settings.MDSS_AUDIT_STREAMS = 1
    with (
        another_writer_holding_a_stream(),
        pytest.raises(OperationalError, match="lock timeout"),
        transaction.atomic(),
    ):
        _raw("SET LOCAL lock_timeout = '300ms'")
        services.record(actor=rep, action="demo.queued")
    event = services.record(actor=rep, action="demo.after")
    assert event.stream == 0 and verify_chain().ok
