"""The unified social credit code (统一社会信用代码, GB 32100-2015)."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The 31 characters of the code (I, O, S, V and Z are not used), in value order.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18 or any(c not in CHARSET for c in code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters (digits and capital letters "
                "except I, O, S, V, Z)."
            ),
            code="credit_code_format",
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character of this credit code is wrong (expected %(expected)s)."),
            code="credit_code_check",
            params={"expected": expected},
        )


# Mainland mobile numbers (11 digits from 13…19) and landlines with an area code
# (010-12345678, 0571-8765432, optional extension). Spaces and +86 are tolerated.
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_phone(value: str) -> str:
    text = (value or "").strip().replace(" ", "").replace("（", "(").replace("）", ")")
    text = re.sub(r"^\+?86-?", "", text)
    return text.replace("(", "").replace(")", "-").strip("-")


def validate_phone(value: str) -> None:
    text = normalise_phone(value)
    if text and not (MOBILE.match(text) or LANDLINE.match(text)):
        raise ValidationError(
            _(
                "Not a phone number: a mobile has 11 digits starting with 13–19, a landline "
                "an area code such as 010-12345678."
            ),
            code="phone_format",
        )


def name_key(name: str) -> str:
    """A customer name reduced for duplicate checks: width, case, spaces and brackets."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    return re.sub(r"[\s()\[\]（）【】·,，.。\-—_]", "", text)
