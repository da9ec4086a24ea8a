"""Test helpers every app's tests share."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable

import pytest
from django.db import close_old_connections, connection, connections
from django.test.utils import CaptureQueriesContext


def sql_of(action: Callable[[], object]) -> list[str]:
    """The SQL statements ``action()`` runs (e.g. to assert a command writes nothing)."""
    with CaptureQueriesContext(connection) as queries:
        action()
    return [q["sql"] for q in queries.captured_queries]


def query_count(client, url: str, *, status: int = 200) -> int:
    """Queries one GET of ``url`` costs (asserting its status)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(queries)


def assert_fixed_queries(client, urls: Iterable[str], grow: Callable[[], object]) -> list[int]:
    """Each URL costs the same number of queries before and after ``grow()`` adds rows:
    a page or an API list costs a fixed number of queries, whatever its size. A first
    round warms the per-process caches (content types, a token's last use)."""
    urls = list(urls)
    for url in urls:
        query_count(client, url)
    before = [query_count(client, url) for url in urls]
    grow()
    after = [query_count(client, url) for url in urls]
    assert after == before, dict(zip(urls, zip(before, after, strict=True), strict=True))
    return before


def on_postgres(test):
    """A test of committed changes on real connections, which only PostgreSQL's
    behaviour makes meaningful (the test skips itself elsewhere)."""

    @functools.wraps(test)
    def skip_elsewhere(*args, **kwargs):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL only")
        # An earlier transactional test's flush recreates the content types under new
        # ids; one still cached made an audit event fail its foreign key at commit
        # (seen once in CI). These tests count no queries: start with a fresh cache.
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        return test(*args, **kwargs)

    return pytest.mark.django_db(transaction=True)(pytest.mark.postgres(skip_elsewhere))


def next_request() -> None:
    """What Django does when a request starts: the connection's health check is due.
    Only outside a transaction (inside one Django would close the connection)."""
    close_old_connections()


def in_another_connection(change: Callable[[], object]) -> None:
    """Run ``change`` in another thread, on its own database connection, committed
    (another process, as far as this connection can tell)."""
    failures = []

    def run():
        try:
            change()
        except Exception as exc:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    if failures:
        raise failures[0]
