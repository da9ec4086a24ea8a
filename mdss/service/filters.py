"""The service-request list's filters, shared by the page and the API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import RequestStatus, Urgency

REQUEST_SORTS = {
    "number": ("number",),
    "reported": ("reported_at",),
    "due": ("due_at",),
    "urgency": ("urgency_rank",),
    "status": ("status",),
}


class RequestFilterForm(FilterForm):
    api_names = {"search": "q"}
    sorts = REQUEST_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            ("open", _("Open")),
            ("overdue", _("Past a deadline")),
            *RequestStatus.choices,
        ],
    )
    urgency = forms.ChoiceField(
        label=_("urgency"), required=False, choices=[("", _("Any urgency")), *Urgency.choices]
    )

    def filters(self) -> dict:
        values = self.values()
        status = values["status"] or ""
        return {
            "q": values["q"] or "",
            "status": "" if status in ("open", "overdue") else status,
            "open_only": status == "open",
            "overdue": status == "overdue",
            "urgency": values["urgency"] or "",
            "sort": values["sort"] or "",
        }
