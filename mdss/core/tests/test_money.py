from decimal import Decimal

import pytest

from mdss.core.errors import ValidationFailed
from mdss.core.money import positive_amount, to_decimal


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("12800", Decimal("12800.00")),
        (" 0.005 ", Decimal("0.01")),
        (Decimal("3.14159"), Decimal("3.14")),
        (7, Decimal("7.00")),
        ("12,800", None),
        ("NaN", None),
        ("Infinity", None),
        ("", None),
        (None, None),
    ],
)
def test_to_decimal(raw, parsed):
    assert to_decimal(raw) == parsed


def test_positive_amount_names_the_field():
    assert positive_amount("0.01", "amount") == Decimal("0.01")
    for bad in ("0", "-5", "abc", "nan"):
        with pytest.raises(ValidationFailed) as exc:
            positive_amount(bad, "lines.2.amount")
        assert [(e.field, e.rule) for e in exc.value.errors] == [("lines.2.amount", "min_value")]
