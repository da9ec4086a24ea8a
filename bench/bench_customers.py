"""Customers at national scale (issue 5), with 200,000 customers and 2,000,000
activities (`generate_data --scale 100`; `--quick` uses scale 5):

* the customer list filtered by province and overdue visit, as management sees it
  (every customer in scope) and as a sales manager sees it: p95 < 100 ms, and a
  fixed number of queries whatever the page;
* the same list from the API;
* importing 100,000 customers from .xlsx: < 60 s (`--quick`: 5,000 rows).
"""

import io
import random
import statistics
import time

from bench.common import Context, Result, percentile

LIST_TARGET_MS = 100
IMPORT_TARGET_S = 60


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    from mdss.accounts.generate import generate as people
    from mdss.core.reference import load_reference_data
    from mdss.customers.generate import generate as customers

    load_reference_data()
    scale = 5 if ctx.quick else 100
    people(scale=scale, rng=random.Random(1), stdout=io.StringIO())
    customers(scale=scale, rng=random.Random(5), stdout=io.StringIO())
    with connection.cursor() as cursor:
        # Freshly bulk-loaded tables: statistics and the visibility map (index-only
        # counts), as autovacuum would have them in production.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results = _list(ctx)
    results.append(_import(ctx, 5_000 if ctx.quick else 100_000))
    return results


def _list(ctx):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mdss.accounts import roles
    from mdss.accounts.models import Region, User
    from mdss.customers.models import Customer

    management = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", None
    )
    manager = User.objects.filter(
        groups__name=roles.SALES_MANAGER, username__startswith="gen-"
    ).first()
    # The manager leads the department of the generated reps (a national sales team).
    provinces = list(
        Region.objects.filter(
            level="province", pk__in=Customer.objects.values("province_id")[:2000]
        )
    )
    rng = random.Random(7)
    rounds = 60 if ctx.quick else 200
    results = []
    for who, user in (("management", management), ("sales manager", manager)):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for kind, url in (("page", "/customers/"), ("API", "/api/v1/customers")):
            # Warm-up: per-process caches (region choices, a manager's reps) as a running
            # server has them.
            client.get(url, {"province": provinces[0].pk, "visit": "overdue"})
            timings, counts = [], set()
            for _ in range(rounds):
                province = rng.choice(provinces).pk
                page = rng.choice([1, 1, 1, 2, 3])
                params = {"province": province, "visit": "overdue", "page": page}
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
                counts.add(len(queries))
            p95 = percentile(timings, 95)
            results.append(
                Result(
                    f"customers: {kind} list, province + overdue, {who}",
                    p95,
                    "ms p95",
                    f"< {LIST_TARGET_MS} ms",
                    "met" if p95 < LIST_TARGET_MS and len(counts) == 1 else "MISSED",
                    f"p50 {statistics.median(timings):.1f} ms; queries per request "
                    f"{sorted(counts)}; {Customer.objects.count():,} customers; {rounds} requests",
                )
            )
    return results


def _import(ctx, rows):
    from openpyxl import Workbook

    from mdss.accounts.models import Region, User
    from mdss.customers import excel
    from mdss.customers.models import Customer

    actor = User.objects.filter(is_superuser=True).first()
    reps = list(
        User.objects.filter(username__startswith="gen-").values_list("username", flat=True)[:500]
    )
    cities = list(Region.objects.filter(level="city").select_related("parent")[:300])
    Customer.objects.filter(name__startswith="bench-import-").delete()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(excel.COLUMNS)
    kinds = list(excel.KINDS)
    for n in range(rows):
        city = cities[n % len(cities)]
        kind = kinds[n % len(kinds)]
        row = dict.fromkeys(excel.COLUMNS)
        row.update(
            {
                "客户名称": f"bench-import-{n:07d}",
                "客户类型": kind,
                "医院等级": "二级" if kind == "公立医院" else None,
                "省份": city.parent.name,
                "城市": city.name,
                "负责销售": reps[n % len(reps)],
                "关注科室": "心内科、ICU",
            }
        )
        sheet.append([row[c] for c in excel.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    started = time.perf_counter()
    created = excel.import_customers(content, actor=actor)
    elapsed = time.perf_counter() - started
    Customer.objects.filter(name__startswith="bench-import-").delete()
    target = IMPORT_TARGET_S * rows / 100_000
    return Result(
        f"customers: import {rows:,} rows from .xlsx",
        elapsed,
        "s",
        f"< {target:g} s",
        "met" if elapsed < target and created == rows else "MISSED",
        f"{len(content) / 1e6:.1f} MB file, checked then written in one transaction",
    )
