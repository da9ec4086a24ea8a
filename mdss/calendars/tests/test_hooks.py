"""The seam other apps use for clocks (calendars.hooks), and the rule that keeps them on it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_outside_calendars_reads_the_clock_tables():
    """Apps ask calendars.hooks / selectors / services; only calendars imports its models."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("calendars/") or "/tests/" in relative or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in {
                "mdss.calendars.models",
                "calendars.models",
            }:
                offenders.append(f"{relative}:{node.lineno}")
            elif isinstance(node, ast.ImportFrom) and node.module == "mdss.calendars":
                if any(alias.name == "models" for alias in node.names):
                    offenders.append(f"{relative}:{node.lineno}")
            elif isinstance(node, ast.Import) and any(
                alias.name == "mdss.calendars.models" for alias in node.names
            ):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []
