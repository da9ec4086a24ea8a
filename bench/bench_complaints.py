"""Complaints at scale (issue 18), on 200,000 complaints and their clocks
(`generate_data --scale 100`; `--quick` uses scale 5): the queue (open complaints by
the nearest deadline, the API list and the page) for quality, who sees every
complaint, and for a service manager, who sees those about service: p95 < 50 ms with
a fixed number of queries."""

from __future__ import annotations

import statistics
import time

from bench.common import Context, Result, generate_installed_base, percentile

LIST_TARGET_MS = 50


def _generate(scale: int) -> float:
    from mdss.complaints.generate import generate as complaints

    return generate_installed_base(scale, then=[(complaints, 18)])


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    from mdss.complaints.models import Complaint

    scale = 5 if ctx.quick else 100
    generated = _generate(scale)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results = _queues(ctx)
    results[0].note += f"; {Complaint.objects.count():,} complaints; generated in {generated:.0f} s"
    return results


def _queues(ctx) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.accounts.services import api_token_create

    people = User.objects.filter(username__startswith="gen-").order_by("pk")
    quality = list(people.filter(groups__name=roles.QUALITY)[:2])
    manager = list(people.filter(groups__name=roles.SERVICE_MANAGER)[:1])
    results = []
    for label, users, path, api in (
        ("complaints: the queue, quality (API)", quality, "/api/v1/complaints", True),
        ("complaints: the queue, a service manager (API)", manager, "/api/v1/complaints", True),
        ("complaints: the queue page, quality", quality, "/complaints/", False),
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        headers = []
        for user in users:
            if api:
                token = api_token_create(user=user, name="bench-complaints", actor=user)[1]
                headers.append({"HTTP_AUTHORIZATION": f"Bearer {token}"})
            else:
                client.force_login(user)
                headers.append({})
        timings, counts = [], set()
        for n in range(100 if ctx.quick else 300):
            auth = headers[n % len(headers)]
            if n < len(headers):
                client.get(path, **auth)  # warm the token's last use, the caches
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
                f"p50 {statistics.median(timings):.1f} ms; queries {sorted(counts)}",
            )
        )
    return results
