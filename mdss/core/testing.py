"""Test helpers every app's tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection
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
