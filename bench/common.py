"""What benchmarks share: the result row, the table, a gunicorn server, the loader."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
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
def gunicorn(ctx: Context, workers: int = 2, threads: int = 4):
    """The project under gunicorn on a free loopback port; yields the base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ctx.root)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mdss.wsgi",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
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
    ctx: Context, url: str, *, method: str = "GET", seconds: float = 5.0, concurrency: int = 8
) -> dict:
    """Run bench/loader.py in a second process against ``url``; return its figures."""
    if ctx.quick:
        seconds = min(seconds, 1.0)
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
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
