from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from mdss.core.dates import local_today
from mdss.core.htmx import render_page_or_partial

from . import selectors


def _require(request):
    if not (request.user.is_superuser or request.user.role_codes - {"customer"}):
        raise PermissionDenied


def device_list(request):
    _require(request)
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.devices_for_user(request.user, q=q), 30).get_page(
        request.GET.get("page")
    )
    return render_page_or_partial(
        request,
        "devices/list.html",
        "devices/_table.html",
        {"page": page, "q": q, "today": local_today()},
    )


def device_detail(request, device_id: int):
    _require(request)
    device = selectors.device_get_for_user(request.user, device_id)
    return render(
        request,
        "devices/detail.html",
        {"device": device, "history": selectors.device_history(device), "today": local_today()},
    )
