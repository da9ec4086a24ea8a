"""Spare parts at national scale (issue 16), with 50,000 parts and 5,000,000 ledger
moves (`generate_data --scale 100`; `--quick` uses scale 5):

* on hand of a part across its locations (`selectors.on_hand`): p95 < 10 ms;
* the warehouse's queue of open requisitions (the page, 2,000 open, by due time):
  p95 < 100 ms and a fixed number of queries;
* the reorder computation for every part of every warehouse: < 60 s;
* 200 concurrent issues (separate connections) for 100 units on hand: exactly 100
  succeed, the rest get "insufficient", the balance ends at 0, ledger = balance.
"""

import io
import random
import statistics
import threading
import time

from bench.common import Context, Result, percentile

ON_HAND_TARGET_MS = 10
QUEUE_TARGET_MS = 100
REORDER_TARGET_S = 60


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    from mdss.accounts.generate import generate as people
    from mdss.core.reference import load_reference_data
    from mdss.inventory.generate import generate as inventory

    load_reference_data()
    scale = 5 if ctx.quick else 100
    people(scale=scale, rng=random.Random(1), stdout=io.StringIO())
    started = time.perf_counter()
    inventory(scale=scale, rng=random.Random(16), stdout=io.StringIO())
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results = [_on_hand(ctx), _queue(ctx), _reorder(ctx), _race(ctx)]
    results[0].note += f"; data generated in {generated:.0f} s"
    return results


def _on_hand(ctx):
    from mdss.inventory.models import Part, StockMove
    from mdss.inventory.selectors import on_hand

    parts = list(Part.objects.filter(number__startswith="GEN-").values_list("pk", flat=True))
    rng = random.Random(3)
    timings = []
    for pk in [rng.choice(parts) for _ in range(300)]:
        part = Part(pk=pk)
        started = time.perf_counter()
        on_hand(part)
        timings.append((time.perf_counter() - started) * 1000)
    p95 = percentile(timings, 95)
    return Result(
        "inventory: on hand of a part across locations",
        p95,
        "ms p95",
        f"< {ON_HAND_TARGET_MS} ms",
        "met" if p95 < ON_HAND_TARGET_MS else "MISSED",
        f"p50 {statistics.median(timings):.2f} ms; {len(parts):,} parts; "
        f"{StockMove.objects.count():,} moves",
    )


def _queue(ctx):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.core.dates import local_today
    from mdss.inventory import services
    from mdss.inventory.models import Part, Requisition, Warehouse

    keeper = User.objects.filter(
        groups__name=roles.WAREHOUSE_KEEPER, username__startswith="gen-"
    ).first()
    engineer = User.objects.filter(
        groups__name=roles.SERVICE_ENGINEER, username__startswith="gen-"
    ).first()
    central = Warehouse.objects.get(code="GEN-C")
    wanted = 200 if ctx.quick else 2000
    have = Requisition.objects.filter(warehouse=central, status="submitted").count()
    parts = list(Part.objects.filter(number__startswith="GEN-")[:50])
    today = local_today()
    for n in range(have, wanted):
        services.requisition_submit(
            actor=engineer,
            warehouse=central,
            lines=[(parts[n % 50], 1)],
            need_by=today,
            today=today,
        )
    if connection.vendor == "postgresql":
        # Fresh rows: statistics as autovacuum would have them (else the planner
        # scans the clocks per row instead of using their subject index).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE calendars_slaclock")
            cursor.execute("ANALYZE inventory_requisition")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(keeper)
    client.get("/inventory/requisitions/")
    timings, counts = [], set()
    for page in [1, 2, 3, 5, 8] * 10:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/inventory/requisitions/", {"page": page})
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        counts.add(len(queries))
    p95 = percentile(timings, 95)
    return Result(
        "inventory: the warehouse's requisition queue (page)",
        p95,
        "ms p95",
        f"< {QUEUE_TARGET_MS} ms",
        "met" if p95 < QUEUE_TARGET_MS and len(counts) == 1 else "MISSED",
        f"p50 {statistics.median(timings):.1f} ms; queries per page {sorted(counts)}; "
        f"{wanted:,} open requisitions",
    )


def _reorder(ctx):
    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.core.dates import local_today
    from mdss.inventory import services
    from mdss.inventory.models import StockLevel, Warehouse

    keeper = User.objects.filter(
        groups__name=roles.WAREHOUSE_KEEPER, username__startswith="gen-"
    ).first()
    started = time.perf_counter()
    for warehouse in Warehouse.objects.filter(code__startswith="GEN-"):
        services.levels_compute(actor=keeper, warehouse=warehouse, today=local_today())
    seconds = time.perf_counter() - started
    return Result(
        "inventory: reorder computation, every part of every warehouse",
        seconds,
        "s",
        f"< {REORDER_TARGET_S} s",
        "met" if seconds < REORDER_TARGET_S else "MISSED",
        f"{StockLevel.objects.count():,} levels",
    )


def _race(ctx):
    from django.db import connection, connections

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.core.errors import ValidationFailed
    from mdss.inventory import services
    from mdss.inventory.models import Location, Part

    if connection.vendor != "postgresql":
        return Result(
            "inventory: 200 concurrent issues of 100 units", 0, "", "", "", "PostgreSQL only"
        )
    keeper = User.objects.filter(
        groups__name=roles.WAREHOUSE_KEEPER, username__startswith="gen-"
    ).first()
    part, _new = Part.objects.get_or_create(number="RACE-0001", defaults={"name": "race"})
    shelf = Location.objects.get(warehouse__code="GEN-C", code="A")
    services.stock_receive(actor=keeper, part=part, location=shelf, quantity=100)
    have = services.ledger.available(part, shelf)
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
    # 200 requests over as many connections as the server allows (a gunicorn's pool):
    # each thread holds its own connection and issues in turn.
    workers = min(200, limit - 20)
    start, results, lock = threading.Barrier(workers), [], threading.Lock()
    todo = list(range(200))

    def issue():
        try:
            start.wait(30)
            while True:
                with lock:
                    if not todo:
                        return
                    todo.pop()
                try:
                    services.move(
                        kind="issue", actor=keeper, part=part, quantity=1, from_location=shelf
                    )
                    results.append("ok")
                except ValidationFailed as exc:
                    results.append(exc.errors[0].rule)
                except Exception as exc:  # noqa: BLE001 (a benchmark reports, it does not stop)
                    results.append(type(exc).__name__)
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=issue) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    seconds = time.perf_counter() - started
    ok = results.count("ok")
    left = services.ledger.available(part, shelf)
    agree = not [d for d in services.reconcile() if d["part"] == part.pk]
    good = ok == have and results.count("insufficient") == 200 - have and left == 0 and agree
    return Result(
        "inventory: 200 concurrent issues of 100 units",
        ok,
        "issued",
        f"= {have}",
        "met" if good else "MISSED",
        f"{results.count('insufficient')} insufficient, other {200 - ok - results.count('insufficient')}; "
        f"balance {left}; ledger = balance: {agree}; {workers} connections; {seconds:.1f} s",
    )
