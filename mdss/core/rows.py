"""API list pages as plain rows: ``values()`` in the database, a plain pydantic model
in the response.

A 50-row page built from model instances and a ninja ``Schema`` spent most of its time
outside the database: a model instance per row and related row (200 for customers
with city, province and rep), then a ``DjangoGetter`` and resolver call per field
(issue 14 §6, docs/benchmarks.md). A list endpoint whose rows are flat instead
selects exactly the output's columns with ``values()`` — labels the detail schema
computes in Python (``str(region)``, a person's display name) computed in SQL — and
declares ``row_model(DetailOut)``, a plain pydantic model with the same fields,
which validates dicts directly. The document keeps the same fields and types.
"""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from pydantic import BaseModel, Field, create_model


def row_model(schema: type[BaseModel], name: str, renamed: dict[str, str] | None = None):
    """A plain pydantic model named ``name`` with ``schema``'s fields (types, defaults,
    descriptions), read from dict keys; ``renamed`` maps a field to the key that holds
    it in the row (a label computed in SQL cannot take a model field's name)."""
    renamed = renamed or {}
    fields = {
        field_name: (
            info.annotation,
            Field(
                ... if info.is_required() else info.default,
                description=info.description,
                validation_alias=renamed.get(field_name),
            ),
        )
        for field_name, info in schema.model_fields.items()
    }
    return create_model(name, __module__=schema.__module__, **fields)


def person_label(prefix: str):
    """SQL for ``User.display_name`` of the user at ``prefix`` (e.g. ``"owner__"``):
    full name, else first and last name, else user name."""
    first_last = Trim(Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name"))
    return Coalesce(
        NullIf(f"{prefix}full_name", Value("")),
        NullIf(first_last, Value("")),
        F(f"{prefix}username"),
        output_field=CharField(),
    )


def region_label(prefix: str):
    """SQL for ``str(region)`` of the region at ``prefix`` (e.g. ``"region__"``): a
    city with its province's name before it, any other region by its name."""
    return Case(
        When(
            Q(**{f"{prefix}level": "city", f"{prefix}parent__isnull": False}),
            then=Concat(f"{prefix}parent__name", Value(" "), f"{prefix}name"),
        ),
        default=F(f"{prefix}name"),
        output_field=CharField(),
    )
