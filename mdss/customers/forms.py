from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.accounts.choices import RegionLevel
from mdss.accounts.models import Region, User
from mdss.core.forms import DateInput, TagsField

from .choices import (
    CustomerGrade,
    CustomerKind,
    FeedbackCategory,
    PlanChannel,
)
from .models import (
    Activity,
    Campaign,
    Contact,
    Customer,
    DevelopmentPlan,
    Lead,
    Qualification,
    ReturnVisit,
)

SATISFACTION = {
    5: _("5 — very satisfied"),
    4: _("4 — satisfied"),
    3: _("3 — neutral"),
    2: _("2 — dissatisfied"),
    1: _("1 — very dissatisfied"),
}


def region_choices() -> tuple[list, list]:
    """(provinces, cities) as (id, label) pairs, cached for five minutes: regions
    change a few times a year, and these lists are built on every keystroke."""
    from django.core.cache import cache

    cached = cache.get("customers.region_choices")
    if cached is None:
        provinces, cities = [], []
        for pk, level, name, parent in Region.objects.order_by("code").values_list(
            "pk", "level", "name", "parent__name"
        ):
            if level == RegionLevel.PROVINCE:
                provinces.append((pk, name))
            else:
                cities.append((pk, f"{parent} {name}"))
        cached = (provinces, cities)
        cache.set("customers.region_choices", cached, 300)
    return cached


def listed_reps(reps, viewer, limit: int):
    """A manager's reps as (id, full name, user name), cached for five minutes per
    manager; None when there are more than ``limit``."""
    from django.core.cache import cache

    key = f"customers.reps.{getattr(viewer, 'pk', None)}"
    rows = cache.get(key) if viewer is not None else None
    if rows is None:
        rows = list(reps.order_by().values_list("pk", "full_name", "username")[: limit + 1])
        rows.sort(key=lambda r: r[1] or r[2])
        if viewer is not None:
            cache.set(key, rows, 300)
    return None if len(rows) > limit else rows


def rep_filter_choices(reps, viewer, chosen, limit: int | None) -> list:
    """A rep filter's choices: the viewer's reps when they are at most ``limit``
    (None: never listed), else only the rep already chosen (e.g. from a per-rep
    table's link)."""
    rows = listed_reps(reps, viewer, limit) if limit is not None else None
    if rows is None:
        chosen = str(chosen or "")
        rows = (
            list(reps.filter(pk=int(chosen)).values_list("pk", "full_name", "username"))
            if chosen.isdigit()
            else []
        )
    return [("", _("All reps"))] + [(pk, full_name or username) for pk, full_name, username in rows]


def _all(label):
    return [("", label)]


class CustomerForm(forms.ModelForm):
    departments = TagsField(
        label=_("departments of interest"), required=False, help_text=_("e.g. 心内科、影像科")
    )
    device_interests = TagsField(label=_("device interests"), required=False)

    class Meta:
        model = Customer
        fields = [
            "name",
            "kind",
            "hospital_level",
            "credit_code",
            "region",
            "district",
            "address",
            "owner",
            "source",
            "departments",
            "device_interests",
            "budget_cycle",
            "decision_makers",
            "needs_notes",
        ]
        widgets = {"needs_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, reps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.select_related("parent").order_by("code")
        if reps is None or self.instance.pk:
            del self.fields["owner"]  # reassigning is its own, audited step
        else:
            self.fields["owner"].queryset = reps
            self.fields["owner"].required = False


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("new owning rep"), queryset=User.objects.none())
    reason = forms.CharField(label=_("reason"))

    def __init__(self, *args, reps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = reps


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "department",
            "title",
            "mobile",
            "phone",
            "email",
            "purchasing_role",
            "notes",
            "is_active",
        ]


class QualificationForm(forms.ModelForm):
    scope_classes = forms.MultipleChoiceField(
        label=_("business scope: classes"),
        required=False,
        choices=[("II", "II"), ("III", "III")],
        widget=forms.CheckboxSelectMultiple,
    )
    scope_categories = TagsField(
        label=_("business scope: categories"),
        required=False,
        help_text=_("Category codes such as 07、6821; empty means every category."),
    )
    reason = forms.CharField(label=_("reason for the correction"), required=False)

    class Meta:
        model = Qualification
        fields = [
            "kind",
            "number",
            "issuer",
            "scope_classes",
            "scope_categories",
            "valid_from",
            "valid_until",
            "file",
        ]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["reason"]


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why it is voided"))


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "occurred_on",
            "subject",
            "participants",
            "outcome",
            "next_step",
            "next_step_on",
            "plan",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "next_step_on": DateInput(),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


class VisitForm(forms.ModelForm):
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction (1–5)"),
        coerce=int,
        choices=[("", "—"), *SATISFACTION.items()],
    )
    flag_for_strategy = forms.BooleanField(
        label=_("Flag the feedback for the sales strategy"), required=False
    )
    feedback_category = forms.ChoiceField(
        label=_("feedback is about"), choices=FeedbackCategory.choices, initial="product"
    )

    class Meta:
        model = ReturnVisit
        fields = [
            "visited_on",
            "method",
            "contact",
            "product_use",
            "satisfaction",
            "feedback",
            "follow_up",
        ]
        widgets = {
            "visited_on": DateInput(),
            "product_use": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = customer.contacts.filter(is_active=True)


class FeedbackForm(forms.Form):
    category = forms.ChoiceField(label=_("about"), choices=FeedbackCategory.choices)
    text = forms.CharField(label=_("feedback"), widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackActForm(forms.Form):
    action = forms.CharField(label=_("action taken"), widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackCloseForm(forms.Form):
    decision = forms.CharField(label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.ModelForm):
    target_kinds = forms.MultipleChoiceField(
        label=_("target customer types"),
        required=False,
        choices=CustomerKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    target_grades = forms.MultipleChoiceField(
        label=_("target grades"),
        required=False,
        choices=CustomerGrade.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=PlanChannel.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = DevelopmentPlan
        fields = [
            "name",
            "owner",
            "period_start",
            "period_end",
            "target_kinds",
            "target_grades",
            "target_regions",
            "positioning",
            "channels",
            "target_new_customers",
            "target_contract_amount",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "positioning": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, reps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = reps
        self.fields["owner"].required = False
        self.fields["target_regions"].queryset = Region.objects.select_related("parent").order_by(
            "code"
        )
        self.fields["target_regions"].widget.attrs["size"] = 8


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["kind", "name", "starts_on", "ends_on", "location", "cost", "notes"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class LeadForm(forms.ModelForm):
    class Meta:
        model = Lead
        fields = ["organisation", "contact_name", "phone", "interest"]
