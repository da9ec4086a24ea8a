"""Filters of the deadlines list (core.filters): everyone's or mine, open or overdue,
sorted by a column (soonest due first unless ``sort``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

# URL key -> fields ordered by (core.sorting).
CLOCK_SORTS = {
    "record": ("subject_repr",),
    "obligation": ("target__name", "due_at"),
    "responsible": ("responsible__full_name", "due_at"),
    "due": ("due_at",),
    "status": ("status", "due_at"),
}


class ClockFilterForm(FilterForm):
    sorts = CLOCK_SORTS
    mine = forms.BooleanField(label=_("Mine"), required=False)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
