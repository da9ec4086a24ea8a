"""The filters every statistics page and API endpoint takes (core.filters): one form,
so a chart, its Excel export and the API answer for the same rows.

The period defaults to the last twelve months to today; it may span at most five
years and lie between 2000 and 2100, so a typo cannot ask for a century of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from mdss.contracts.selectors import year_ago
from mdss.core.filters import FilterForm

from . import categories
from .choices import Grain

MAX_DAYS = 5 * 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before (month-on-month for a month)."""
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            start = _add_months(self.start, -months)
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> Period:
        return Period(year_ago(self.start), year_ago(self.end))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_period(today: date) -> Period:
    """The last twelve months: from the first of the month eleven months ago to today."""
    return Period(_add_months(today.replace(day=1), -11), today)


def _all(label):
    return [("", label)]


class AnalyticsFilterForm(FilterForm):
    id_fields = ("province", "rep", "engineer", "model")
    date_ranges = (("start", "end"),)

    start = forms.DateField(label=_("from"), required=False)
    end = forms.DateField(label=_("until"), required=False)
    grain = forms.ChoiceField(label=_("by"), required=False, choices=Grain.choices)
    province = forms.TypedChoiceField(label=_("province"), required=False, coerce=int)
    customer_kind = forms.ChoiceField(label=_("customer type"), required=False)
    customer_grade = forms.ChoiceField(label=_("grade"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False)
    rep = forms.TypedChoiceField(label=_("rep"), required=False, coerce=int)
    model = forms.IntegerField(
        label=_("model"), required=False, min_value=1, widget=forms.HiddenInput
    )
    engineer = forms.IntegerField(
        label=_("engineer"), required=False, min_value=1, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(label=_("request type"), required=False)
    channel = forms.ChoiceField(label=_("channel"), required=False)

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mdss.customers.choices import CustomerGrade, CustomerKind
        from mdss.customers.forms import region_choices
        from mdss.service.choices import Channel, RequestKind

        provinces, _cities = region_choices()
        if "province" in self.fields and not self.api:
            self.fields["province"].choices = [("", _("All provinces")), *provinces]
        self.fields["customer_kind"].choices = _all(_("All types")) + CustomerKind.choices
        self.fields["customer_grade"].choices = _all(_("All grades")) + CustomerGrade.choices
        self.fields["category"].choices = _all(_("All categories")) + categories.choices()
        self.fields["kind"].choices = _all(_("All types")) + RequestKind.choices
        self.fields["channel"].choices = _all(_("All channels")) + Channel.choices
        if not self.api:
            reps = [("", _("All reps"))]
            if viewer is not None:
                from mdss.customers.selectors import reps_for

                team = reps_for(viewer)
                if team is not None:
                    reps += [
                        (pk, full_name or username)
                        for pk, full_name, username in team.values_list(
                            "pk", "full_name", "username"
                        )[:200]
                    ]
            self.fields["rep"].choices = reps
        self.fields["grain"].initial = Grain.MONTH

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            value = data.get(name)
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        start, end = data.get("start"), data.get("end")
        if start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", _("A period spans at most five years."))
        return data


@dataclass(frozen=True)
class Filters:
    """What the selectors take: the period and the chosen dimensions."""

    period: Period
    grain: str = Grain.MONTH
    province: int | None = None
    customer_kind: str = ""
    customer_grade: str = ""
    category: str = ""
    rep: int | None = None
    model: int | None = None
    engineer: int | None = None
    kind: str = ""
    channel: str = ""

    def query(self) -> dict:
        """The filters as query parameters (drill-down links and exports keep them)."""
        out = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        for name in ("grain", "province", "customer_kind", "customer_grade", "category", "rep",
                     "model", "engineer", "kind", "channel"):  # fmt: skip
            value = getattr(self, name)
            if value not in (None, ""):
                out[name] = str(value)
        return out


def build(values: dict, today: date) -> Filters:
    """Filters from a form's (or the API's) values, the period defaulting to the last
    twelve months (an open end to today, an open start to a year before the end)."""
    start, end = values.get("start"), values.get("end")
    if not start and not end:
        period = default_period(today)
    else:
        end = end or min(max(today, start), start + timedelta(days=MAX_DAYS - 1))
        start = start or _add_months(end.replace(day=1), -11)
        period = Period(start, end)
    return Filters(
        period=period,
        grain=values.get("grain") or Grain.MONTH,
        province=values.get("province") or None,
        customer_kind=values.get("customer_kind") or "",
        customer_grade=values.get("customer_grade") or "",
        category=values.get("category") or "",
        rep=values.get("rep") or None,
        model=values.get("model") or None,
        engineer=values.get("engineer") or None,
        kind=values.get("kind") or "",
        channel=values.get("channel") or "",
    )
