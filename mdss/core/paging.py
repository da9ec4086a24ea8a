"""Paging of every list: the page number and the page size come from the URL
(``page``, ``size``), both bounded before they reach the database: a page out of range
shows the last page, a size that is not offered falls back to the list's default."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

SIZES = (10, 30, 50, 100)


def page_size(request, default: int) -> int:
    asked = request.GET.get("size", "")
    return int(asked) if asked.isdigit() and int(asked) in SIZES else default


def paginate(request, rows, default: int = 30, *, count: int | None = None) -> Page:
    """The requested page of ``rows``; ``count`` when the caller has counted the rows
    already (e.g. with a total), which saves the paginator's COUNT query."""
    paginator = Paginator(rows, page_size(request, default))
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    page.sizes = SIZES
    return page
