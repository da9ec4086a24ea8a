from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .middleware import login_not_required


def dashboard(request):
    """The home page: the cards of the user's roles (core.dashboard), each figure a
    link to the list it counts; role-less users are told why it is empty."""
    from .dashboard import cards_for
    from .dates import local_today

    user = request.user
    cards = cards_for(request)
    return render(
        request,
        "core/dashboard.html",
        {
            "me": user,
            "cards": cards,
            "charts": any(card.get("chart") for card in cards),
            "has_role": bool(user.role_codes) or user.is_superuser,
            "today": local_today(),
        },
    )


def search(request):
    """The global search (core/search.py): the whole page, or on an htmx request the
    top bar's dropdown with a few hits per kind. Staff only (the middleware's rule):
    a customer's account has no search box."""
    from .htmx import is_htmx
    from .search import DROPDOWN_LIMIT, PAGE_LIMIT, clean_query
    from .search import search as run_search

    query = clean_query(request.GET.get("q", ""))
    dropdown = is_htmx(request)
    groups = run_search(request.user, query, limit=DROPDOWN_LIMIT if dropdown else PAGE_LIMIT)
    return render(
        request,
        "core/_search_dropdown.html" if dropdown else "core/search.html",
        {"query": query, "groups": groups},
    )


@never_cache
@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
