"""One Decision type for every gate (catalog, customers, training, contracts)."""

import ast
from pathlib import Path

import mdss
from mdss.core.decisions import Decision, Reason


def test_a_decision_without_reasons_is_yes():
    assert Decision().ok


def test_a_refused_decision_lists_every_reason_as_field_errors():
    decision = Decision()
    decision.refuse("certificate_expired", "注册证 X 已于 2026-01-31 过期")
    decision.refuse("licence_missing", "生产许可证缺失")
    assert not decision.ok
    errors = decision.field_errors("lines.1.model", wrap=lambda why: f"Line 1: {why}")
    assert [(e.field, e.rule) for e in errors] == [
        ("lines.1.model", "certificate_expired"),
        ("lines.1.model", "licence_missing"),
    ]
    assert errors[0].message == "Line 1: 注册证 X 已于 2026-01-31 过期"


def test_an_override_lets_it_pass_and_keeps_the_reasons():
    decision = Decision([Reason("no_competence", "没有证书")])
    decision.override("override by 王经理: 紧急维修")
    assert decision.ok and decision.overridden and decision.reasons
    assert decision.basis.startswith("override")


def test_no_app_defines_its_own_reason_or_decision_type():
    """The gates' result types derive from core's Decision; none copies it."""
    root = Path(mdss.__file__).parent
    copies = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "decisions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and node.name in {"Reason", "Decision"}:
                copies.append(f"{path.relative_to(root)}:{node.lineno}")
    assert copies == []
