"""Filters of the assessment and session lists, shared by the pages and the API
(core.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.core.filters import FilterForm
from mdss.core.forms import DateInput

from .choices import SESSION_SORTS, AssessmentStatus, SessionKind, SessionStatus, Team


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


class SessionFilterForm(FilterForm):
    """The training sessions list: title or trainer, team, type, status and a period,
    sorted by a column (newest first unless ``sort``)."""

    sorts = SESSION_SORTS

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    team = forms.ChoiceField(
        label=_("team"), required=False, choices=[("", _("All teams")), *Team.choices]
    )
    kind = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", _("All types")), *SessionKind.choices]
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All statuses")), *SessionStatus.choices],
    )
    date_ranges = (("held_from", "held_to"),)
    held_from = forms.DateField(label=_("held from"), required=False, widget=DateInput())
    held_to = forms.DateField(label=_("held until"), required=False, widget=DateInput())
