"""The demo organisation for tests: seeded once per test process, then copied back.

Seeding every app's demo goes through the services (audit, numbers, deadlines) and
takes seconds; the e2e tests, the dashboard tests and the permission world each need
it. The first test in a worker seeds it and keeps a copy of every table; a later test
on the same day empties the tables and writes the copy back, in a fraction of that.

The copy is taken and used only when the database holds no user yet: nothing but the
reference data (and its audit events) is there, and a test gets the same organisation
a fresh seed would have written. Demo dates are relative to today, so the copy is kept
per day.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

_copies: dict = {}


def seed_demo() -> list:
    """Load the reference data and the demo; return the demo logins."""
    from mdss.core.dates import local_today
    from mdss.core.management.commands.seed_demo import demo_modules
    from mdss.core.reference import load_reference_data

    load_reference_data()
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    blank = not _has_users()
    # Not a test depending on the date: the demo's dates are relative to the day it
    # is seeded on (the moved clock of CI included), so a copy serves that day only.
    key = (connection.vendor, local_today())
    copy = _copies.get(key)
    if copy is not None and blank:
        copy.restore(_filled(tables))
        return list(copy.logins)
    logins = []
    for module in demo_modules():
        logins += module.seed() or []
    if blank:
        _copies[key] = _Copy.take(tables, logins=logins)
    return logins


def _has_users() -> bool:
    from mdss.accounts.models import User

    return User.objects.exists()


def _filled(tables) -> set[str]:
    """The tables that hold at least one row, in a few queries."""
    quote = connection.ops.quote_name
    found: set[str] = set()
    tables = sorted(tables)
    with connection.cursor() as cursor:
        for start in range(0, len(tables), 100):
            chunk = tables[start : start + 100]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {quote(t)})" for t in chunk
                )
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


@dataclass
class _Copy:
    logins: list
    rows: dict  # table -> what _read returned

    @classmethod
    def take(cls, tables, *, logins):
        with connection.cursor() as cursor:
            rows = {t: _read(cursor, t) for t in _filled(tables)}
        return cls(logins=list(logins), rows=rows)

    def restore(self, filled: set[str]) -> None:
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import cache
        from django.core.management.color import no_style

        from mdss.audit.services import forget_owned_streams
        from mdss.core.prepared import forget_reserved_keys

        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            # Rows go back table by table: foreign keys are checked at commit.
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA defer_foreign_keys = ON")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in sorted(filled):
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table, rows in self.rows.items():
                _write(cursor, table, rows)
            models = apps.get_models(include_auto_created=True)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        ContentType.objects.clear_cache()
        forget_owned_streams()
        forget_reserved_keys()  # the sequences were reset
        cache.clear()


def _read(cursor, table):
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # One JSON text per table: PostgreSQL converts every type back on the way in.
        cursor.execute(f"SELECT json_agg(t)::text FROM {quote(table)} t")
        return cursor.fetchone()[0]
    cursor.execute(f"SELECT * FROM {quote(table)}")
    return [col[0] for col in cursor.description], cursor.fetchall()


def _write(cursor, table, rows) -> None:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cursor.execute(
            f"INSERT INTO {quote(table)} SELECT * FROM json_populate_recordset(NULL::{quote(table)}, %s::json)",
            [rows],
        )
        return
    columns, values = rows
    marks = ", ".join("%s" for _ in columns)
    names = ", ".join(quote(c) for c in columns)
    cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
