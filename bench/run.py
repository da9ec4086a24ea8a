#!/usr/bin/env python
"""`make bench`: run every bench/bench_*.py and print one table.

Each module has ``run(ctx) -> list[Result]``. Figures depend on the machine: the
table's first lines say which, and docs/benchmarks.md records them. Targets are
stated in the module that measures them.

    python bench/run.py [--only NAME] [--quick]
"""

import argparse
import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # also for the gunicorn it starts
os.environ.setdefault("MDSS_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("MDSS_TESTING", "0")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="run the modules whose name contains this")
    parser.add_argument("--quick", action="store_true", help="shorter runs (smoke test)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench.common import Context, format_table

    call_command("migrate", run_syncdb=True, verbosity=0)
    ctx = Context(root=ROOT, quick=args.quick, database=settings.DATABASES["default"]["ENGINE"])
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    results = []
    for name in modules:
        if args.only and args.only not in name:
            continue
        module = importlib.import_module(f"bench.{name}")
        results += module.run(ctx)
    print(
        f"machine: {platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · "
        f"database {ctx.database.rsplit('.', 1)[-1]}"
    )
    print(format_table(results))
    return 1 if any(r.verdict == "MISSED" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
