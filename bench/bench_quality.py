"""Quality at national scale (issue 19), on about 1,000,000 installed units and
2,000,000 delivered lines (`generate_data --scale 100`'s people, catalog, customers,
devices, contracts and service; `--quick` uses scale 5):

* the trace by lot (`quality.selectors.trace(viewer, lot=…)`, what
  `GET /api/v1/quality/trace?lot=…` answers): every unit of the lot with its
  customer, delivery and contract, and the stock of the same lot; p95 < 100 ms over
  random lots of the installed base, a fixed number of queries;
* the service-quality evaluation of every engineer for a quarter
  (`quality.services.evaluations.evaluation_figures` over 1,000,000 requests, their
  visits, follow-ups and 3,000,000 clocks): < 5 s.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from bench.common import Context, Result, generate_installed_base, percentile

TRACE_TARGET_MS = 100
EVALUATION_TARGET_S = 5.0


def _generate(scale: int) -> float:
    from mdss.contracts.generate import generate as contracts
    from mdss.service.generate import generate as service

    return generate_installed_base(scale, then=[(contracts, 7), (service, 17)])


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    from mdss.contracts.models import DeliveredUnit, DeliveryItem
    from mdss.devices.models import InstalledDevice

    scale = 5 if ctx.quick else 100
    generated = _generate(scale)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results = [*_trace(ctx), *_evaluation(ctx)]
    results[0].note += (
        f"; {InstalledDevice.objects.count():,} units, {DeliveryItem.objects.count():,} "
        f"delivered lines, {DeliveredUnit.objects.count():,} linked; "
        f"data generated in {generated:.0f} s"
    )
    return results


def _quality_user():
    from mdss.accounts import roles
    from mdss.accounts.models import User

    return (
        User.objects.filter(groups__name=roles.QUALITY, username__startswith="gen-")
        .order_by("pk")
        .first()
    )


def _random_lots(count: int, rng) -> list[str]:
    """Lots of units drawn at random from the generated installed base (so a lot is
    drawn as often as it has units: what a recall meets)."""
    from django.db.models import Max, Min

    from mdss.devices.models import InstalledDevice

    generated = InstalledDevice.objects.filter(serial__startswith="GEN-").exclude(lot="")
    bounds = generated.aggregate(low=Min("pk"), high=Max("pk"))
    lots: list[str] = []
    while len(lots) < count:
        pk = rng.randint(bounds["low"], bounds["high"])
        lot = generated.filter(pk__gte=pk).order_by("pk").values_list("lot", flat=True).first()
        if lot:
            lots.append(lot)
    return lots


def _trace(ctx) -> list[Result]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mdss.accounts.services import api_token_create
    from mdss.quality.selectors import trace

    viewer = _quality_user()
    lots = _random_lots(100 if ctx.quick else 300, random.Random(19))
    _token, raw = api_token_create(user=viewer, name="bench-quality", actor=viewer)
    client = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    trace(viewer, lot=lots[0])  # warm the roles' cache
    client.get("/api/v1/quality/trace", {"lot": lots[0]}, **auth)  # and the token's last use
    results = []
    for label, call in (
        ("quality: trace by lot (selectors.trace)", lambda lot: trace(viewer, lot=lot)),
        ("quality: trace by lot (GET /api/v1/quality/trace)",
         lambda lot: client.get("/api/v1/quality/trace", {"lot": lot}, **auth)),
    ):  # fmt: skip
        timings, counts, units = [], set(), []
        for lot in lots:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                answer = call(lot)
                timings.append((time.perf_counter() - started) * 1000)
            counts.add(len(queries))
            if isinstance(answer, dict):
                assert answer["unit_count"] > 0, lot
                units.append(answer["unit_count"])
            else:
                assert answer.status_code == 200, answer.content[:300]
        p95 = percentile(timings, 95)
        sizes = (
            f"; units per lot {min(units)}–{max(units)}, median {statistics.median(units):.0f}"
            if units
            else ""
        )
        results.append(
            Result(
                label,
                p95,
                "ms p95",
                f"< {TRACE_TARGET_MS} ms",
                "met" if p95 < TRACE_TARGET_MS and len(counts) == 1 else "MISSED",
                f"p50 {statistics.median(timings):.1f} ms; queries {sorted(counts)}; "
                f"{len(lots)} random lots{sizes}",
            )
        )
    return results


def _last_quarter(today: date) -> tuple[date, date]:
    """The last whole calendar quarter before ``today``."""
    first_month = (today.month - 1) // 3 * 3 + 1
    end = date(today.year, first_month, 1)
    year, month = (end.year, end.month - 3) if end.month > 3 else (end.year - 1, end.month + 9)
    return date(year, month, 1), end - timedelta(days=1)


def _evaluation(ctx) -> list[Result]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.core.dates import local_today
    from mdss.quality.services.evaluations import evaluation_compute, evaluation_figures
    from mdss.service.models import ServiceRequest

    today = local_today()
    start, end = _last_quarter(today)
    engineers = sorted(
        User.objects.filter(groups__name=roles.SERVICE_ENGINEER).values_list("pk", flat=True)
    )
    actor = _quality_user()
    figures = []
    for _round in range(1 if ctx.quick else 3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            scores = evaluation_figures(engineers, start, end)
            figures.append(time.perf_counter() - started)
    completed = sum(s["figures"]["completed"] for s in scores.values())
    follow_ups = sum(s["figures"]["follow_ups"] for s in scores.values())
    computed = []
    for _round in range(1 if ctx.quick else 3):
        started = time.perf_counter()
        saved = evaluation_compute(actor=actor, period_start=start, period_end=end, today=today)
        computed.append(time.perf_counter() - started)
    quarter = f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"
    requests = ServiceRequest.objects.filter(number__startswith="FW-G").count()
    best_figures, best_compute = min(figures), min(computed)
    return [
        Result(
            "quality: evaluation figures, every engineer, a quarter",
            best_figures,
            "s",
            f"< {EVALUATION_TARGET_S:.0f} s",
            "met" if best_figures < EVALUATION_TARGET_S else "MISSED",
            f"{quarter}: {len(engineers):,} engineers, {completed:,} completed requests, "
            f"{follow_ups:,} follow-ups (of {requests:,} requests); {len(queries)} queries; "
            f"runs {', '.join(f'{t:.2f}' for t in figures)} s",
        ),
        Result(
            "quality: compute the quarter's evaluations (figures + save + audit)",
            best_compute,
            "s",
            f"< {EVALUATION_TARGET_S:.0f} s",
            "met" if best_compute < EVALUATION_TARGET_S else "MISSED",
            f"{len(saved):,} evaluations saved; runs {', '.join(f'{t:.2f}' for t in computed)} s",
        ),
    ]
