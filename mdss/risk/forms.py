"""One form per risk transition (views.STEPS): the fields a person types; the
services check every rule again (the API reaches them without these forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    IMPACT,
    LIKELIHOOD,
    RiskAssessmentKind,
    RiskCategory,
    RiskMeasureType,
    RiskProcess,
    RiskSource,
    RiskZone,
)

TEXT = {"rows": 3}


def _text(label, required=True, max_length=2000):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs=TEXT)
    )


def _scale(label, wording):
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[(n, f"{n} · {text}") for n, text in wording.items()],
    )


def _staff():
    from mdss.accounts import roles
    from mdss.accounts.models import User

    codes = [c for c, r in roles.ROLES.items() if r.is_staff_role]
    return (
        User.objects.filter(is_active=True, groups__name__in=codes)
        .distinct()
        .order_by("full_name", "username")
    )


class Form(forms.Form):
    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ScaleMixin(forms.Form):
    likelihood = _scale(_("likelihood"), LIKELIHOOD)
    impact = _scale(_("impact"), IMPACT)


class RiskForm(Form):
    category = forms.ChoiceField(label=_("category"), choices=RiskCategory.choices)
    title = forms.CharField(label=_("risk"), max_length=200)
    description = _text(_("description"), max_length=4000)
    cause = _text(_("cause"))
    consequence = _text(_("consequence"))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)
    source = forms.ChoiceField(label=_("source"), choices=RiskSource.choices)
    process = forms.ChoiceField(
        label=_("process"), choices=[("", "—"), *RiskProcess.choices], required=False
    )
    likelihood = _scale(_("likelihood"), LIKELIHOOD)
    impact = _scale(_("impact"), IMPACT)
    note = _text(_("reasoning"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class AssessForm(Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=RiskAssessmentKind.choices, initial=RiskAssessmentKind.RESIDUAL
    )
    likelihood = _scale(_("likelihood"), LIKELIHOOD)
    impact = _scale(_("impact"), IMPACT)
    note = _text(_("reasoning"))


class ReviewForm(Form):
    measures_done = forms.TypedChoiceField(
        label=_("measures done"), choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )  # fmt: skip
    effective = forms.TypedChoiceField(
        label=_("measures effective"), choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )  # fmt: skip
    note = _text(_("findings"))
    likelihood = _scale(_("likelihood now"), LIKELIHOOD)
    impact = _scale(_("impact now"), IMPACT)


class MeasureForm(Form):
    type = forms.ChoiceField(label=_("response"), choices=RiskMeasureType.choices)
    description = _text(_("action"))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)
    capa = forms.ModelChoiceField(
        label=_("CAPA action"),
        queryset=None,
        required=False,
        help_text=_("When quality runs it as a corrective or preventive action."),
    )

    def __init__(self, *args, risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.quality.models import CapaAction

        from .choices import MEASURE_TEMPLATES

        self.fields["owner"].queryset = _staff()
        self.fields["capa"].queryset = (
            CapaAction.objects.filter(done_at__isnull=True)
            .select_related("incident")
            .order_by("-pk")
        )
        templates = MEASURE_TEMPLATES.get(risk.category, []) if risk is not None else []
        if templates:
            self.fields["description"].help_text = _("The policy suggests: %(list)s") % {
                "list": "；".join(str(text) for _type, text in templates)
            }
            self.initial.setdefault("type", templates[0][0])
            self.initial.setdefault("description", str(templates[0][1]))


class ReasonForm(Form):
    reason = _text(_("reason"))


class ResultForm(Form):
    result = _text(_("result"))


class AcceptForm(Form):
    owner = forms.ModelChoiceField(label=_("owner of the new risk"), queryset=None, required=False)
    risk = forms.TypedChoiceField(
        label=_("or reassess the risk"), coerce=int, required=False, empty_value=None
    )
    likelihood = _scale(_("likelihood"), LIKELIHOOD)
    impact = _scale(_("impact"), IMPACT)
    note = _text(_("reasoning"), required=False)

    def __init__(self, *args, risks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()
        self.fields["risk"].choices = [("", "—"), *((r.pk, str(r)) for r in risks)]
        self._risks = {r.pk: r for r in risks}

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not data.get("risk"):
            self.add_error("owner", _("Give the new risk's owner, or choose a risk to reassess."))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["risk"] = self._risks.get(data.get("risk"))
        return data


class MatrixForm(Form):
    """One select per cell (likelihood rows 5 → 1, impact columns 1 → 5)."""

    def __init__(self, *args, zones=None, **kwargs):
        super().__init__(*args, **kwargs)
        for li in range(1, 6):
            for im in range(1, 6):
                name = f"z{li}{im}"
                self.fields[name] = forms.ChoiceField(label=f"{li}×{im}", choices=RiskZone.choices)
                if zones:
                    self.initial[name] = zones[li - 1][im - 1]
        self.fields["note"] = _text(_("what changes and why"))
        self.fields["password"] = forms.CharField(
            label=_("your password (e-signature)"), widget=forms.PasswordInput, max_length=128
        )

    def rows(self):
        return [[self[f"z{li}{im}"] for im in range(1, 6)] for li in range(5, 0, -1)]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "zones": [[data[f"z{li}{im}"] for im in range(1, 6)] for li in range(1, 6)],
            "note": data["note"],
            "password": data["password"],
        }
