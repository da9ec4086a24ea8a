import threading
from datetime import date

import pytest
from django.db import connections, transaction

from mdss.core.numbers import next_number


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
