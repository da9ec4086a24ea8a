"""Sortable list columns, kept in the URL: ``?sort=name`` ascending, ``?sort=-name``
descending (issue 15, "What a list offers").

A list's filter form declares ``sorts = {"name": ("name",), "visit":
("next_visit_due",)}``: the key is what the URL and the API say, the fields are what
the database orders by. ``core.filters.FilterForm`` then adds a validated ``sort``
field (a bad value is the form's error on the page and a 422 naming ``sort`` in the
API), the selector calls ``apply_sort``, and the table's headers use the
``{% sort_header key label %}`` tag (core/templatetags/mdss.py), which keeps the
other filters and drops the page number.
"""

from __future__ import annotations

from django.db.models import QuerySet


def sort_choices(sorts: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    keys = [key for name in sorts for key in (name, f"-{name}")]
    return [("", ""), *((key, key) for key in keys)]


def apply_sort(queryset: QuerySet, sort: str, sorts: dict[str, tuple[str, ...]]) -> QuerySet:
    """``queryset`` ordered by ``sort`` (already validated by the form), the primary
    key last so that pages never overlap; unchanged when ``sort`` is empty."""
    if not sort:
        return queryset
    descending = sort.startswith("-")
    fields = sorts[sort.removeprefix("-")]
    prefix = "-" if descending else ""
    return queryset.order_by(*(f"{prefix}{field}" for field in fields), f"{prefix}pk")
