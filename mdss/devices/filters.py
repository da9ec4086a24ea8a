"""Filters of the installed-base list, shared by the page and the API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import DeviceOrigin, DeviceStatus

DEVICE_SORTS = {
    "model": ("model__code", "serial"),
    "serial": ("serial", "lot"),
    "customer": ("customer__name", "serial"),
    "warranty": ("warranty_until", "serial"),
}


class DeviceFilterForm(FilterForm):
    api_names = {"search": "q"}
    id_fields = ("model",)
    sorts = DEVICE_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("Any status")), *DeviceStatus.choices]
    )
    origin = forms.ChoiceField(
        label=_("origin"), required=False, choices=[("", _("Any origin")), *DeviceOrigin.choices]
    )
    customer = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )
    model = forms.ModelChoiceField(
        label=_("model"), required=False, queryset=None, empty_label=_("Any model")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.api:
            from .forms import _models

            self.fields["model"].queryset = _models()

    def filters(self) -> dict:
        values = super().filters()
        model = values.get("model")
        values["model"] = getattr(model, "pk", model) or None
        values["customer"] = values.get("customer") or None
        values["q"] = values["q"].strip()
        return values
