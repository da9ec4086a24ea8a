"""Answers a database session keeps until PostgreSQL notifies that their tables
changed (``LISTEN``/``NOTIFY``): a read that every request makes and that changes a
few times a year (the bearer token and its user, the SLA target in force with the
calendar's revision) then costs no round trip.

How a change reaches every process before it could matter:

* triggers on the tables (``notify_on_change`` in a migration) send ``NOTIFY`` on the
  cache's channel when a row changes or goes, except when only listed columns move
  (a token's ``last_used_at``): that says nothing about the kept answer;
* a session ``LISTEN``s on the channel the first time it would use the cache, and
  empties that cache when a notification arrives;
* a kept answer is used only outside a transaction, after the connection's health
  check of this request (``CONN_HEALTH_CHECKS``: the ``SELECT 1`` every request
  already begins with) and after reading whatever the server already sent. PostgreSQL
  sends a session the notifications committed before a statement ends ahead of that
  statement's answer, and sends them at once to an idle session, so a change committed
  before a request began has emptied the cache by then;
* an answer read while a notification arrived (a change committed during the read
  itself) is not kept;
* the cache lives with the database session (``core.sessions``): a new connection
  starts empty, so a notification missed while there was none cannot matter.

What is kept is the query's raw rows, never objects: each use builds its own.
``MDSS_NOTIFIED_CACHE=0`` turns every such cache off, as behind a transaction-pooling
PgBouncer, where ``LISTEN`` does not follow the session. Nothing is kept on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from .sessions import session_state


class Kept:
    """What a lookup found: the rows as the driver returned them, and ``note``, free
    for the caller (the token's last recorded use)."""

    __slots__ = ("rows", "note")

    def __init__(self, rows: list[tuple]):
        self.rows = rows
        self.note = None


class _Session:
    """One session's answers on one channel; ``generation`` counts notifications."""

    __slots__ = ("channel", "kept", "generation")

    def __init__(self, channel: str):
        self.channel = channel
        self.kept: dict = {}
        self.generation = 0

    def changed(self, notify) -> None:
        if notify.channel == self.channel:
            self.kept.clear()
            self.generation += 1


class Notified:
    """``Notified("mdss_auth")``: answers kept per database session until a ``NOTIFY``
    on that channel. ``lookup(connection, key, fetch)`` answers the kept rows for
    ``key``, else ``fetch()``'s (kept when there are any and the cache may be used),
    or None when ``fetch()`` found nothing: nothing is kept for a miss."""

    def __init__(self, channel: str, *, limit: int = 2_000):
        self.channel = channel
        self.limit = limit  # answers kept per session; beyond that the cache starts again
        self._state_key = f"notified:{channel}"

    def _usable(self, connection) -> _Session | None:
        if (
            not settings.MDSS_NOTIFIED_CACHE
            or connection.vendor != "postgresql"
            or not connection.health_check_enabled
            or connection.in_atomic_block
        ):
            return None
        # The request's health check, if it has not run yet: its answer brings the
        # notifications committed before it.
        connection.close_if_health_check_failed()
        state = session_state(connection)  # reconnects if the check closed a dead one
        if not connection.health_check_done:
            return None
        session = state.get(self._state_key)
        if session is None:
            # Listening from now on; the read that follows comes after, so a change
            # it does not see is notified.
            session = state[self._state_key] = _Session(self.channel)
            connection.connection.add_notify_handler(session.changed)
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {self.channel}")
            return session
        # What an idle session was sent since its last statement (no round trip).
        pgconn = connection.connection.pgconn
        pgconn.consume_input()
        while notify := pgconn.notifies():
            if pgconn.notify_handler:
                pgconn.notify_handler(notify)
        return session

    def lookup(self, connection, key, fetch: Callable[[], list[tuple]]) -> Kept | None:
        session = self._usable(connection)
        if session is not None:
            kept = session.kept.get(key)
            if kept is not None:
                return kept
            generation = session.generation
        rows = fetch()
        if not rows:
            return None
        kept = Kept(rows)
        if session is not None and session.generation == generation:
            if len(session.kept) >= self.limit:
                session.kept.clear()
            session.kept[key] = kept
        return kept


def notify_on_change(channel: str, tables: dict[str, list[str]]):
    """``RunPython(*notify_on_change("mdss_auth", {"accounts_user": ["last_login"]}))``:
    triggers that send ``NOTIFY channel`` when a row of a table is updated (unless only
    the listed columns changed), deleted, or the table truncated. PostgreSQL only."""
    function = f"mdss_notify_{channel}"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM pg_notify('{channel}', TG_TABLE_NAME); RETURN NULL; END $$",
            params=None,
        )
        for table, ignored in tables.items():
            minus = "".join(f" - '{column}'" for column in ignored)
            schema_editor.execute(
                f"CREATE TRIGGER {channel}_{table}_update AFTER UPDATE ON {table} FOR EACH ROW "
                f"WHEN ((to_jsonb(OLD){minus}) IS DISTINCT FROM (to_jsonb(NEW){minus})) "
                f"EXECUTE FUNCTION {function}()",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {channel}_{table}_gone AFTER DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
                params=None,
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            for suffix in ("update", "gone"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {channel}_{table}_{suffix} ON {table}", params=None
                )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()", params=None)

    return create, drop
