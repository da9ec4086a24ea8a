"""After-sales service at national scale (issue 17), on 1,000,000 requests and
3,000,000 clocks (`generate_data --scale 100`; `--quick` uses scale 5):

* creating a request through the API (its contact clock, number and audit event)
  at >= 40 % of the requests per second of the bare one-row insert, both under the
  same gunicorn (2 sync workers) in the same run, at 8 connections, with the same
  number of queries for every request;
* an engineer's open jobs by urgency (the API list) and the dispatch board of a
  dispatcher's provinces (the API): p95 < 50 ms, a fixed number of queries;
* the minute's breach sweep over all the clocks: < 2 s.
"""

from __future__ import annotations

import json
import statistics
import time
from urllib.request import Request, urlopen

from bench.common import Context, Result, generate_installed_base, gunicorn, load, percentile

CREATE_TARGET = 0.40
LIST_TARGET_MS = 50
SWEEP_TARGET_S = 2.0


def _generate(scale: int) -> float:
    from mdss.service.generate import generate as service

    return generate_installed_base(scale, then=[(service, 17)])


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    scale = 5 if ctx.quick else 100
    generated = _generate(scale)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results = [_create(ctx), *_lists(ctx), _sweep(ctx)]
    from mdss.service.models import ServiceRequest

    results[
        0
    ].note += f"; {ServiceRequest.objects.count():,} requests; data generated in {generated:.0f} s"
    return results


def _dispatcher():
    from mdss.accounts import roles
    from mdss.accounts.models import User

    return (
        User.objects.filter(groups__name=roles.SERVICE_MANAGER, username__startswith="gen-")
        .order_by("pk")
        .first()
    )


def _create(ctx) -> Result:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mdss.accounts.services import api_token_create
    from mdss.devices.models import InstalledDevice

    dispatcher = _dispatcher()
    _token, raw = api_token_create(user=dispatcher, name="bench-service", actor=dispatcher)
    unit = InstalledDevice.objects.filter(serial__startswith="GEN-", status="in_service").first()
    body = json.dumps(
        {
            "customer_id": unit.customer_id,
            "device_id": unit.pk,
            "reporter_name": "基准",
            "reporter_phone": "13900000000",
            "symptom": "开机黑屏",
            "urgency": "high",
        }
    )
    headers = {"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}
    client = Client(HTTP_HOST="127.0.0.1")
    counts = []
    for _n in range(4):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/api/v1/service/requests", body, content_type="application/json",
                HTTP_AUTHORIZATION=headers["Authorization"],
            )  # fmt: skip
        assert response.status_code == 201, response.content[:300]
        counts.append(len(queries))
    seconds = 2.0 if ctx.quick else 5.0
    samples = {"insert": [], "create": []}
    with gunicorn(ctx, workers=2, worker_class="sync") as base:
        urlopen(Request(f"{base}/bench/insert", method="POST"), timeout=5).read()
        for _round in range(1 if ctx.quick else 3):
            samples["insert"].append(
                load(ctx, f"{base}/bench/insert", method="POST", headers={}, body="",
                     seconds=seconds, concurrency=8, tool="wrk")["rps"]
            )  # fmt: skip
            samples["create"].append(
                load(ctx, f"{base}/api/v1/service/requests", method="POST", headers=headers,
                     body=body, seconds=seconds, concurrency=8, tool="wrk")["rps"]
            )  # fmt: skip
    insert, create = statistics.median(samples["insert"]), statistics.median(samples["create"])
    share = create / insert
    fixed = len(set(counts[1:])) == 1
    return Result(
        "service: POST /api/v1/service/requests (clock, number, audit)",
        create,
        "req/s",
        f">= {CREATE_TARGET:.0%} of bare insert",
        "met" if share >= CREATE_TARGET and fixed else "MISSED",
        f"{share:.0%} of bare insert ({insert:,.0f} req/s), 8 connections, median of "
        f"{len(samples['create'])}; queries per request {counts[1:]}",
    )


def _lists(ctx) -> list[Result]:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mdss.accounts.models import User
    from mdss.accounts.services import api_token_create
    from mdss.service.choices import OPEN_STATUSES
    from mdss.service.models import ServiceRequest

    busiest = (
        ServiceRequest.objects.filter(status__in=OPEN_STATUSES, engineer__isnull=False)
        .values("engineer")
        .annotate(n=Count("pk"))
        .order_by("-n")[:20]
    )
    engineers = list(User.objects.filter(pk__in=[row["engineer"] for row in busiest]))
    dispatcher = _dispatcher()
    client = Client(HTTP_HOST="127.0.0.1")
    results = []
    for label, users, path in (
        ("service: my open jobs by urgency (API)", engineers, "/api/v1/service/jobs"),
        ("service: the dispatch board of a dispatcher's provinces (API)", [dispatcher],
         "/api/v1/service/board"),
    ):  # fmt: skip
        tokens = [api_token_create(user=u, name="bench-list", actor=u)[1] for u in users]
        timings, counts = [], set()
        for n in range(100 if ctx.quick else 300):
            token = tokens[n % len(tokens)]
            auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            if n < len(tokens):
                client.get(path, **auth)  # warm the token's last-use write
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, **auth)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            counts.add(len(queries))
        p95 = percentile(timings, 95)
        results.append(
            Result(
                label,
                p95,
                "ms p95",
                f"< {LIST_TARGET_MS} ms",
                "met" if p95 < LIST_TARGET_MS and len(counts) == 1 else "MISSED",
                f"p50 {statistics.median(timings):.1f} ms; queries {sorted(counts)}; "
                f"{len(users)} user(s)",
            )
        )
    return results


DUE_IN_A_MINUTE = 30  # a busy minute: 30 deadlines fall due (the data's average is ~3)


def _sweep(ctx) -> Result:
    """A catch-up sweep first (what fell due while the data was generated and the
    other benchmarks ran), then 30 requests whose contact deadline passed within the
    last minute, and the sweep that finds them, timed."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from mdss.calendars.generate import bulk_clocks
    from mdss.calendars.services import clock_sweep
    from mdss.service.models import ServiceRequest

    catch_up = time.perf_counter()
    caught = clock_sweep()
    catch_up = time.perf_counter() - catch_up
    now = timezone.now()
    model = ServiceRequest.objects.filter(number__startswith="FW-G").order_by("-pk").first()
    fresh = ServiceRequest.objects.bulk_create(
        [
            ServiceRequest(
                number=f"FW-S{int(now.timestamp())}{n:03d}"[:20], channel="hotline",
                customer_id=model.customer_id, device_id=model.device_id,
                reporter_name="gen", symptom="gen", reported_at=now - timedelta(minutes=61),
                engineer_id=model.engineer_id,
            )
            for n in range(DUE_IN_A_MINUTE)
        ]
    )  # fmt: skip
    bulk_clocks(
        ServiceRequest,
        [
            {
                "object_id": r.pk,
                "code": "service.contact",
                "responsible_id": r.engineer_id,
                "started_at": now - timedelta(minutes=61, seconds=n),
                "due_at": now - timedelta(minutes=1, seconds=n),
                "warned_at": now,
            }
            for n, r in enumerate(fresh)
        ],  # fmt: skip
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM calendars_slaclock")
        (clocks,) = cursor.fetchone()
    started = time.perf_counter()
    counts = clock_sweep()
    elapsed = time.perf_counter() - started
    return Result(
        "service: the minute's breach sweep over every clock",
        elapsed,
        "s",
        f"< {SWEEP_TARGET_S:.0f} s",
        "met" if elapsed < SWEEP_TARGET_S else "MISSED",
        f"{clocks:,} clocks; a minute with {DUE_IN_A_MINUTE} falling due: {counts}; "
        f"catch-up sweep before it: {catch_up:.1f} s for {caught}",
    )
