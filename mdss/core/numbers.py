"""Human-readable, gap-free document numbers: PREFIX-YYYY-NNNNNN.

Call ``next_number`` inside the transaction that creates the document: the sequence
row stays locked until that transaction ends, so concurrent callers queue, and a
rollback gives the number back (no gaps).
"""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DocumentSequence

PREFIX_RE = re.compile(r"^[A-Z]{1,8}$")


def next_number(prefix: str, *, on: date | None = None) -> str:
    if not PREFIX_RE.match(prefix):
        raise ValueError("a document prefix is 1–8 capital letters")
    if on is None:
        from mdss.core.dates import local_today

        on = local_today()
    year = on.year
    with transaction.atomic():
        # Make sure the row exists; a concurrent creator may win, which is fine.
        if not DocumentSequence.objects.filter(prefix=prefix, year=year).exists():
            try:
                with transaction.atomic():
                    DocumentSequence.objects.create(prefix=prefix, year=year, last_number=0)
            except IntegrityError:
                pass
        # UPDATE … SET last_number = last_number + 1 takes the row lock on both
        # databases (SQLite: BEGIN IMMEDIATE holds the write lock already).
        DocumentSequence.objects.filter(prefix=prefix, year=year).update(
            last_number=F("last_number") + 1
        )
        number = (
            DocumentSequence.objects.filter(prefix=prefix, year=year)
            .values_list("last_number", flat=True)
            .get()
        )
    return f"{prefix}-{year}-{number:06d}"
