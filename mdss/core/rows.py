"""API list pages as plain rows: ``values()`` in the database, a plain pydantic model
in the response.

A 50-row page built from model instances and a ninja ``Schema`` spent most of its time
outside the database: a model instance per row and related row (200 for customers
with city, province and rep), then a ``DjangoGetter`` and a resolver call per field
(issue 14 §6, docs/benchmarks.md). A list endpoint whose rows are flat instead
returns ``Rows(queryset, columns)`` — the page is read with ``values(*columns)``, the
count from the filtered queryset as it is (no joins the columns would add) — and
declares ``row_model(DetailOut, name, computed=...)``: a plain pydantic model with the
detail schema's fields that validates dicts directly; a field the detail computes
from related rows (``str(region)``, a person's name) is computed from the row's
columns by the same function the model uses. The document keeps the same fields
and types; a test per list compares each row with the detail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, QuerySet, Window
from pydantic import BaseModel, Field, create_model, model_validator

TOTAL = "_rows_total"


class Rows:
    """What a list endpoint returns for ``core.api.PageNumberPagination``: slicing
    reads that page's ``columns`` as dicts, each row also carrying the size of the
    whole filtered set (``COUNT(*) OVER ()``), so ``count()`` after a page costs no
    second query; only a page past the end asks ``queryset.count()``."""

    def __init__(self, queryset: QuerySet, columns: tuple[str, ...]):
        self.queryset = queryset
        self.columns = columns
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __getitem__(self, page: slice) -> list[dict]:
        rows = list(
            self.queryset.values(*self.columns).annotate(**{TOTAL: Window(Count("pk"))})[page]
        )
        for row in rows:
            self._count = row.pop(TOTAL)
        return rows


def row_model(
    schema: type[BaseModel],
    name: str,
    computed: dict[str, Callable[[dict], Any]] | None = None,
) -> type[BaseModel]:
    """A plain pydantic model named ``name`` with ``schema``'s fields (types, defaults,
    descriptions), read from dict keys; ``computed`` gives, for a field no column
    holds, the function of the row that makes it."""
    fields = {
        field_name: (
            info.annotation,
            Field(... if info.is_required() else info.default, description=info.description),
        )
        for field_name, info in schema.model_fields.items()
    }
    validators = {}
    if computed:

        def compute(cls, row):
            if isinstance(row, dict):
                row = {**row, **{field: make(row) for field, make in computed.items()}}
            return row

        validators["compute"] = model_validator(mode="before")(classmethod(compute))
    return create_model(name, __module__=schema.__module__, __validators__=validators, **fields)
