"""One clause list: what the form edits, what drafting and amendments accept and what
legal's signature covers are the same set, so no clause escapes legal's signature."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from mdss.audit import esign
from mdss.contracts.choices import CONTRACT_CLAUSES
from mdss.contracts.forms import ContractForm
from mdss.contracts.services import drafting, legal
from mdss.contracts.tests.conftest import PASSWORD


@pytest.fixture
def legal_user(legal):
    return legal


SERVICES = Path(drafting.__file__).parent


def test_the_form_drafting_and_the_signed_terms_name_the_same_clauses(draft):
    signed = legal.terms_snapshot(draft, list(draft.lines.all()))["clauses"]
    assert set(ContractForm().fields) == set(CONTRACT_CLAUSES)
    assert set(drafting.HEADER_FIELDS) == set(CONTRACT_CLAUSES)
    assert set(signed) == set(CONTRACT_CLAUSES)


def test_terms_signed_before_the_type_was_covered_still_verify(draft, legal_user):
    terms = legal.terms_snapshot(draft, list(draft.lines.all()))
    earlier = {**terms, "clauses": {k: v for k, v in terms["clauses"].items() if k != "kind"}}
    signature = esign.sign(
        signer=legal_user, password=PASSWORD, meaning="test", obj=draft, content=earlier
    )
    assert legal.terms_still_signed(signature, terms)
    changed = {**terms, "clauses": {**terms["clauses"], "tax_rate": "6.00"}}
    assert not legal.terms_still_signed(signature, changed)
    assert not legal.terms_still_signed(None, terms)


def _service_imports(module: str) -> set[str]:
    tree = ast.parse((SERVICES / f"{module}.py").read_text())
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }


def test_review_and_amendments_do_not_import_each_other_for_legal_steps():
    assert "review" not in _service_imports("amendments")
    assert "amendments" not in _service_imports("legal")
    assert "review" not in _service_imports("legal")


def test_each_contract_service_module_imports_on_its_own():
    """A fresh interpreter imports each module first (no circular import to hide)."""
    for name in ("legal", "review", "amendments", "drafting"):
        code = (
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mdss.settings');"
            f"django.setup(); import importlib; importlib.import_module('mdss.contracts.services.{name}')"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, (name, result.stderr[-2000:])
    assert importlib.import_module("mdss.contracts.services.legal").REVIEW_CLOCK
