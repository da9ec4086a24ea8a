"""Human-readable, gap-free document numbers: PREFIX-YYYY-NNNNNN.

Call ``next_number`` inside the transaction that creates the document: the sequence
row stays locked until that transaction ends, so concurrent callers queue, and a
rollback gives the number back (no gaps).
"""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction

from .models import DocumentSequence

PREFIX_RE = re.compile(r"^[A-Z]{1,8}$")


def next_number(prefix: str, *, on: date | None = None) -> str:
    if not PREFIX_RE.fullmatch(prefix):
        raise ValueError("a document prefix is 1–8 capital letters")
    if on is None:
        from mdss.core.dates import local_today

        on = local_today()
    year = on.year
    # No savepoint of its own: a failure here fails the caller's transaction anyway,
    # and a document is created in one (one round trip in the common case).
    with transaction.atomic(savepoint=False):
        number = _increment(prefix, year)
        if number is None:
            # The year's first document: create the row; a concurrent creator may
            # win, which is fine.
            try:
                with transaction.atomic():
                    DocumentSequence.objects.create(prefix=prefix, year=year, last_number=0)
            except IntegrityError:
                pass
            number = _increment(prefix, year)
    return f"{prefix}-{year}-{number:06d}"


def _increment(prefix: str, year: int) -> int | None:
    """UPDATE … SET last_number = last_number + 1 … RETURNING last_number: takes the
    row lock until the transaction ends (SQLite ≥ 3.35 and PostgreSQL both return
    the row); None when the year has no row yet."""
    from django.db import connection

    table = connection.ops.quote_name(DocumentSequence._meta.db_table)
    sql = f"UPDATE {table} SET last_number = last_number + 1 "  # noqa: S608 (our table name)
    if _opens_transaction(connection):
        # The number is the transaction's first statement (a document is created in
        # one): its BEGIN goes in the same message, one round trip instead of two.
        # Several statements in one message need the simple-query protocol, which
        # takes no parameters: the values are written as literals, which is safe for
        # a prefix of capital letters (PREFIX_RE) and a year (an int).
        raw = connection.connection
        raw.autocommit = True  # so psycopg sends no BEGIN of its own before ours
        with connection.cursor() as cursor:
            cursor.execute(
                f"BEGIN; {sql}WHERE prefix = '{prefix}' AND year = {int(year)} "
                "RETURNING last_number"
            )
            cursor.nextset()  # the UPDATE's rows, after BEGIN's status
            row = cursor.fetchone()
        # The server's transaction is now open; psycopg still ends it on Django's
        # COMMIT or ROLLBACK (it sends them whenever the server is in a transaction),
        # and Django sets autocommit again when its atomic block ends.
        return row[0] if row else None
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql}WHERE prefix = %s AND year = %s RETURNING last_number", [prefix, year]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _opens_transaction(connection) -> bool:
    """PostgreSQL, inside Django's transaction, and nothing sent in it yet."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return False
    raw = connection.connection
    if raw is None or raw.autocommit:
        return False
    from psycopg.pq import TransactionStatus

    return raw.info.transaction_status == TransactionStatus.IDLE
