"""Bad input stops at the door, with a 4xx naming the field, never a 500.

Two nets under every form, schema and import, so a rule forgotten in one of them
still cannot reach the database:

- ``BadInputMiddleware``: a NUL character anywhere in the query, the form or the JSON
  body (PostgreSQL refuses them in text), an integer beyond 64 bits (SQLite and
  PostgreSQL overflow), and a multipart body without its boundary are refused with
  400 before any view runs.
- ``check_columns``: before a row of ours is saved, every value must fit its column:
  text within ``max_length`` (free text within ``MDSS_MAX_TEXT``), no NUL, decimals
  within their digits, integers within the column's range, dates within 1900–2199.
  Connected to ``pre_save`` for every model of the project, and called by imports
  (which save in bulk); it raises ``ValidationFailed`` naming the field, so the
  transaction rolls back and nothing is half-written.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, models
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import FieldError, ValidationFailed

INT64 = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2199


# --- the request --------------------------------------------------------------------


def _walk(value, path: str):
    """(path, problem) for the first NUL or oversized integer in parsed JSON."""
    if isinstance(value, str):
        if "\x00" in value:
            return path, "nul"
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int):
        if abs(value) > INT64:
            return path, "int64"
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return path, "number"
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return f"{path}.{key}".strip("."), "nul"
            found = _walk(item, f"{path}.{key}".strip("."))
            if found:
                return found
    elif isinstance(value, list):
        for n, item in enumerate(value, start=1):
            found = _walk(item, f"{path}.{n}".strip("."))
            if found:
                return found
    return None


def _plain_problem(name: str, value: str):
    if "\x00" in name or "\x00" in value:
        return name.replace("\x00", ""), "nul"
    digits = value.strip().lstrip("+-")
    if digits.isascii() and digits.isdigit() and len(digits) > 18 and int(digits) > INT64:
        return name, "int64"
    return None


MESSAGES = {
    "nul": gettext_lazy("Text may not contain the NUL character."),
    "int64": gettext_lazy("This number is too large."),
    "number": gettext_lazy("Not a number."),
    "multipart": gettext_lazy("The upload is malformed (a multipart body needs its boundary)."),
}
SUSPICIOUS_JSON = re.compile(rb"\x00|\\u0000|\d{19,}", re.IGNORECASE)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = self._problem(request)
        if found is not None:
            field, rule = found
            return self._refuse(request, field, rule)
        return self.get_response(request)

    def _problem(self, request):
        for name, values in request.GET.lists():
            for value in values:
                found = _plain_problem(name, value)
                if found:
                    return found
        if request.method not in {"POST", "PUT", "PATCH"}:
            return None
        content_type = request.content_type or ""
        if content_type.startswith("multipart/") or content_type.endswith("urlencoded"):
            try:
                form = request.POST
            except MultiPartParserError:
                return "__all__", "multipart"
            for name, values in form.lists():
                for value in values:
                    found = _plain_problem(name, value)
                    if found:
                        return found
        elif content_type.endswith("json") and request.body:
            body = request.body
            if SUSPICIOUS_JSON.search(body):
                try:
                    parsed = json.loads(body)
                except (ValueError, UnicodeDecodeError):
                    return None  # the API answers invalid JSON itself
                return _walk(parsed, "")
        return None

    @staticmethod
    def _refuse(request, field, rule):
        message = str(MESSAGES[rule])
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "validation_error",
                    "message": message,
                    "errors": [{"field": field or "__all__", "rule": rule, "message": message}],
                    "request_id": getattr(request, "request_id", ""),
                },
                status=400,
            )
        error = ValidationFailed(message, errors=[FieldError(field or "__all__", rule, message)])
        return render(request, "error.html", {"error": error}, status=400)


# --- the row ------------------------------------------------------------------------


def _fail(field, rule, message):
    raise ValidationFailed.single(field.name, rule, message)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


# What each column of a model can hold, worked out once per model and database kind
# (every save of the project runs this check: looking the fields' types up on each
# call cost more than the checks themselves).
_JSON, _DECIMAL, _INTEGER, _OTHER = range(4)
_column_plans: dict[tuple[type, str], list[tuple]] = {}


def _column_plan(model: type[models.Model]) -> list[tuple]:
    key = (model, connection.vendor)
    plan = _column_plans.get(key)
    if plan is None:
        plan = []
        for field in model._meta.concrete_fields:
            if field.primary_key or isinstance(field, models.FileField):
                continue
            low = high = whole = None
            if isinstance(field, models.JSONField):
                kind = _JSON
            elif isinstance(field, models.DecimalField):
                kind, whole = _DECIMAL, field.max_digits - field.decimal_places
            elif isinstance(field, models.IntegerField):
                kind = _INTEGER
                low, high = connection.ops.integer_field_range(field.get_internal_type())
            else:
                kind = _OTHER
            plan.append((field, field.attname, kind, field.max_length, low, high, whole))
        _column_plans[key] = plan
    return plan


def check_columns(instance: models.Model) -> None:
    """Raise ValidationFailed for the first value of ``instance`` its column cannot hold."""
    for field, attname, kind, max_length, low, high, whole in _column_plan(type(instance)):
        value = getattr(instance, attname, None)
        if value is None:
            continue
        if kind == _JSON:
            if _has_nul(value):
                _fail(field, "nul", _("Text may not contain the NUL character."))
        elif isinstance(value, str):
            if "\x00" in value:
                _fail(field, "nul", _("Text may not contain the NUL character."))
            limit = max_length or settings.MDSS_MAX_TEXT
            if len(value) > limit:
                _fail(
                    field,
                    "max_length",
                    _("At most %(n)s characters (this has %(m)s).") % {"n": limit, "m": len(value)},
                )
        elif kind == _DECIMAL and isinstance(value, Decimal):
            if not value.is_finite():
                _fail(field, "decimal", _("Not a number."))
            if abs(value) >= Decimal(10) ** whole:
                _fail(
                    field,
                    "max_digits",
                    _("At most %(n)s digits before the decimal point.") % {"n": whole},
                )
        elif kind == _INTEGER and isinstance(value, int):
            if (low is not None and value < low) or (high is not None and value > high):
                _fail(field, "range", _("This number is out of range."))
        elif isinstance(value, date | datetime) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            _fail(
                field,
                "date_range",
                _("A date between %(a)s and %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR},
            )


def guard_before_save(sender, instance, raw=False, **kwargs):
    if raw or not sender.__module__.startswith(("mdss.", "tests.")):
        return
    check_columns(instance)
