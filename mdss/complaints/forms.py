"""One form per complaint transition (views.FORMS): the fields a person types;
status, deadlines and who did it are never form fields. The services check every
rule again (the API reaches them without these forms)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mdss.core.forms import DateInput

from .choices import (
    Acceptance,
    Category,
    Channel,
    Concerns,
    FeedbackChannel,
    MajorCriterion,
    NoticeMethod,
    Responsibility,
    Severity,
    Solution,
)

TEXT = {"rows": 3}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(label, required=True, max_length=2000):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs=TEXT)
    )


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


def _staff(*role_codes):
    from mdss.accounts import roles
    from mdss.accounts.models import User

    codes = role_codes or [c for c, r in roles.ROLES.items() if r.is_staff_role]
    return User.objects.filter(is_active=True, groups__name__in=codes).distinct().order_by("pk")


class ComplaintForm(forms.Form):
    """The complaint line's form, and staff recording a letter or a complaint heard
    on site. The customer and its units come from the lookup above the form."""

    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(c, label) for c, label in Channel.choices if c not in ("portal", "api")],
        initial=Channel.PHONE,
    )
    received_at = forms.DateTimeField(label=_("received at"), widget=DATETIME)
    complainant_name = forms.CharField(label=_("complainant"), max_length=100)
    complainant_org = forms.CharField(label=_("organisation"), max_length=200, required=False)
    complainant_phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    complainant_email = forms.EmailField(label=_("e-mail"), max_length=254, required=False)
    customer = forms.ModelChoiceField(
        label=_("customer"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("not a customer / not known"),
    )
    concerns = forms.ChoiceField(label=_("concerns"), choices=Concerns.choices)
    device = forms.ModelChoiceField(
        label=_("device"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("no particular unit"),
    )
    service_number = forms.CharField(
        label=_("service request number"), max_length=20, required=False
    )
    contract_number = forms.CharField(label=_("contract number"), max_length=30, required=False)
    person = forms.ModelChoiceField(
        label=_("person complained about"), queryset=None, required=False
    )
    content = _text(_("complaint"), max_length=4000)

    def __init__(self, *args, customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.customers.models import Customer
        from mdss.devices.models import InstalledDevice

        ids = [c.pk for c in customers or []]
        bound = self.is_bound
        self.fields["customer"].queryset = (
            Customer.objects.all() if bound else Customer.objects.filter(pk__in=ids)
        )
        self.fields["device"].queryset = (
            InstalledDevice.objects.all()
            if bound
            else InstalledDevice.objects.filter(customer_id__in=ids, status="in_service")
        )
        self.fields["person"].queryset = _staff()
        self.fields["received_at"].initial = _now()

    def clean_service_number(self):
        from mdss.service.models import ServiceRequest

        number = self.cleaned_data["service_number"].strip().upper()
        if not number:
            return None
        found = ServiceRequest.objects.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(_("No service request has this number."), code="unknown")
        return found

    def clean_contract_number(self):
        from mdss.contracts.models import Contract

        number = self.cleaned_data["contract_number"].strip().upper()
        if not number:
            return None
        found = Contract.objects.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(_("No contract has this number."), code="unknown")
        return found

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["service_request"] = data.pop("service_number")
        data["contract"] = data.pop("contract_number")
        return data


class ContactForm(forms.Form):
    note = _text(_("what was said and agreed"), required=False)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("handler"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .permissions import HANDLERS

        self.fields["handler"].queryset = _staff(*HANDLERS)


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    criteria = forms.MultipleChoiceField(
        label=_("major criteria met"),
        choices=MajorCriterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    severity = forms.ChoiceField(
        label=_("severity"), choices=Severity.choices, widget=forms.RadioSelect
    )
    note = _text(_("classification note"), required=False)


class ResolutionForm(forms.Form):
    """The general complaint's answer and the special team's resolution (A15)."""

    facts = _text(_("facts found"), max_length=4000)
    root_cause = _text(_("root cause"), required=False)
    responsibility = forms.ChoiceField(label=_("responsibility"), choices=Responsibility.choices)
    solution = forms.ChoiceField(label=_("solution"), choices=Solution.choices)
    solution_detail = _text(_("solution offered"), max_length=4000)
    decision_basis = _text(_("basis of the decision"))


class TeamForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("team leader (management or quality)"), queryset=None)
    investigator = forms.ModelChoiceField(label=_("investigator"), queryset=None)
    account = forms.ModelChoiceField(
        label=_("account's rep or service manager"), queryset=None, required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("other members"), queryset=None, required=False
    )
    resolution_due = forms.DateTimeField(label=_("resolution due"), widget=DATETIME)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.accounts import roles

        self.fields["leader"].queryset = _staff(roles.QUALITY, roles.MANAGEMENT)
        for name in ("investigator", "account", "members"):
            self.fields[name].queryset = _staff()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        members = [(data["leader"], "leader"), (data["investigator"], "investigator")]
        if data.get("account"):
            members.append((data["account"], "account"))
        members += [(user, "member") for user in data.get("members") or []]
        return {"members": members, "resolution_due": data["resolution_due"]}


SATISFACTION = [(n, str(n)) for n in range(5, 0, -1)]


class FeedbackForm(forms.Form):
    channel = forms.ChoiceField(label=_("fed back by"), choices=FeedbackChannel.choices)
    acceptance = forms.ChoiceField(
        label=_("complainant's answer"), choices=Acceptance.choices, widget=forms.RadioSelect
    )
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction (1–5)"),
        choices=[*SATISFACTION, ("", _("declined to rate"))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = _text(_("complainant's words"), required=False)


class RateForm(forms.Form):
    """The customer's answer in the portal."""

    acceptance = forms.ChoiceField(
        label=_("your answer"), choices=Acceptance.choices, widget=forms.RadioSelect
    )
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction (1–5)"), choices=SATISFACTION, coerce=int, widget=forms.RadioSelect
    )
    note = _text(_("comments"), required=False)


class CloseForm(forms.Form):
    """A major complaint's closure is e-signed by quality (the view drops the
    password for a general one)."""

    password = forms.CharField(
        label=_("your password (e-signature)"), widget=forms.PasswordInput, max_length=128
    )
    comment = _text(_("comment"), required=False)


class ReasonForm(forms.Form):
    reason = _text(_("reason"))


class AssessForm(forms.Form):
    possible_adverse_event = forms.TypedChoiceField(
        label=_("could this be an adverse event?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    death = forms.BooleanField(label=_("death"), required=False)
    serious_injury = forms.BooleanField(label=_("serious injury"), required=False)
    malfunction = forms.BooleanField(
        label=_("malfunction that could cause death or serious injury"), required=False
    )
    note = _text(_("assessment note"), required=False)


class NotifyForm(forms.Form):
    manufacturer = forms.ModelChoiceField(label=_("manufacturer"), queryset=None)
    method = forms.ChoiceField(label=_("how"), choices=NoticeMethod.choices)
    contact = forms.CharField(label=_("told to"), max_length=100)
    notified_at = forms.DateTimeField(label=_("notified at"), widget=DATETIME)
    reference = forms.CharField(label=_("their reference"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.catalog.models import Manufacturer

        self.fields["manufacturer"].queryset = Manufacturer.objects.order_by("name")
        self.fields["notified_at"].initial = _now()


class HandoverCloseForm(forms.Form):
    reference = forms.CharField(label=_("adverse-event report"), max_length=60)
    note = _text(_("note"), required=False)


class NoteForm(forms.Form):
    text = _text(_("note"), max_length=4000)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("task"), max_length=200)
    assignee = forms.ModelChoiceField(label=_("assigned to"), queryset=None)
    due_on = forms.DateField(label=_("due on"), widget=DateInput())

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.accounts.models import User

        ids = [m.user_id for m in complaint.team.all()] if complaint is not None else []
        if complaint is not None and complaint.handler_id:
            ids.append(complaint.handler_id)
        self.fields["assignee"].queryset = User.objects.filter(pk__in=ids)


class TaskDoneForm(forms.Form):
    result = _text(_("result"))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file (PDF, JPEG or PNG)"))


class PortalComplaintForm(forms.Form):
    """A customer's complaint in the portal."""

    concerns = forms.ChoiceField(label=_("concerns"), choices=Concerns.choices)
    device = forms.ModelChoiceField(
        label=_("device"), queryset=None, required=False, empty_label=_("no particular unit")
    )
    content = _text(_("your complaint"), max_length=4000)
    complainant_name = forms.CharField(label=_("your name"), max_length=100)
    complainant_phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    complainant_email = forms.EmailField(label=_("e-mail"), max_length=254, required=False)

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = customer.devices.order_by("serial")
