"""Amounts typed by people or sent by other systems: one parser, so "12,800" or
"NaN" is refused the same way everywhere."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import ValidationFailed

CENT = Decimal("0.01")


def to_decimal(value, places: Decimal | None = CENT) -> Decimal | None:
    """``value`` as a finite Decimal rounded half up (四舍五入) to ``places``, or None
    if it is not one."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite():
        return None
    return number.quantize(places, rounding=ROUND_HALF_UP) if places is not None else number


def positive_amount(value, field: str) -> Decimal:
    """An amount in yuan above 0, or a field error naming ``field``."""
    amount = to_decimal(value)
    if amount is None or amount <= 0:
        raise ValidationFailed.single(field, "min_value", _("An amount above 0, in yuan."))
    return amount
