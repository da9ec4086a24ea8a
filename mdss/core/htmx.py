"""Small helpers for pages that update parts of themselves with htmx."""

from django.shortcuts import render


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(request, page_template: str, partial_template: str, context: dict):
    """The whole page on a normal request; only the fragment on an htmx request.

    Lists use this for search-as-you-type and paging without reloading the layout.
    """
    template = partial_template if is_htmx(request) else page_template
    return render(request, template, context)
