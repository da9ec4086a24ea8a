"""Filters of the price list and the price-change list, shared by the pages and the
API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import ChangeStatus

PRICE_SORTS = {
    "product": ("model__product__name", "model__code"),
    "model": ("model__code",),
    "price": ("list_price", "model__code"),
}


class PriceSearchForm(FilterForm):
    api_names = {"search": "q"}
    sorts = PRICE_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        values = self.values()
        return {"search": (values["q"] or "").strip(), "sort": values["sort"] or ""}


class ChangeFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All statuses")), *ChangeStatus.choices]
    )
