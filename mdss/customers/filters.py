"""Filters of the customer and feedback lists, shared by the pages, the export and
the API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import (
    CUSTOMER_SORTS,
    CustomerGrade,
    CustomerKind,
    CustomerStatus,
    FeedbackStatus,
)
from .forms import _all, region_choices, rep_filter_choices


class CustomerFilterForm(FilterForm):
    api_names = {"search": "q"}
    id_fields = ("province", "region", "owner")
    sorts = CUSTOMER_SORTS

    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("type"), required=False, choices=_all(_("All types")) + CustomerKind.choices
    )
    grade = forms.ChoiceField(
        label=_("grade"), required=False, choices=_all(_("All grades")) + CustomerGrade.choices
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_all(_("All statuses")) + CustomerStatus.choices
    )
    province = forms.TypedChoiceField(label=_("province"), required=False, coerce=int)
    region = forms.TypedChoiceField(label=_("city"), required=False, coerce=int)
    owner = forms.TypedChoiceField(label=_("owning rep"), required=False, coerce=int)
    visit = forms.ChoiceField(
        label=_("return visit"),
        required=False,
        choices=[("", _("Any")), ("due", _("due this period")), ("overdue", _("overdue"))],
    )

    # A team up to this size is offered as a list of reps; beyond it, and for those
    # who see the whole national sales force, the list would cost more than the page,
    # so only the rep already chosen (from the visits page's per-rep table) is offered.
    MAX_LISTED_REPS = 200

    def __init__(self, *args, reps=None, list_reps=True, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.api:
            return
        # Plain tuples rather than model choices: these lists are built on every
        # keystroke of the search box.
        provinces, cities = region_choices()
        self.fields["province"].choices = [("", _("All provinces")), *provinces]
        self.fields["region"].choices = [("", _("All cities")), *cities]
        if reps is None:
            del self.fields["owner"]
            return
        self.fields["owner"].choices = rep_filter_choices(
            reps, viewer, self.data.get("owner"), self.MAX_LISTED_REPS if list_reps else None
        )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "kind": data.get("kind", ""),
            "grade": data.get("grade", ""),
            "status": data.get("status", ""),
            "province": data.get("province") or None,
            "region": data.get("region") or None,
            "owner": data.get("owner") or None,
            "visit": data.get("visit", ""),
            "sort": data.get("sort", ""),
        }


class FeedbackFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_all(_("All statuses")) + FeedbackStatus.choices
    )


class VisitsDueFilterForm(FilterForm):
    """The return visits due: a customer's name or credit code, and (for a manager)
    one rep's customers; sorted like the customer list (overdue first by default)."""

    sorts = CUSTOMER_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    owner = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
