from decimal import Decimal

import pytest

from mdss.core.pdf import rmb_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("100.5", "壹佰元伍角整"),
        ("1001", "壹仟零壹元整"),
        ("10010", "壹万零壹拾元整"),
        ("105000", "壹拾万伍仟元整"),
        ("1000001", "壹佰万零壹元整"),
        ("1020304", "壹佰零贰万零叁佰零肆元整"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("0.05", "伍分"),
        ("10.05", "壹拾元零伍分"),
        ("100000000", "壹亿元整"),
        ("100010000", "壹亿零壹万元整"),
    ],
)
def test_amounts_in_capital_numerals(amount, words):
    assert rmb_in_words(Decimal(amount)) == words
