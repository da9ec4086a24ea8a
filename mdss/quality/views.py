"""Quality pages: the dashboard, the trace and the recalls. Views call selectors
only; every change goes through the API's operations and the services."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mdss.core.dates import local_today
from mdss.core.errors import ValidationFailed
from mdss.core.paging import paginate

from . import selectors, services
from .choices import RecallStatus


def home(request):
    now = timezone.now()
    context = selectors.dashboard(request.user, today=local_today(), now=now)
    return render(request, "quality/home.html", {**context, "now": now})


class TraceForm(forms.Form):
    q = forms.CharField(
        label=_("UDI, lot or serial number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "text"}),
    )
    by = forms.ChoiceField(
        label=_("look for"),
        choices=[
            ("udi", _("a scanned UDI")),
            ("lot", _("a lot")),
            ("serial", _("a serial number")),
        ],
        initial="lot",
        required=False,
    )


def trace(request):
    """One box: a scanned UDI, a lot or a serial → every unit, customer, site,
    delivery, contract and stock location."""
    from .permissions import A, require_role

    require_role(request.user, A.TRACE)
    form = TraceForm(request.GET or None)
    result = None
    if form.is_valid() and form.cleaned_data["q"]:
        by = form.cleaned_data["by"] or "lot"
        try:
            result = selectors.trace(request.user, **{by: form.cleaned_data["q"]})
        except ValidationFailed as exc:
            form.add_error("q", " ".join(e.message for e in exc.errors))
    return render(request, "quality/trace.html", {"form": form, "result": result})


def recall_list(request):
    status = request.GET.get("status", "")
    if status not in RecallStatus.values:
        status = ""
    page = paginate(request, selectors.recalls_for_user(request.user, status=status), 30)
    return render(request, "quality/recalls.html", {"page": page, "status": status})


def recall_detail(request, recall_id: int):
    it = selectors.recall_get_for_user(request.user, recall_id)
    return render(
        request,
        "quality/recall.html",
        {
            "it": it,
            "progress": services.recall_progress(it),
            "customers": selectors.recall_customers(it),
        },
    )
