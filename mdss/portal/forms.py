"""The portal's forms: reporting a fault, confirming the result with the password
(an electronic signature), and the satisfaction survey."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.service.choices import Urgency
from mdss.service.forms import ScoresForm


class PortalRequestForm(forms.Form):
    device = forms.ModelChoiceField(label=_("device"), queryset=None, required=False,
                                    empty_label=_("not known yet"))  # fmt: skip
    symptom = forms.CharField(
        label=_("what is wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    reporter_name = forms.CharField(label=_("your name"), max_length=100)
    reporter_phone = forms.CharField(label=_("your phone"), max_length=30)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = units


class PortalConfirmForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("the result"),
        choices=[("yes", _("accepts the result")), ("no", _("does not accept it"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    reason = forms.CharField(
        label=_("reason for refusal"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    password = forms.CharField(
        label=_("your password (electronic signature)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=128,
    )


# The survey asks what the follow-up visit asks.
SurveyForm = ScoresForm
