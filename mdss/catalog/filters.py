"""Filters of the catalog's model list, shared by the page and the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import DeviceClass


class ModelFilterForm(FilterForm):
    api_names = {"search": "q"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    device_class = forms.ChoiceField(
        label=_("class"), required=False, choices=[("", _("All classes")), *DeviceClass.choices]
    )
    manufacturer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        values = self.values()
        return {
            "search": values["q"] or "",
            "device_class": values["device_class"] or "",
            "manufacturer": values["manufacturer"],
        }
