"""Writing the audit trail: ``record`` for semantic events, ``record_changes`` for edits.

Call them inside the transaction that makes the change, so the event and the change
commit or roll back together.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from psycopg.pq import TransactionStatus

from mdss.core.prepared import PreparedInsert, insert_together, reserve_key
from mdss.core.request_context import current_request_id
from mdss.core.sessions import current_state, forget, session_state

from .models import AuditEvent

GENESIS = "0" * 64

# Every audited change appends one event: its INSERT is compiled once (core/prepared.py).
_insert_event = PreparedInsert(AuditEvent)


def _json_default(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return str(value)


def canonical_json(payload: Any) -> str:
    """One text for one content: sorted keys, no spaces, UTC times, Decimal as text."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
    )


def jsonable(value: Any) -> Any:
    return json.loads(canonical_json(value))


def event_payload(event: AuditEvent) -> dict:
    return {
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "content_type_id": event.content_type_id,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
        # Stream 0 is the chain events had before there were streams: its payload
        # stays as it was, so their hashes still hold.
        **({"stream": event.stream} if event.stream else {}),
    }


def event_hash(event: AuditEvent) -> str:
    """HMAC-SHA-256 with the audit key, which lives outside the database
    (MDSS_AUDIT_KEY): whoever can write the table cannot forge an event and recompute
    the hashes after it without also holding the key."""
    message = canonical_json(event_payload(event)).encode()
    return hmac.new(settings.MDSS_AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


def legacy_hash(event: AuditEvent) -> str:
    """The unkeyed SHA-256 of events written before the chain was keyed; accepted by
    ``verify`` only for the chain's beginning, before the first keyed event."""
    return hashlib.sha256(canonical_json(event_payload(event)).encode()).hexdigest()


CHAIN_LOCK = 0x6D647373  # "mdss": the advisory-lock class of the audit streams


class _OwnedStream:
    """A stream this database session holds (PostgreSQL: a session-level advisory
    lock, released when the connection closes) and the head its committed appends
    left. Nobody else appends to it while the lock is held, so the head is known here
    without asking the database."""

    __slots__ = ("stream", "head")

    def __init__(self, stream: int, head: str):
        self.stream, self.head = stream, head


OWNED_STREAM = "audit_stream"  # this session's _OwnedStream (core.sessions)


class _Advance:
    """Registered with ``on_commit`` after each append: the owned stream's head moves
    to this event once its transaction commits. Until then the pending callbacks are
    the transaction's own view of the head; Django drops those of a rolled-back
    savepoint and all of a rolled-back transaction, so the head goes back with them."""

    __slots__ = ("owned", "head")

    def __init__(self, owned: _OwnedStream, head: str):
        self.owned, self.head = owned, head

    def __call__(self):
        self.owned.head = self.head


def _owned_stream() -> _OwnedStream:
    """This connection's stream: taken on its first audited write, in one round trip
    (``mdss_audit_own_stream``, migration 0005: the lowest stream no other session
    holds, then, under the lock, its head); kept for the connection's life."""
    state = session_state(connection)
    owned = state.get(OWNED_STREAM)
    if owned is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT stream, head FROM mdss_audit_own_stream(%s)", [CHAIN_LOCK])
            stream, head = cursor.fetchone()
        owned = state[OWNED_STREAM] = _OwnedStream(stream, head or GENESIS)
    return owned


def forget_owned_streams(**kwargs) -> None:
    """After ``migrate`` or ``flush`` (tests empty the tables between transactional
    tests) the heads known here may be gone: read them again at the next append."""
    forget(OWNED_STREAM)


def _take_stream() -> tuple[int, str]:
    """The stream this transaction appends to and its head.

    PostgreSQL: each database session owns one stream for as long as it is open
    (``_owned_stream``), so an append needs no lock and no read of the head: the
    chain of a stream is the appends of one session in commit order, and ids within
    a stream commit in order. Sessions append side by side and never wait for one
    another. SQLite: BEGIN IMMEDIATE already serialises every writer; one stream,
    whose head is read."""
    if connection.vendor != "postgresql":
        return 0, _head(0)
    if not settings.MDSS_AUDIT_SESSION_STREAMS:
        return _lock_stream_for_transaction()
    owned = _owned_stream()
    for _savepoints, callback, _robust in reversed(connection.run_on_commit):
        if isinstance(callback, _Advance) and callback.owned is owned:
            return owned.stream, callback.head
    return owned.stream, owned.head


TRANSACTION_STREAMS = 8


def _lock_stream_for_transaction() -> tuple[int, str]:
    """Behind a transaction-pooling PgBouncer (``MDSS_AUDIT_SESSION_STREAMS=0``): a
    transaction-scoped advisory lock on one of eight streams, this thread's own
    first, then any free one, waiting only when all are taken; then the stream's
    head, read after the lock (``mdss_audit_take_stream``, migration 0004)."""
    # The outermost atomic block lives exactly as long as the transaction: a second
    # event of the transaction goes to the stream it already holds.
    marker = connection.atomic_blocks[0] if connection.atomic_blocks else None
    held = getattr(connection, "_mdss_audit_stream", None)
    if held is not None and held[0] is marker:
        preferred = held[1]
    else:
        preferred = hash((os.getpid(), threading.get_ident())) % TRANSACTION_STREAMS
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stream, head FROM mdss_audit_take_stream(%s, %s, %s)",
            [CHAIN_LOCK, preferred, TRANSACTION_STREAMS],
        )
        stream, head = cursor.fetchone()
    connection._mdss_audit_stream = (marker, stream)
    return stream, head or GENESIS


def _advance(stream: int, head: str) -> None:
    owned = current_state(connection).get(OWNED_STREAM)
    if owned is not None and owned.stream == stream:
        connection.on_commit(_Advance(owned, head))


@contextmanager
def one_snapshot():
    """Read the trail as of one moment (PostgreSQL: a REPEATABLE READ transaction).

    Events of different streams commit in any order, so reads spread over several
    statements could see a later event of a stream but not an earlier one still being
    committed; within one snapshot each stream shows a whole prefix of itself. Inside
    a transaction already (tests, a caller's block) the reads share that one."""
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _head(stream: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hash FROM audit_auditevent WHERE stream = %s ORDER BY id DESC LIMIT 1",
            [stream],
        )
        row = cursor.fetchone()
    return row[0] if row else GENESIS


def record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. ``actor`` None means the system (a periodic task).

    Inside the caller's transaction no savepoint is taken (two round trips saved per
    audited write): an error here rolls the caller's change back with the event."""
    pending = getattr(connection, "_mdss_audit_batch", None)
    if pending is not None:
        event = _event(actor, action, obj, changes, reason, object_repr, *pending.head())
        pending.events.append(event)  # written when the batch ends
        return event
    with transaction.atomic(savepoint=False):
        event = _event(actor, action, obj, changes, reason, object_repr, *_take_stream())
        _insert_event.insert(event)
        _advance(event.stream, event.hash)
    return event


def _event(actor, action, obj, changes, reason, object_repr, stream, head) -> AuditEvent:
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(getattr(actor, "display_name", "") or str(actor)) if actor else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(
            object_repr if object_repr is not None else str(obj) if obj is not None else ""
        )[:255],
        changes=jsonable(changes or {}),
        reason=reason or "",
        request_id=current_request_id(),
        stream=stream,
        prev_hash=head,
    )
    event.hash = event_hash(event)
    return event


class Batch:
    """What ``batch()`` yields. ``insert(prepared, obj)`` adds a new row (a
    ``core.prepared.PreparedInsert``) that its events may name by key."""

    __slots__ = ("events", "rows", "_defer")

    def __init__(self, defer: bool):
        self.events: list[AuditEvent] = []
        self.rows: list[tuple[PreparedInsert, Model]] = []
        self._defer = defer

    def head(self) -> tuple[int, str]:
        if self.events:
            return self.events[-1].stream, self.events[-1].hash
        return _take_stream()

    def insert(self, prepared: PreparedInsert, obj: Model) -> None:
        # Deferred only where the key can be known before the insert (PostgreSQL)
        # and the batch is the whole transaction; otherwise written now.
        if self._defer and reserve_key(obj):
            self.rows.append((prepared, obj))
        else:
            prepared.insert(obj)

    def write(self) -> None:
        if not self.events:
            if self.rows:
                insert_together([(prepared, [obj]) for prepared, obj in self.rows])
            return
        parts = [(prepared, [obj]) for prepared, obj in self.rows] + [(_insert_event, self.events)]
        raw = connection.connection
        # Nothing sent to the server since the batch began (its reads came before it):
        # then the one statement commits on its own, without BEGIN and COMMIT, two
        # round trips of a three-trip write. Django's transaction stays open around it,
        # so ``on_commit`` callbacks (the stream's head among them) still run only
        # once the rows are in, and a failure rolls nothing back that was not sent.
        alone = (
            self._defer
            and connection.vendor == "postgresql"
            and raw.info.transaction_status == TransactionStatus.IDLE
        )
        if alone:
            raw.autocommit = True
        try:
            insert_together(parts)
        finally:
            if alone and not raw.closed:  # a lost connection is Django's to replace
                raw.autocommit = False
        _advance(self.events[-1].stream, self.events[-1].hash)


@contextmanager
def batch():
    """The events recorded inside are chained as usual and written together, in one
    ``INSERT``, when the block ends: a write that records several events (a service
    request and its clock) saves the round trips. The block is part of the caller's
    transaction without a savepoint, so an error inside rolls the whole transaction
    back: no change is ever committed without its events. Inside the block an event
    has no id yet. A block inside another joins it.

    New rows added with the yielded batch's ``insert`` are, where the block is the
    whole transaction on PostgreSQL, given their keys at once (``reserve_key``) and
    written with the events in the same single statement: an audited create of one
    row is then one round trip (docs/architecture.md). Such a row is not in the
    database before the block ends."""
    current = getattr(connection, "_mdss_audit_batch", None)
    if current is not None:
        yield current
        return
    with transaction.atomic(savepoint=False):
        pending = Batch(defer=len(connection.atomic_blocks) == 1)
        connection._mdss_audit_batch = pending
        try:
            yield pending
        finally:
            connection._mdss_audit_batch = None
        pending.write()


def snapshot(instance: Model, fields: list[str] | None = None) -> dict:
    """Field values of ``instance`` (foreign keys as ids), for a before/after diff."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return jsonable({name: getattr(instance, name) for name in names})


def diff(before: dict, after: dict) -> dict:
    """{"field": {"before": old, "after": new}} for every field that changed."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_changes(
    *, actor, obj: Model, before: dict, action: str = "update", reason: str = ""
) -> AuditEvent | None:
    """Record the field diff of a plain master-data edit; nothing if nothing changed."""
    changes = diff(before, snapshot(obj, list(before) or None))
    if not changes and action == "update":
        return None
    return record(actor=actor, action=action, obj=obj, changes=changes, reason=reason)


def stored_values(obj: Model, fields) -> dict:
    """Before a master-data edit: the stored row's values of ``fields`` (read from the
    database, since the caller's instance may already carry the form's values); every
    field None for a record not saved yet, so its creation diff lists what was set."""
    if obj.pk is None:
        return dict.fromkeys(fields)
    return snapshot(type(obj)._default_manager.get(pk=obj.pk), list(fields))


def save_with_diff(
    *, actor, obj: Model, before: dict, action: str, reason: str = "", related=None
) -> Model:
    """Save a master-data record and audit its field diff against ``before`` (from
    ``stored_values``), in one transaction. ``related`` runs after the save, before
    the diff is taken (many-to-many sets, child rows). Validation and permission
    checks come first, in the caller."""
    with transaction.atomic():
        obj.save()
        if related is not None:
            related()
        record_changes(actor=actor, obj=obj, before=before, action=action, reason=reason)
    return obj


def void(*, obj: Model, actor, reason: str):
    """Void a regulated record with a reason: the row stays, marked, and audited.

    This is what "delete" means for regulated records (RegulatedModel); the database
    refuses a real DELETE.
    """
    from django.utils.translation import gettext as _

    from mdss.core.errors import Conflict, ValidationFailed

    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why the record is voided."))
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.voided_at is not None:
            raise Conflict(_("This record is already voided."))
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason.strip()
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
        record(actor=actor, action="void", obj=locked, reason=locked.void_reason)
    return locked
