"""The complaint queue's filters, shared by the page and the API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import Category, ComplaintStatus, Severity

COMPLAINT_SORTS = {
    "number": ("number",),
    "received": ("received_at",),
    "due": ("due_at",),
    "status": ("status",),
}


class ComplaintFilterForm(FilterForm):
    api_names = {"search": "q"}
    sorts = COMPLAINT_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[
            ("", _("Open")),
            ("overdue", _("Past a deadline")),
            ("all", _("All statuses")),
            *ComplaintStatus.choices,
        ],
    )
    severity = forms.ChoiceField(
        label=_("severity"),
        required=False,
        choices=[("", _("Any severity")), ("unclassified", _("not classified")), *Severity.choices],
    )
    category = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
    mine = forms.BooleanField(label=_("Mine"), required=False)

    def filters(self) -> dict:
        values = self.values()
        status = values["status"] or ""
        return {
            "q": values["q"] or "",
            "status": "" if status in ("", "all", "overdue") else status,
            "open_only": status == "",
            "overdue": status == "overdue",
            "severity": values["severity"] or "",
            "category": values["category"] or "",
            "mine": bool(values["mine"]),
            "sort": values["sort"] or "",
        }
