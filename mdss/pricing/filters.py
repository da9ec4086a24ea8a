"""Filters of the price list and the price-change list, shared by the pages and the
API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import ChangeStatus


class PriceSearchForm(FilterForm):
    api_names = {"search": "q"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        return {"search": (self.values()["q"] or "").strip()}


class ChangeFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All statuses")), *ChangeStatus.choices]
    )
