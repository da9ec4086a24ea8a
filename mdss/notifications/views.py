from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services


def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox_for_user(request.user, unread_only=unread_only), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page, "unread_only": unread_only})


def bell(request):
    """The navbar bell, loaded by htmx so that pages themselves do not pay its query."""
    return render(
        request, "notifications/_bell.html", {"unread": selectors.unread_count(request.user)}
    )


@require_POST
def mark_read(request):
    ids = request.POST.getlist("id")
    services.mark_read(
        user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None
    )
    target = request.POST.get("next", "")
    return redirect(
        target if target.startswith("/") and not target.startswith("//") else "notifications:list"
    )
