"""Filters of the contract ledger, shared by the page, the export and the API
(core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm
from mdss.core.forms import DateInput
from mdss.customers.filters import CustomerFilterForm
from mdss.customers.forms import region_choices, rep_filter_choices

from .choices import LEDGER_SORTS, RECEIVABLE_SORTS, ContractStatus


class LedgerFilterForm(FilterForm):
    api_names = {"search": "q"}
    id_fields = ("province", "rep")
    sorts = LEDGER_SORTS

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All statuses")), *ContractStatus.choices],
    )
    date_ranges = (("signed_from", "signed_to"),)
    signed_from = forms.DateField(label=_("signed from"), required=False, widget=DateInput())
    signed_to = forms.DateField(label=_("signed until"), required=False, widget=DateInput())
    province = forms.TypedChoiceField(label=_("province"), required=False, coerce=int)
    rep = forms.TypedChoiceField(label=_("rep"), required=False, coerce=int)
    # From a customer's page: that customer's contracts.
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, reps=None, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.api:
            return
        provinces, _cities = region_choices()
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        if reps is None:
            del self.fields["rep"]
            return
        # Like the customer list: a team is listed, the national sales force is not.
        self.fields["rep"].choices = rep_filter_choices(
            reps, viewer, self.data.get("rep"), CustomerFilterForm.MAX_LISTED_REPS
        )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v not in (None, "")}


class ReceivablesFilterForm(FilterForm):
    """The overdue receivables: a contract number or customer name, sorted."""

    sorts = RECEIVABLE_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class DeliveriesFilterForm(FilterForm):
    """The deliveries to prepare: a contract number or customer name."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
