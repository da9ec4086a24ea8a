"""The bare baseline: the cheapest endpoints that insert or read one row, under
gunicorn (2 workers × 4 threads), loaded from a second process on 127.0.0.1.

Later benchmarks state their targets as ratios to these figures from the same run.
"""

from urllib.request import Request, urlopen

from bench.common import Context, Result, gunicorn, load

BASELINE: dict[str, float] = {}  # filled here, read by later benchmarks in the same run


def run(ctx: Context) -> list[Result]:
    results = []
    with gunicorn(ctx) as base:
        first = urlopen(Request(f"{base}/bench/insert", method="POST"), timeout=5).read()
        row_id = int(first.decode().split(":")[1].strip(" }"))
        read = load(ctx, f"{base}/bench/read/{row_id}")
        insert = load(ctx, f"{base}/bench/insert", method="POST")
    for label, figures in (("baseline: read one row", read), ("baseline: insert one row", insert)):
        BASELINE[label] = figures["rps"]
        results.append(
            Result(
                label,
                figures["rps"],
                "req/s",
                note=f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, "
                f"errors {figures['errors']}",
            )
        )
    return results
