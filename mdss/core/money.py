"""Amounts typed by people or sent by other systems: one parser, so "12,800" or
"NaN" is refused the same way everywhere."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import ValidationFailed

CENT = Decimal("0.01")
# Money columns hold 14 digits, 2 after the point: below a trillion yuan.
MAX_AMOUNT = Decimal("999999999999.99")


def to_decimal(value, places: Decimal | None = CENT) -> Decimal | None:
    """``value`` as a finite Decimal rounded half up (四舍五入) to ``places``, or None
    if it is not one (or too large to be one: ``1e308`` stays a refusal, not a crash)."""
    text = str(value).strip()
    if len(text) > 40:
        return None
    try:
        number = Decimal(text)
        if not number.is_finite() or abs(number) > MAX_AMOUNT * 1000:
            return None
        return number.quantize(places, rounding=ROUND_HALF_UP) if places is not None else number
    except (InvalidOperation, TypeError, ValueError):
        return None


def positive_amount(value, field: str) -> Decimal:
    """An amount in yuan above 0 and within what a money column holds, or a field
    error naming ``field``."""
    amount = to_decimal(value)
    if amount is None or amount <= 0 or amount > MAX_AMOUNT:
        too_large = amount is not None and amount > MAX_AMOUNT or to_decimal(value, None) is None
        raise ValidationFailed.single(
            field,
            "max_value" if too_large and amount is not None else "min_value",
            _("An amount above 0 and below 1,000,000,000,000 yuan."),
        )
    return amount
