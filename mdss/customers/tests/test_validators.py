import pytest
from django.core.exceptions import ValidationError

from mdss.customers.validators import name_key, normalise_phone, validate_phone


@pytest.mark.parametrize(
    "phone",
    ["13800138000", "+86 138 0013 8000", "010-12345678", "0571-8765432", "021-64041990-8021", ""],
)
def test_mobiles_and_landlines_with_area_codes_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone", ["12800138000", "1380013800", "138001380000", "12345678", "010-123", "abc"]
)
def test_other_phone_numbers_are_refused_with_the_rule(phone):
    with pytest.raises(ValidationError) as exc:
        validate_phone(phone)
    assert exc.value.code == "phone_format"


def test_phones_are_stored_without_the_country_code_and_spaces():
    assert normalise_phone("+86 138 0013 8000") == "13800138000"
    assert normalise_phone("（0571）87654321") == "0571-87654321"


def test_the_duplicate_key_ignores_width_spaces_and_brackets():
    assert name_key("杭州市第一人民医院（湖滨院区）") == name_key("杭州市第一人民医院 (湖滨院区)")
    assert name_key("ＡＢＣ 医院") == name_key("abc医院")
    assert name_key("杭州市第一人民医院") != name_key("杭州市第二人民医院")
