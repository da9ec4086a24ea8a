from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.accounts.models import Region
from mdss.catalog.models import ProductModel
from mdss.core.forms import DateInput, TagsField
from mdss.core.uploads import document_validator

from .choices import Team, Topic
from .models import (
    Authorisation,
    Certificate,
    ExternalTraining,
    Skill,
    StaffProfile,
    TrainingSession,
)


def _models():
    return (
        ProductModel.objects.filter(is_active=True)
        .select_related("product")
        .order_by("product__name", "code")
    )


class ProfileForm(forms.ModelForm):
    product_areas = TagsField(
        label=_("product areas"), required=False, help_text=_("e.g. 超声、监护")
    )

    class Meta:
        model = StaffProfile
        fields = ["team", "background", "education", "hire_date", "product_areas", "notes"]
        widgets = {"hire_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}


class SkillForm(forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["kind", "model", "category_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = _models()


class CertificateForm(forms.ModelForm):
    reason = forms.CharField(label=_("reason for the correction"), required=False)

    class Meta:
        model = Certificate
        fields = [
            "kind",
            "name",
            "number",
            "issuer",
            "model",
            "category_code",
            "issued_on",
            "valid_until",
            "file",
        ]
        widgets = {"issued_on": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = _models()
        if not self.instance.pk:
            del self.fields["reason"]


class SessionForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    categories_covered = TagsField(label=_("categories covered"), required=False)

    class Meta:
        model = TrainingSession
        fields = [
            "kind",
            "team",
            "title",
            "topics",
            "held_on",
            "location",
            "trainer",
            "materials",
            "notes",
            "models_covered",
            "categories_covered",
        ]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["models_covered"].queryset = _models()
        self.fields["models_covered"].widget.attrs["size"] = 6
        self.fields["models_covered"].help_text = _(
            "Manufacturer training qualifies its attendees for these."
        )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("present"), choices=(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["present"].choices = [(str(m.pk), m.display_name) for m in members]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"))


class ScheduleForm(forms.Form):
    user = forms.ModelChoiceField(label=_("person"), queryset=None)
    team = forms.ChoiceField(label=_("team"), choices=Team.choices)
    period_start = forms.DateField(label=_("period from"), widget=DateInput())
    period_end = forms.DateField(label=_("period until"), widget=DateInput())
    due_on = forms.DateField(label=_("to be held by"), widget=DateInput())
    pass_mark = forms.DecimalField(label=_("pass mark"), initial=60, min_value=0, max_value=100)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("score"), min_value=0, max_value=100, decimal_places=1)
    held_on = forms.DateField(label=_("held on"), widget=DateInput())


class RetrainingForm(forms.Form):
    completed_on = forms.DateField(label=_("completed on"), widget=DateInput())
    note = forms.CharField(label=_("what was trained"), required=False)


class ExternalForm(forms.ModelForm):
    class Meta:
        model = ExternalTraining
        fields = ["course", "organiser", "starts_on", "ends_on", "cost", "reason"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False)


class ProofForm(forms.Form):
    proof = forms.FileField(label=_("attendance proof"), validators=[document_validator])


class ReimburseForm(forms.Form):
    amount = forms.DecimalField(label=_("reimbursed (CNY)"), min_value=0, decimal_places=2)
    on = forms.DateField(label=_("reimbursed on"), widget=DateInput())


class AuthorisationForm(forms.ModelForm):
    categories_covered = TagsField(label=_("categories"), required=False)
    reason = forms.CharField(label=_("reason for the correction"), required=False)

    class Meta:
        model = Authorisation
        fields = [
            "number",
            "id_number",
            "models_covered",
            "categories_covered",
            "regions",
            "valid_from",
            "valid_until",
            "file",
        ]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["models_covered"].queryset = _models()
        self.fields["models_covered"].required = False
        self.fields["regions"].queryset = Region.objects.select_related("parent").order_by("code")
        for name in ("models_covered", "regions"):
            self.fields[name].widget.attrs["size"] = 8
        if not self.instance.pk:
            del self.fields["reason"]
