"""What an API request costs next to the bare endpoints (issue 14 §6), in one run.

One gunicorn (2 **sync** workers: one request at a time each, as the issue measures)
serves both sides; wrk (or bench/loader.py if wrk is missing) loads each endpoint
at 8 and at 32 connections, three rounds interleaved, and the table shows the median
of the three. Queries per request are counted in the benchmark process (Django's
test client, same settings, warm caches).

* bare read by primary key, bare insert (bench/baseline: the denominators);
* ``GET /api/v1/accounts/me`` with a bearer token (authenticated detail read):
  ≥ 50 % of the bare read, ≤ 3 queries;
* ``POST /api/v1/customers/{id}/activities`` (one audited single-row create):
  ≥ 40 % of the bare insert; at 32 connections ≥ 50 %, and not slower than at 8
  (within 5 %: the noise of one round);
* ``GET /api/v1/customers?page_size=50`` (a 50-row API list page, a sales rep's
  customers): ≥ 25 % of the bare read.

Ratios are taken at 32 connections, the issue's figure; the 8-connection rows are
shown for the audit chain's "does not fall as connections grow".

The chain's own ceiling (PostgreSQL): threads in this process, each with its own
connection, insert one row per transaction for a few seconds, with and without an
audit event (``audit.record``: advisory lock, last hash, insert, held until commit),
at 2, 8 and 32 threads. If the audited rate stays far above what the HTTP endpoint
reaches, the global lock is not what limits an audited request.
"""

from __future__ import annotations

import json
import statistics
from datetime import timedelta
from urllib.request import Request, urlopen

from bench.common import Context, Result, gunicorn, load

CONNECTIONS = (8, 32)
ROUNDS = 3
SECONDS = 5.0
READ_TARGET, READ_QUERIES = 0.50, 3
CREATE_TARGET, CREATE_TARGET_32 = 0.40, 0.50
LIST_TARGET = 0.25
NOT_FALLING = 0.95  # rate at 32 connections / rate at 8


def _setup():
    """A sales rep with a token and 60 customers (the list shows 50 of them)."""
    from django.contrib.auth.models import Group

    from mdss.accounts import roles
    from mdss.accounts.models import Department, Region, User
    from mdss.accounts.services import api_token_create
    from mdss.core.reference import load_reference_data
    from mdss.customers.models import Customer
    from mdss.customers.validators import name_key

    load_reference_data()
    department, _created = Department.objects.get_or_create(
        code="BENCH", defaults={"name": "基准销售部"}
    )
    rep, _created = User.objects.get_or_create(
        username="bench-rep", defaults={"full_name": "基准代表", "department": department}
    )
    rep.groups.add(Group.objects.get(name=roles.SALES_REP))
    city = Region.objects.filter(level="city", parent__isnull=False).select_related("parent")[0]
    have = Customer.objects.filter(owner=rep).count()
    Customer.objects.bulk_create(
        [
            Customer(
                name=f"基准第{n}医院",
                name_key=name_key(f"基准第{n}医院"),
                kind="public_hospital",
                hospital_level="3",
                region=city,
                province=city.parent,
                owner=rep,
                team=department,
            )
            for n in range(have, 60)
        ]
    )
    customer = Customer.objects.filter(owner=rep).order_by("pk").first()
    _token, raw = api_token_create(user=rep, name="bench", actor=rep)
    return rep, customer, raw


def _endpoints(customer_id: int, row_id: int, token: str):
    from mdss.core.dates import local_today

    auth = {"Authorization": f"Bearer {token}"}
    activity = json.dumps(
        {
            "kind": "call",
            "occurred_on": (local_today() - timedelta(days=1)).isoformat(),
            "subject": "bench",
        }
    )
    return [
        # key, label, method, path, headers, body, expected status
        ("read", "bare read by PK", "GET", f"/bench/read/{row_id}", {}, "", 200),
        ("insert", "bare insert", "POST", "/bench/insert", {}, "", 200),
        ("audited", "bare insert + audit event", "POST", "/bench/insert-audited", {}, "", 200),
        ("me", "GET /api/v1/accounts/me (token)", "GET", "/api/v1/accounts/me", auth, "", 200),
        (
            "create",
            "POST /api/v1/customers/{id}/activities (audited)",
            "POST",
            f"/api/v1/customers/{customer_id}/activities",
            {**auth, "Content-Type": "application/json"},
            activity,
            201,
        ),
        (
            "list",
            "GET /api/v1/customers?page_size=50 (50 rows)",
            "GET",
            "/api/v1/customers?page_size=50",
            auth,
            "",
            200,
        ),
    ]


def _queries(method, path, headers, body, status) -> int:
    """Queries of one request in this process, after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    extra.pop("HTTP_CONTENT_TYPE", None)

    def call():
        if method == "GET":
            return client.get(path, **extra)
        return client.post(path, body, content_type="application/json", **extra)

    call()
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == status, (path, response.status_code, response.content[:300])
    return len(queries)


def run(ctx: Context) -> list[Result]:
    rep, customer, token = _setup()
    with gunicorn(ctx, workers=2, worker_class="sync") as base:
        first = urlopen(Request(f"{base}/bench/insert", method="POST"), timeout=5).read()
        row_id = json.loads(first)["id"]
        endpoints = _endpoints(customer.pk, row_id, token)
        queries = {
            key: _queries(method, path, headers, body, status)
            for key, _label, method, path, headers, body, status in endpoints
        }
        for key, _label, method, path, headers, body, status in endpoints:
            request = Request(f"{base}{path}", method=method, headers=headers)
            with urlopen(request, data=body.encode() if body else None, timeout=10) as response:
                assert response.status == status, (key, response.status)
        samples: dict[tuple[str, int], list[dict]] = {}
        for _round in range(1 if ctx.quick else ROUNDS):
            for connections in CONNECTIONS:
                for key, _label, method, path, headers, body, _status in endpoints:
                    figures = load(
                        ctx,
                        f"{base}{path}",
                        method=method,
                        headers=headers,
                        body=body,
                        seconds=SECONDS,
                        concurrency=connections,
                        tool="wrk",
                    )
                    samples.setdefault((key, connections), []).append(figures)
    results = _results(endpoints, queries, samples)
    from django.db import connection

    if connection.vendor == "postgresql":
        results += _chain(ctx)
    return results


CHAIN_THREADS = (2, 8, 32)


def _chain(ctx) -> list[Result]:
    import threading
    import time

    from django.db import connections, transaction

    from bench.baseline.models import BaselineRow
    from mdss.audit import services as audit

    seconds = 1.0 if ctx.quick else 3.0

    def rate(audited: bool, threads: int) -> float:
        counts = [0] * threads
        start = threading.Barrier(threads + 1)

        def worker(i):
            try:
                start.wait()
                deadline = time.perf_counter() + seconds
                n = 0
                while time.perf_counter() < deadline:
                    with transaction.atomic():
                        row = BaselineRow.objects.create(name="chain")
                        if audited:
                            audit.record(actor=None, action="bench.chain", obj=row)
                    n += 1
                counts[i] = n
            finally:
                connections.close_all()

        pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for thread in pool:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in pool:
            thread.join()
        return sum(counts) / (time.perf_counter() - began)

    results = []
    for threads in CHAIN_THREADS:
        plain = statistics.median(rate(False, threads) for _ in range(3))
        audited = statistics.median(rate(True, threads) for _ in range(3))
        results.append(
            Result(
                f"audit chain @{threads} threads: insert + audit event, in process",
                audited,
                "tx/s",
                note=f"{audited / plain:.0%} of the same insert without the event "
                f"({plain:,.0f} tx/s); median of 3 × {seconds:.0f} s",
            )
        )
    return results


def _median(runs: list[dict], field: str) -> float:
    return statistics.median(r[field] for r in runs)


def _results(endpoints, queries, samples) -> list[Result]:
    rps = {k: _median(v, "rps") for k, v in samples.items()}
    results = []
    for connections in CONNECTIONS:
        read, insert = rps[("read", connections)], rps[("insert", connections)]
        for key, label, *_rest in endpoints:
            runs = samples[(key, connections)]
            value = rps[(key, connections)]
            target, verdict, ratio = "", "", ""
            if key in ("me", "list"):
                share = value / read
                ratio = f"{share:.0%} of bare read; "
            elif key in ("create", "audited"):
                share = value / insert
                ratio = f"{share:.0%} of bare insert; "
            if connections == 32 and key == "me":
                target = f">= {READ_TARGET:.0%} of read, <= {READ_QUERIES} queries"
                ok = share >= READ_TARGET and queries[key] <= READ_QUERIES
                verdict = "met" if ok else "MISSED"
            elif connections == 32 and key == "list":
                target = f">= {LIST_TARGET:.0%} of read"
                verdict = "met" if share >= LIST_TARGET else "MISSED"
            elif key == "create":
                if connections == 32:
                    falling = value / rps[("create", 8)]
                    ratio += f"{falling:.0%} of its rate at 8; "
                    target = f">= {CREATE_TARGET_32:.0%} of insert, >= {NOT_FALLING:.0%} of @8"
                    ok = share >= CREATE_TARGET_32 and falling >= NOT_FALLING
                else:
                    target = f">= {CREATE_TARGET:.0%} of insert"
                    ok = share >= CREATE_TARGET
                verdict = "met" if ok else "MISSED"
            results.append(
                Result(
                    f"requests @{connections}: {label}",
                    value,
                    "req/s",
                    target,
                    verdict,
                    f"{ratio}{queries[key]} queries; p50 {_median(runs, 'p50_ms')} ms, "
                    f"p99 {_median(runs, 'p99_ms')} ms; errors "
                    f"{sum(r['errors'] for r in runs)}; median of {len(runs)}",
                )
            )
    return results
