"""One form per quality transition (views.FORMS): the fields a person types. Status,
deadlines and who did it are never form fields; ``service_kwargs`` turns the cleaned
data into the service's arguments. The services check every rule again (the API
reaches them without these forms)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mdss.core.forms import DateInput, TagsField

from .choices import (
    AeOutcome,
    AuditCheck,
    AuditStrata,
    CapaKind,
    FeedbackSource,
    Fishbone,
    IncidentSource,
    NoticeChannel,
    RecallLevel,
    SendMethod,
    Sex,
)

TEXT = {"rows": 3}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(label, required=True, max_length=2000):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs=TEXT)
    )


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


def _models():
    from mdss.catalog.models import ProductModel

    return ProductModel.objects.select_related("product").order_by("product__name", "code")


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


class FeedbackForm(Form):
    source = forms.ChoiceField(label=_("source"), choices=FeedbackSource.choices)
    received_on = forms.DateField(label=_("received on"), widget=DateInput())
    model = forms.ModelChoiceField(label=_("model / specification"), queryset=None)
    lot = forms.CharField(label=_("lot"), max_length=100, required=False)
    serial = forms.CharField(label=_("serial number"), max_length=100, required=False)
    description = _text(_("problem"), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = _models()
        self.initial.setdefault("received_on", timezone.localdate())


class SendForm(Form):
    method = forms.ChoiceField(label=_("how"), choices=SendMethod.choices)
    sent_to = forms.CharField(label=_("sent to"), max_length=200)
    reference = forms.CharField(label=_("manufacturer's reference"), max_length=100, required=False)


class AnswerForm(Form):
    answer = _text(_("manufacturer's answer"), max_length=4000)
    action = _text(_("manufacturer's action"), max_length=4000)


class NoteForm(Form):
    note = _text(_("note"), required=False)


class IncidentForm(Form):
    source = forms.ChoiceField(label=_("source"), choices=IncidentSource.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    occurred_on = forms.DateField(label=_("occurred on"), widget=DateInput())
    description = _text(_("what happened"), max_length=4000)
    impact = _text(_("impact"), required=False)
    model = forms.ModelChoiceField(label=_("model / specification"), queryset=None, required=False)
    lot = forms.CharField(label=_("lot"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = _models()


class ContainForm(Form):
    containment = _text(_("immediate containment"))


class AnalysisForm(Form):
    """Five whys (one line each, the first ones at least) and the fishbone's six
    categories, then the root cause."""

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, 6):
            self.fields[f"why{n}"] = forms.CharField(
                label=_("why %(n)s") % {"n": n}, max_length=500, required=False
            )
        for code, label in Fishbone.choices:
            self.fields[f"fb_{code}"] = forms.CharField(label=label, max_length=500, required=False)
        self.fields["root_cause"] = _text(_("root cause"))
        if incident is not None and incident.analysed_at:
            for n, why in enumerate(incident.whys[:5], start=1):
                self.initial[f"why{n}"] = why
            for code, text in incident.fishbone.items():
                self.initial[f"fb_{code}"] = text
            self.initial["root_cause"] = incident.root_cause

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "whys": [data[f"why{n}"] for n in range(1, 6) if data[f"why{n}"].strip()],
            "fishbone": {c: data[f"fb_{c}"] for c in Fishbone.values if data[f"fb_{c}"].strip()},
            "root_cause": data["root_cause"],
        }


class CapaForm(Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CapaKind.choices)
    description = _text(_("action"))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class VerifyForm(Form):
    effective = forms.TypedChoiceField(
        label=_("effective?"),
        choices=[("1", _("effective: the problem has not come back")), ("0", _("not effective"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    evidence = _text(_("evidence"))


class SignForm(Form):
    password = forms.CharField(
        label=_("your password (e-signature)"), widget=forms.PasswordInput, max_length=128
    )
    lessons = _text(_("lessons learnt"), max_length=4000)


class ResultForm(Form):
    result = _text(_("result"))


class AdverseEventForm(Form):
    """The national form's fields; the patient's data are kept to age and sex."""

    reporter_name = forms.CharField(label=_("reporter"), max_length=100)
    reporter_org = forms.CharField(
        label=_("reporter's organisation"), max_length=200, required=False
    )
    reporter_phone = forms.CharField(label=_("reporter's phone"), max_length=30, required=False)
    patient_age = forms.IntegerField(
        label=_("patient's age"), min_value=0, max_value=150, required=False
    )
    patient_sex = forms.ChoiceField(label=_("patient's sex"), choices=Sex.choices)
    event_on = forms.DateField(label=_("event date"), widget=DateInput())
    aware_at = forms.DateTimeField(label=_("we learnt of it at"), widget=DATETIME)
    outcome = forms.ChoiceField(label=_("outcome"), choices=AeOutcome.choices)
    cluster = forms.BooleanField(label=_("cluster event"), required=False)
    model = forms.ModelChoiceField(label=_("model / specification"), queryset=None, required=False)
    udi = forms.CharField(label=_("UDI"), max_length=200, required=False)
    lot = forms.CharField(label=_("lot"), max_length=100, required=False)
    serial = forms.CharField(label=_("serial number"), max_length=100, required=False)
    narrative = _text(_("what happened"), max_length=4000)
    preliminary_cause = _text(_("preliminary cause"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = _models()
        self.initial.setdefault("aware_at", _now())


class NotifyForm(Form):
    notified_at = forms.DateTimeField(label=_("notified at"), widget=DATETIME)
    method = forms.ChoiceField(label=_("how"), choices=SendMethod.choices)
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("notified_at", _now())


class SubmitForm(Form):
    submitted_on = forms.DateField(label=_("submitted on"), widget=DateInput())
    receipt_number = forms.CharField(label=_("receipt number"), max_length=100)


class RecallForm(Form):
    level = forms.ChoiceField(label=_("level"), choices=RecallLevel.choices)
    model = forms.ModelChoiceField(label=_("model / specification"), queryset=None)
    lots = TagsField(
        label=_("lots"),
        max_length=20000,
        required=False,
        help_text=_(
            "Separate them with commas; leave lots and serial numbers empty for every unit."
        ),
    )
    serials = TagsField(label=_("serial numbers"), max_length=20000, required=False)
    manufacturer_notice = forms.CharField(label=_("manufacturer's notice number"), max_length=100)
    notice_on = forms.DateField(label=_("notice dated"), widget=DateInput())
    reason = _text(_("reason"), max_length=4000)
    action = _text(_("corrective action"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = _models()


class ConfirmForm(Form):
    """A transition without input (starting a recall): the button is the form."""


class RecallNoticeForm(Form):
    customer = forms.TypedChoiceField(label=_("customer"), coerce=int)
    channel = forms.ChoiceField(label=_("channel"), choices=NoticeChannel.choices)
    sent_at = forms.DateTimeField(label=_("sent at"), widget=DATETIME)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, customers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [(c.pk, c.name) for c in customers]
        self.initial.setdefault("sent_at", _now())
        self._customers = {c.pk: c for c in customers}

    def service_kwargs(self) -> dict:
        return {**self.cleaned_data, "customer": self._customers[self.cleaned_data["customer"]]}


class AcknowledgeForm(Form):
    acknowledged_by = forms.CharField(label=_("acknowledged by"), max_length=100)


class PlanForm(Form):
    due_on = forms.DateField(label=_("correct by"), widget=DateInput())


class PeriodForm(Form):
    period_start = forms.DateField(label=_("from"), widget=DateInput())
    period_end = forms.DateField(label=_("to"), widget=DateInput())


class ReviewForm(Form):
    comment = _text(_("manager's comment"))


class AuditForm(PeriodForm):
    strata = forms.ChoiceField(label=_("strata"), choices=AuditStrata.choices)
    percent = forms.IntegerField(
        label=_("sample (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: the policy's share."),
    )
    seed = forms.IntegerField(
        label=_("seed"),
        min_value=0,
        max_value=2**53 - 1,
        required=False,
        help_text=_("Empty: a new random draw; the same seed draws the same sample."),
    )


class CheckForm(Form):
    """The checklist: every point answered yes or no."""

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in AuditCheck.choices:
            self.fields[code] = forms.TypedChoiceField(
                label=label,
                choices=[("1", _("yes")), ("0", _("no"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect,
            )
            if item is not None and code in item.checks:
                self.initial[code] = "1" if item.checks[code] else "0"
        self.fields["note"] = _text(_("note"), required=False)
        if item is not None:
            self.initial["note"] = item.note

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"checks": {c: data[c] for c in AuditCheck.values}, "note": data["note"]}


class FindingForm(Form):
    description = _text(_("finding"))
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None)
    due_on = forms.DateField(label=_("rectify by"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class SummaryForm(Form):
    summary = _text(_("summary"), max_length=4000)


class TraceForm(forms.Form):
    q = forms.CharField(
        label=_("UDI, lot or serial number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "text"}),
    )
    by = forms.ChoiceField(
        label=_("look for"),
        choices=[
            ("udi", _("a scanned UDI")),
            ("lot", _("a lot")),
            ("serial", _("a serial number")),
        ],
        initial="lot",
        required=False,
    )
