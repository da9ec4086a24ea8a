"""Two keepers issuing the last units at once (PostgreSQL, separate connections):
exactly what is on hand is issued, the others get "insufficient", nothing goes
negative, and the ledger equals the balances."""

import threading

import pytest
from django.db import connection, connections

from mdss.core.errors import ValidationFailed
from mdss.inventory import services


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_concurrent_issues_of_the_last_units_never_oversell(sensor, shelf, warehouse):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    services.stock_receive(actor=warehouse, part=sensor, location=shelf, quantity=5)
    start, results = threading.Barrier(12), []

    def issue():
        try:
            start.wait(10)
            services.move(
                kind="issue", actor=warehouse, part=sensor, quantity=1, from_location=shelf
            )
            results.append("ok")
        except ValidationFailed as exc:
            results.append(exc.errors[0].rule)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["insufficient"] * 7 + ["ok"] * 5
    assert services.ledger.available(sensor, shelf) == 0
    assert services.reconcile() == []
