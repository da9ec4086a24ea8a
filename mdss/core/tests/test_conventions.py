"""Conventions the code base keeps (STYLE.md): state changes only in services."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python_files():
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        # Synthetic benchmark data (generate.py) is bulk-inserted on purpose.
        if parts & {"tests", "migrations", "services"} or path.name in {
            "services.py",
            "generate.py",
        }:
            continue
        yield path


def test_status_is_assigned_only_in_services():
    offenders = []
    for path in _python_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if (
                re.search(r"\.status\s*=(?!=)", code)
                or re.search(r"\bstatus\s*=\s*\w+Status\.", code)
                and "filter(" not in code
                and "default=" not in code
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "state changes belong in services.py:\n" + "\n".join(offenders)
