from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CadencePeriod, TimeUnit


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.TypedChoiceField(
        label=_("Status"),
        coerce=lambda v: v == "1",
        choices=[("0", _("Holiday (no work)")), ("1", _("Make-up working day (调休)"))],
    )
    name = forms.CharField(label=_("Holiday name"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason / notice"), max_length=500)


class PublishYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class PolicyChangeForm(forms.Form):
    """One row per target; built from the active policy."""

    note = forms.CharField(
        label=_("What changes and why"), widget=forms.Textarea(attrs={"rows": 2})
    )
    business_hours = forms.CharField(label=_("Business hours"), max_length=100)
    password = forms.CharField(label=_("Your password (e-signature)"), widget=forms.PasswordInput)

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields["business_hours"].initial = policy.business_hours
        self.target_rows = []
        for target in policy.targets.all():
            prefix = f"t_{target.code}"
            self.fields[f"{prefix}_duration"] = forms.DecimalField(
                label=target.name,
                min_value=0.01,
                max_digits=8,
                decimal_places=2,
                initial=target.duration,
            )
            self.fields[f"{prefix}_unit"] = forms.ChoiceField(
                choices=TimeUnit.choices, initial=target.unit, label=_("unit")
            )
            self.fields[f"{prefix}_warn"] = forms.IntegerField(
                min_value=1, max_value=99, initial=target.warn_percent, label=_("warning threshold")
            )
            self.target_rows.append(
                (target, self[f"{prefix}_duration"], self[f"{prefix}_unit"], self[f"{prefix}_warn"])
            )

        self.cadence_rows = []
        for cadence in policy.cadences.all():
            prefix = f"c_{cadence.code}"
            self.fields[f"{prefix}_months"] = forms.TypedChoiceField(
                label=cadence.name,
                choices=CadencePeriod.choices,
                coerce=int,
                initial=cadence.period_months,
            )
            self.fields[f"{prefix}_count"] = forms.IntegerField(
                label=_("at least (times per period)"), min_value=1, initial=cadence.min_count
            )
            self.cadence_rows.append((cadence, self[f"{prefix}_months"], self[f"{prefix}_count"]))

    def cadence_changes(self) -> dict:
        changes = {}
        for cadence in self.policy.cadences.all():
            prefix = f"c_{cadence.code}"
            values = {
                "period_months": self.cleaned_data[f"{prefix}_months"],
                "min_count": self.cleaned_data[f"{prefix}_count"],
            }
            if (values["period_months"], values["min_count"]) != (
                cadence.period_months,
                cadence.min_count,
            ):
                changes[cadence.code] = values
        return changes

    def target_changes(self) -> dict:
        changes = {}
        for target in self.policy.targets.all():
            prefix = f"t_{target.code}"
            values = {
                "duration": self.cleaned_data[f"{prefix}_duration"],
                "unit": self.cleaned_data[f"{prefix}_unit"],
                "warn_percent": self.cleaned_data[f"{prefix}_warn"],
            }
            if (values["duration"], values["unit"], values["warn_percent"]) != (
                target.duration,
                target.unit,
                target.warn_percent,
            ):
                changes[target.code] = values
        return changes
