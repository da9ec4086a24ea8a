import threading
from datetime import date

import pytest
from django.db import connections, transaction

from mdss.core.numbers import next_number
from mdss.core.testing import on_postgres


def test_numbers_count_per_prefix_and_year(db):
    assert next_number("HT", on=date(2026, 3, 1)) == "HT-2026-000001"
    assert next_number("HT", on=date(2026, 3, 2)) == "HT-2026-000002"
    assert next_number("FW", on=date(2026, 3, 2)) == "FW-2026-000001"
    assert next_number("HT", on=date(2027, 1, 1)) == "HT-2027-000001"


def test_a_rolled_back_document_gives_its_number_back(db):
    next_number("TS", on=date(2026, 1, 1))
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("TS", on=date(2026, 1, 1))
        raise RuntimeError("the document could not be saved")
    assert next_number("TS", on=date(2026, 1, 1)) == "TS-2026-000002"


def test_bad_prefixes_are_refused(db):
    with pytest.raises(ValueError):
        next_number("ht-1")


@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_get_distinct_consecutive_numbers():
    threads_count = 50
    results: list[str] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(threads_count)

    def take():
        try:
            barrier.wait()
            results.append(next_number("CC", on=date(2026, 6, 1)))
        except Exception as exc:  # noqa: BLE001 (report any failure below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [f"CC-2026-{n:06d}" for n in range(1, threads_count + 1)]


def _sequence_row_is_locked(prefix: str, year: int) -> bool:
    """Whether another connection finds the sequence row locked right now."""
    from django.db import OperationalError, connection

    from mdss.core.testing import in_another_connection

    seen = []

    def probe():
        with transaction.atomic(), connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT 1 FROM core_documentsequence WHERE prefix = %s AND year = %s "
                    "FOR UPDATE NOWAIT",
                    [prefix, year],
                )
                seen.append(False)
            except OperationalError:
                seen.append(True)

    in_another_connection(probe)
    return seen[0]


@on_postgres
def test_the_number_opens_the_transaction_it_is_taken_in():
    """On PostgreSQL the number's UPDATE carries the transaction's BEGIN (one round
    trip): the row must stay locked until the document's transaction ends, a
    rollback must give the number back, and the connection must be as Django left
    it afterwards."""
    from django.db import connection

    next_number("PG", on=date(2026, 5, 1))  # the year's row exists
    with transaction.atomic():
        assert next_number("PG", on=date(2026, 5, 1)) == "PG-2026-000002"
        assert _sequence_row_is_locked("PG", 2026)  # not an UPDATE committed alone
    assert not _sequence_row_is_locked("PG", 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("PG", on=date(2026, 5, 1))
        raise RuntimeError("the document could not be saved")
    assert not _sequence_row_is_locked("PG", 2026)
    assert connection.get_autocommit() and connection.connection.autocommit
    with transaction.atomic():
        assert next_number("PG", on=date(2026, 5, 1)) == "PG-2026-000003"
    assert next_number("PG", on=date(2026, 5, 1)) == "PG-2026-000004"


def test_a_prefix_with_a_line_break_is_refused(db):
    with pytest.raises(ValueError):
        next_number("HT\n")
