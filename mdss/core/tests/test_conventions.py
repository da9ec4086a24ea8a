"""Conventions the code base keeps (STYLE.md): state changes only in services.

The code is parsed (AST), so a write split over several lines — a multi-line
``create(…, status=…)`` — is caught like a one-line assignment."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Calls that write rows; ``filter(status=…)`` or ``Q(status=…)`` only read.
WRITES = {
    "update",
    "create",
    "update_or_create",
    "get_or_create",
    "audited_update",
    "bulk_create",
}


def _python_files():
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        # Synthetic benchmark data is bulk-inserted on purpose; the training demo writes
        # a past year's sessions and assessments with their states directly (the only
        # demo that does; the others go through services).
        if parts & {"tests", "migrations", "services"} or path.name in {
            "services.py",
            "generate.py",
        }:
            continue
        if path.relative_to(ROOT).as_posix() == "training/demo.py":
            continue
        yield path


def status_writes(source: str) -> list[int]:
    """Line numbers where ``source`` assigns a ``status`` or writes one in a call."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(element, ast.Attribute) and element.attr == "status":
                    lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and any(keyword.arg == "status" for keyword in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_status_is_assigned_only_in_services():
    offenders = []
    for path in _python_files():
        source = path.read_text(encoding="utf-8")
        for number in status_writes(source):
            line = source.splitlines()[number - 1].strip()
            offenders.append(f"{path.relative_to(ROOT)}:{number}: {line}")
    assert offenders == [], "state changes belong in services:\n" + "\n".join(offenders)


def test_the_convention_check_catches_what_lines_would_miss():
    assert status_writes("clock.status = ClockStatus.MET") == [1]
    assert status_writes("a.status, a.signed_on = 'x', today") == [1]
    assert status_writes('Notification.objects.filter(pk=1).update(status="sent")') == [1]
    multi_line = "Contract.objects.create(\n    number='x',\n    status='signed',\n)"
    assert status_writes(multi_line) == [1]
    assert status_writes("if clock.status == ClockStatus.MET:\n    pass") == []
    assert status_writes("rows.filter(Q(status=ClockStatus.RUNNING))") == []


def test_query_counting_in_tests_goes_through_core_testing():
    """One fixed-query-count helper (core.testing), not a copy per test file."""
    copies = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.name != "testing.py"
        and path.name != "test_conventions.py"
        and ("CaptureQueriesContext" in (text := path.read_text()) or "def _queries(" in text)
    ]
    assert copies == []
