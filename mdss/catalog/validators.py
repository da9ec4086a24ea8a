"""Field rules of the catalog shared by the pages, the API and the Excel import."""

import re

from biip.checksums import gs1_standard_check_digit
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _

# Half a century: more than any device's warranty, and it keeps dates computable.
MAX_WARRANTY_MONTHS = 600
MAX_SERVICE_LIFE_YEARS = 50

warranty_months_validator = MaxValueValidator(MAX_WARRANTY_MONTHS)
service_life_validator = MaxValueValidator(MAX_SERVICE_LIFE_YEARS)

# ASCII only: str.isdigit() would also take full-width digits (０１２…).
GTIN = re.compile(r"[0-9]{8}|[0-9]{12,14}")
# HIBC primary data: "+", the labeler code (a letter and three alphanumerics), the
# product code (1–18 alphanumerics) and the unit-of-measure digit.
HIBC_DI = re.compile(r"\+[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]")


def di_problem(di: str) -> str | None:
    """Why ``di`` is not a UDI-DI (a GS1 GTIN with its check digit, or an HIBC
    labeler + product code), or None."""
    if GTIN.fullmatch(di):
        if str(gs1_standard_check_digit(di[:-1])) != di[-1]:
            return _("GTIN %(di)s has a wrong check digit.") % {"di": di}
        return None
    if HIBC_DI.fullmatch(di):
        return None
    return _(
        "%(di)s is not a UDI-DI: a GS1 GTIN of 8, 12, 13 or 14 digits, or an HIBC code "
        "such as +A123BJC5D6E71."
    ) % {"di": di[:60]}


def validate_di(value: str) -> None:
    problem = di_problem(value)
    if problem:
        raise ValidationError(problem, code="udi_di")
