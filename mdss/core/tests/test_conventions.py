"""Conventions the code base keeps (STYLE.md): state changes only in services."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# `obj.status = …` and bulk writes that set a status; reads such as
# filter(status=…) or Q(status=…) are fine anywhere.
ASSIGNMENT = re.compile(r"\.status\s*=(?!=)")
BULK_WRITE = re.compile(
    r"\b(update|create|update_or_create|get_or_create|audited_update)\([^)]*\bstatus\s*="
)


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
            if ASSIGNMENT.search(code) or BULK_WRITE.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "state changes belong in services.py:\n" + "\n".join(offenders)


def test_the_convention_check_catches_an_assignment(tmp_path):
    assert ASSIGNMENT.search("    clock.status = ClockStatus.MET")
    assert BULK_WRITE.search('Notification.objects.filter(pk=1).update(status="sent")')
    assert not ASSIGNMENT.search("if clock.status == ClockStatus.MET:")
    assert not BULK_WRITE.search("rows.filter(Q(status=ClockStatus.RUNNING))")
