"""One form per transition of a service request (views.ACTIONS): the fields a person
types; status, deadlines and who did it are never form fields."""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mdss.core.forms import DateInput

from .choices import Channel, ConfirmationMethod, Triage, Urgency

TEXT = {"rows": 3}


def _text(label, required=True, max_length=2000):
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs=TEXT)
    )


class RequestForm(forms.Form):
    """The hotline's call log: the customer and the device come from the caller
    lookup above the form (phone, name, serial or a scanned UDI)."""

    customer = forms.ModelChoiceField(
        label=_("customer"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    device = forms.ModelChoiceField(
        label=_("device"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("not known yet"),
    )
    reporter_name = forms.CharField(label=_("reported by"), max_length=100)
    reporter_phone = forms.CharField(label=_("reporter's phone"), max_length=30, required=False)
    symptom = _text(_("symptom"))
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(c, label) for c, label in Channel.choices if c in ("hotline", "email")],
        initial=Channel.HOTLINE,
    )
    reported_at = forms.DateTimeField(
        label=_("reported at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, customers=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.customers.models import Customer
        from mdss.devices.models import InstalledDevice

        # The lookup's matches are offered; a POST is checked against every customer.
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
        self.fields["reported_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(forms.Form):
    note = _text(_("what was agreed"), required=False)


class TriageForm(forms.Form):
    triage = forms.ChoiceField(label=_("triage"), choices=Triage.choices, widget=forms.RadioSelect)
    note = _text(_("note"), required=False)


class ResolveForm(forms.Form):
    guidance = _text(_("guidance given"), max_length=4000)
    outcome = _text(_("outcome"))


class DispatchForm(forms.Form):
    engineer = forms.ModelChoiceField(
        label=_("engineer"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    override_reason = _text(
        _("send without the competence because (service manager's override)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import engineers_with_load

        self.fields["engineer"].queryset = engineers_with_load()


class EmptyForm(forms.Form):
    """An action with nothing to type (arrival, closing)."""


class RepairForm(forms.Form):
    fault_symptom = _text(_("fault symptom"))
    fault_cause = _text(_("fault cause"), required=False)
    fault_code = forms.CharField(label=_("fault code"), max_length=30, required=False)
    inspection = _text(_("inspection"), required=False, max_length=4000)
    repair_method = _text(_("repair method"), max_length=4000)
    labour_minutes = forms.IntegerField(
        label=_("labour (minutes)"), min_value=0, max_value=7 * 24 * 60, required=False
    )
    test_result = _text(_("test results after repair"), required=False)
    suspected_defect = forms.BooleanField(
        label=_("I suspect a product defect (quality will tell the manufacturer)"),
        required=False,
    )

    ROWS = 3

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.inventory.forms import PartNumberField
        from mdss.inventory.models import Requisition

        requisitions = Requisition.objects.filter(service_reference=request.number)
        for n in range(1, self.ROWS + 1):
            self.fields[f"parts.{n}.part"] = PartNumberField(
                label=_("part number"), max_length=60, required=False
            )
            self.fields[f"parts.{n}.quantity"] = forms.IntegerField(
                label=_("quantity"), min_value=1, max_value=1000, required=False, initial=1
            )
            self.fields[f"parts.{n}.new_lot_serial"] = forms.CharField(
                label=_("lot/serial fitted"), max_length=100, required=False
            )
            self.fields[f"parts.{n}.removed_lot_serial"] = forms.CharField(
                label=_("lot/serial removed"), max_length=100, required=False
            )
            self.fields[f"parts.{n}.requisition"] = forms.ModelChoiceField(
                label=_("requisition"), queryset=requisitions, required=False
            )

    @property
    def part_rows(self):
        names = ("part", "quantity", "new_lot_serial", "removed_lot_serial", "requisition")
        return [[self[f"parts.{n}.{name}"] for name in names] for n in range(1, self.ROWS + 1)]

    def service_kwargs(self) -> dict:
        from .services import PartFitted

        data = dict(self.cleaned_data)
        parts = []
        for n in range(1, self.ROWS + 1):
            row = {k.split(".")[2]: data.pop(k) for k in list(data) if k.startswith(f"parts.{n}.")}
            if row["part"]:
                parts.append(
                    PartFitted(
                        part=row["part"],
                        quantity=row["quantity"] or 1,
                        new_lot_serial=row["new_lot_serial"],
                        removed_lot_serial=row["removed_lot_serial"],
                        requisition=row["requisition"],
                    )
                )
        return {**data, "parts": parts}


class ReasonForm(forms.Form):
    reason = _text(_("reason"))


class CompleteForm(forms.Form):
    outcome = _text(_("result"), required=False)


class ConfirmForm(forms.Form):
    """On the engineer's phone: the customer's name, and a signature drawn on the
    canvas (sent as a PNG data URL), or the reason for refusing."""

    accepted = forms.TypedChoiceField(
        label=_("the customer"),
        choices=[("yes", _("accepts the result")), ("no", _("does not accept it"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    method = forms.ChoiceField(
        label=_("how"),
        choices=[
            (ConfirmationMethod.SIGNATURE, ConfirmationMethod.SIGNATURE.label),
            (ConfirmationMethod.VERBAL, ConfirmationMethod.VERBAL.label),
        ],
        initial=ConfirmationMethod.SIGNATURE,
    )
    signer_name = forms.CharField(label=_("customer's name"), max_length=100)
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500_000)
    reason = _text(_("reason for refusal"), required=False)

    def clean_signature(self):
        value = self.cleaned_data["signature"]
        if not value:
            return None
        prefix = "data:image/png;base64,"
        if not value.startswith(prefix):
            raise forms.ValidationError(_("The signature must be a PNG image."), code="not_png")
        try:
            return base64.b64decode(value[len(prefix) :], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise forms.ValidationError(_("The signature could not be read."), code="bad") from exc

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "accepted": data["accepted"],
            "method": data["method"],
            "signer_name": data["signer_name"],
            "signature_png": data["signature"],
            "reason": data["reason"],
        }


SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class ScoresForm(forms.Form):
    """Satisfaction (A9): the follow-up visit's and the portal survey's questions."""

    attitude = forms.TypedChoiceField(
        label=_("attitude"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    quality = forms.TypedChoiceField(
        label=_("quality"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    timeliness = forms.TypedChoiceField(
        label=_("timeliness"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    satisfied = forms.TypedChoiceField(
        label=_("satisfied overall"),
        choices=[("yes", _("satisfied")), ("no", _("not satisfied"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comments = _text(_("comments"), required=False)


class FollowUpForm(ScoresForm):
    field_order = ["contacted_person"]

    contacted_person = forms.CharField(label=_("spoke to"), max_length=100)
    improvement = _text(_("improvement action (when not satisfied)"), required=False)
    improvement_owner = forms.ModelChoiceField(
        label=_("owner of the improvement"), queryset=None, required=False
    )
    improvement_due = forms.DateField(
        label=_("improvement due on"), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.accounts import roles
        from mdss.accounts.models import User

        self.fields["improvement_owner"].queryset = User.objects.filter(
            is_active=True, groups__name__in=[roles.SERVICE_MANAGER, roles.SERVICE_ENGINEER]
        ).distinct()


class ImprovementDoneForm(forms.Form):
    result = _text(_("result"))


class QuoteForm(forms.Form):
    amount = forms.DecimalField(
        label=_("quoted amount (CNY)"), max_digits=12, decimal_places=2, min_value=0.01
    )
    note = _text(_("what is quoted (parts, labour)"), required=False)
