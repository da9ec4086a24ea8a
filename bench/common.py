"""What benchmarks share: the result row, the table, a gunicorn server, the loader."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen


@dataclass
class Context:
    root: Path
    quick: bool
    database: str


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: str = ""
    verdict: str = ""  # "met", "MISSED" or "" (no target)
    note: str = ""


def format_table(results: list[Result]) -> str:
    header = ("benchmark", "figure", "unit", "target", "verdict", "note")
    rows = [header] + [
        (r.name, f"{r.value:,.1f}", r.unit, r.target, r.verdict, r.note) for r in results
    ]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines = []
    for i, row in enumerate(rows):
        lines.append(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if i == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(ctx: Context, workers: int = 2, threads: int = 4, worker_class: str = "gthread"):
    """The project under gunicorn on a free loopback port; yields the base URL.

    ``worker_class="sync"`` ignores ``threads`` (one request at a time per worker)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ctx.root)}
    threading = ["--threads", str(threads)] if worker_class == "gthread" else []
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mdss.wsgi",
            "-w",
            str(workers),
            "-k",
            worker_class,
            *threading,
            "--backlog",
            "512",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ctx.root,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def load(
    ctx: Context,
    url: str,
    *,
    method: str = "GET",
    seconds: float = 5.0,
    concurrency: int = 8,
    headers: dict[str, str] | None = None,
    body: str = "",
    tool: str = "python",
) -> dict:
    """Load ``url`` from a second process; return its figures (requests, errors,
    seconds, rps, p50_ms, p99_ms).

    ``tool="wrk"`` uses wrk (written in C: the load generator takes less of the two
    cores than a Python one) when it is installed, else bench/loader.py."""
    if ctx.quick:
        seconds = min(seconds, 1.0)
    if tool == "wrk" and shutil.which("wrk"):
        return _wrk(url, method, seconds, concurrency, headers or {}, body)
    extra = []
    for name, value in (headers or {}).items():
        extra += ["--header", f"{name}: {value}"]
    if body:
        extra += ["--body", body]
    out = subprocess.run(
        [
            sys.executable,
            str(ctx.root / "bench" / "loader.py"),
            url,
            "--method",
            method,
            "--seconds",
            str(seconds),
            "--concurrency",
            str(concurrency),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


_WRK_SCRIPT = """
wrk.method = %(method)s
wrk.body = %(body)s
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%%d,"errors":%%d,"seconds":%%.2f,"rps":%%.1f,"p50_ms":%%.2f,"p99_ms":%%.2f}\\n',
    summary.requests, errors, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for ASCII


def _wrk(url, method, seconds, concurrency, headers, body) -> dict:
    assert url.startswith(("http://127.0.0.1", "http://localhost")), "loopback only"
    script = _WRK_SCRIPT % {
        "method": _lua(method),
        "body": _lua(body) if body else "nil",
        "headers": "\n".join(f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items()),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(min(2, concurrency)),
                "-c",
                str(concurrency),
                "-d",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                handle.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(handle.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentile(samples, p):
    """The p-th percentile of the timings (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def generate_installed_base(scale: int, *, then=()) -> float:
    """The data most benchmarks stand on, made by the apps' generators with fixed
    seeds: people, the catalog, the customers (without their activities, the customers
    benchmark's business) and the installed base; then each ``(generate, seed)`` of
    ``then`` (contracts, service, complaints …). Returns the seconds it took."""
    import io
    import random

    from mdss.accounts.generate import generate as people
    from mdss.catalog.generate import generate as catalog
    from mdss.core.reference import load_reference_data
    from mdss.customers.generate import _customers
    from mdss.customers.models import Customer
    from mdss.devices.generate import generate as devices

    load_reference_data()
    out = io.StringIO()
    started = time.perf_counter()
    people(scale=scale, rng=random.Random(1), stdout=out)
    catalog(scale=scale, rng=random.Random(2), stdout=out)
    have = Customer.objects.filter(name__startswith="gen-").count()
    if have < 2000 * scale:
        _customers(have, 2000 * scale, random.Random(3))
    devices(scale=scale, rng=random.Random(4), stdout=out)
    for generate, seed in then:
        generate(scale=scale, rng=random.Random(seed), stdout=out)
    return time.perf_counter() - started
