"""The resident identity card number (公民身份号码, GB 11643-1999) on authorisations."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def id_check_character(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    text = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValidationError(
            _("An identity card number has 17 digits and a check digit or X."),
            code="id_format",
        )
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("The birth date in this identity card number does not exist."), code="id_birth"
        ) from exc
    if text[17] != id_check_character(text[:17]):
        raise ValidationError(
            _("The check digit of this identity card number is wrong."), code="id_check"
        )
