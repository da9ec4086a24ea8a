from urllib.parse import urlsplit

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mdss.core.paging import paginate

from . import selectors, services


def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.inbox_for_user(request.user, unread_only=unread_only), 30)
    return render(request, "notifications/list.html", {"page": page, "unread_only": unread_only})


def bell(request):
    """The navbar bell and its menu of the newest messages, loaded by htmx so that
    pages themselves do not pay its two queries."""
    return render(
        request,
        "notifications/_bell.html",
        {
            "unread": selectors.unread_count(request.user),
            "latest": selectors.latest_for_user(request.user),
            "back": _page_of(request),
        },
    )


def _page_of(request) -> str:
    """The page the bell sits on (htmx sends its address), as a local path to return
    to after "mark all read"."""
    here = urlsplit(request.headers.get("HX-Current-URL", ""))
    return f"{here.path}?{here.query}" if here.query else here.path


def open_notification(request, notification_id: int):
    """Opening a message marks it read and goes where it points (or back to the
    inbox). A GET, like following any link: marking one's own message read is the
    whole effect, and another person's message is a 404."""
    notification = get_object_or_404(selectors.inbox_for_user(request.user), pk=notification_id)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    link = notification.link
    return redirect(
        link if link.startswith("/") and not link.startswith("//") else "notifications:list"
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
