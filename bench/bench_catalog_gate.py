"""The compliance gate for 10,000 models in one call (issue 4): under 1 s, a fixed
number of queries (four, whatever the number of models)."""

import io
import random
import time

from bench.common import Context, Result

TARGET_SECONDS = 1.0


def run(ctx: Context) -> list[Result]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mdss.catalog import compliance
    from mdss.catalog.generate import generate
    from mdss.catalog.models import ProductModel
    from mdss.core.dates import local_today

    generate(scale=100, rng=random.Random(4), stdout=io.StringIO())
    ids = list(
        ProductModel.objects.filter(product__name__startswith="gen-").values_list("pk", flat=True)[
            :10_000
        ]
    )
    today = local_today()
    best = float("inf")
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            results = compliance.check_models(ids, today)
            best = min(best, time.perf_counter() - started)
    refused = sum(not r.ok for r in results.values())
    return [
        Result(
            "catalog: compliance gate, 10,000 models",
            best,
            "s",
            f"< {TARGET_SECONDS} s",
            "met" if best < TARGET_SECONDS else "MISSED",
            f"{len(queries)} queries, {refused} refused, best of 3",
        )
    ]
