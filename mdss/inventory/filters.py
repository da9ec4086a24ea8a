"""Filters of the parts and requisition lists, shared by pages and API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import PART_SORTS, RequisitionStatus


class PartFilterForm(FilterForm):
    api_names = {"search": "q"}
    id_fields = ("warehouse",)
    sorts = PART_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    warehouse = forms.ModelChoiceField(
        label=_("warehouse"), required=False, queryset=None, empty_label=_("All warehouses")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.api:
            from .selectors import warehouses

            self.fields["warehouse"].queryset = warehouses()

    def filters(self) -> dict:
        values = self.values()
        warehouse = values["warehouse"]
        return {
            "q": values["q"] or "",
            "warehouse": getattr(warehouse, "pk", warehouse),
            "sort": values["sort"] or "",
        }


class RequisitionFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("Open")), ("all", _("All statuses")), *RequisitionStatus.choices],
    )

    def filters(self) -> dict:
        status = self.values()["status"] or ""
        return {"open_only": status == "", "status": "" if status in ("", "all") else status}
