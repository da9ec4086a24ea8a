"""The bridge's two periods and management's decision on a region."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.accounts.models import Region
from mdss.core.dates import last_quarter

from .choices import RegionAction
from .filters import EARLIEST, LATEST, MAX_DAYS, Period


class DateInput(forms.DateInput):
    input_type = "date"


class BridgeForm(forms.Form):
    """The current period and the base it is compared with; by default the last full
    quarter against the quarter before."""

    base_start = forms.DateField(label=_("base from"), required=False, widget=DateInput())
    base_end = forms.DateField(label=_("base until"), required=False, widget=DateInput())
    current_start = forms.DateField(label=_("compared from"), required=False, widget=DateInput())
    current_end = forms.DateField(label=_("compared until"), required=False, widget=DateInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = last_quarter(today)
        base_start, base_end = last_quarter(start)
        self.defaults = {
            "base_start": base_start,
            "base_end": base_end,
            "current_start": start,
            "current_end": end,
        }
        for name, value in self.defaults.items():
            self.fields[name].initial = value

    def clean(self):
        data = super().clean()
        for name in self.fields:
            value = data.get(name)
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        for start, end in (("base_start", "base_end"), ("current_start", "current_end")):
            s, e = data.get(start), data.get(end)
            if s and e and e < s:
                self.add_error(end, _("It must end after it starts."))
            elif s and e and (e - s).days + 1 > MAX_DAYS:
                self.add_error(end, _("A period spans at most five years."))
        return data

    def values(self) -> dict:
        if self.is_bound and self.is_valid():
            return {k: v or self.defaults[k] for k, v in self.cleaned_data.items()}
        return dict(self.defaults)

    def periods(self) -> tuple[Period, Period]:
        v = self.values()
        if v["base_end"] < v["base_start"] or v["current_end"] < v["current_start"]:
            v = dict(self.defaults)
        return Period(v["base_start"], v["base_end"]), Period(v["current_start"], v["current_end"])

    def query(self) -> dict:
        return {k: v.isoformat() for k, v in self.values().items()}


class DecisionForm(forms.Form):
    province = forms.ModelChoiceField(
        queryset=Region.objects.filter(parent=None), widget=forms.HiddenInput
    )
    period_start = forms.DateField(widget=forms.HiddenInput)
    period_end = forms.DateField(widget=forms.HiddenInput)
    change = forms.DecimalField(max_digits=16, decimal_places=2, widget=forms.HiddenInput)
    action = forms.ChoiceField(label=_("decision"), choices=RegionAction.choices)
    note = forms.CharField(
        label=_("reasons and next steps"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
