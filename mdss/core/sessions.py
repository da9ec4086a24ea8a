"""What this process knows about one database session (PostgreSQL's backend): the
audit stream it owns, the keys it reserved. Such knowledge holds only while the same
connection is open: Django may close and reopen it (CONN_MAX_AGE, an error), and a
new session owns no stream and holds no keys. So the state is kept beside the driver
connection it belongs to and is dropped with it."""

from __future__ import annotations

from django.db import connections


def session_state(connection) -> dict:
    """This session's state, empty on a connection opened since it was last asked."""
    connection.ensure_connection()
    held = getattr(connection, "_mdss_session", None)
    if held is None or held[0] is not connection.connection:
        held = connection._mdss_session = (connection.connection, {})
    return held[1]


def current_state(connection) -> dict:
    """The state without opening a connection: empty when there is none yet."""
    held = getattr(connection, "_mdss_session", None)
    if held is None or connection.connection is None or held[0] is not connection.connection:
        return {}
    return held[1]


def forget(name: str) -> None:
    """Drop one piece of every open session's state, after something (``migrate``,
    ``flush``, a restore) made what it said untrue."""
    for each in connections.all(initialized_only=True):
        held = getattr(each, "_mdss_session", None)
        if held is not None:
            held[1].pop(name, None)
