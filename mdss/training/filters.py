"""Filters of the assessment list, shared by the page and the API (core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm

from .choices import AssessmentStatus


class AssessmentFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All statuses")), ("all", _("All statuses")), *AssessmentStatus.choices],
    )
    user = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        values = self.values()
        status = values["status"] or ""
        return {"status": "" if status == "all" else status, "user": values["user"]}
