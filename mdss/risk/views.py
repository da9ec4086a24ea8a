"""Risk pages: the register with its heat map, a risk's page with its assessment
history, one page per transition, the review calendar, the signals and the matrix.
Views call selectors and services only; the API reaches the same services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mdss.core.dates import local_today
from mdss.core.errors import InvalidTransition, PermissionDenied, attempt
from mdss.core.paging import paginate

from . import charts, forms, selectors, services
from .choices import RiskAction as A
from .choices import RiskCategory, RiskSignalStatus, RiskStatus, RiskZone
from .permissions import actions_for, may, require, require_reader, sees_all


def _choice(request, name, choices) -> str:
    value = request.GET.get(name, "")
    return value if value in choices.values else ""


def _scale(request, name) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def register(request):
    """The register with its filters, and the heat map of the open risks."""
    require_reader(request.user)
    status = request.GET.get("status", RiskStatus.OPEN)
    status = status if status in (*RiskStatus.values, "all") else RiskStatus.OPEN
    category, zone = _choice(request, "category", RiskCategory), _choice(request, "zone", RiskZone)
    q = (request.GET.get("q") or "").strip()[:100]
    likelihood, impact = _scale(request, "likelihood"), _scale(request, "impact")
    rows = selectors.risks_for_user(
        request.user, status="" if status == "all" else status, category=category, zone=zone, q=q
    )
    if likelihood and impact:
        rows = rows.filter(likelihood=likelihood, impact=impact)
    matrix = services.matrix_in_force()
    view = "inherent" if request.GET.get("view") == "inherent" else "current"
    heat = (
        selectors.inherent_heat_map(request.user)
        if view == "inherent"
        else selectors.heat_map(request.user)
    )
    return render(
        request,
        "risk/register.html",
        {
            "page": paginate(request, rows, 30),
            "status": status,
            "category": category,
            "zone": zone,
            "q": q,
            "cell": (likelihood, impact) if likelihood and impact else None,
            "view": view,
            "categories": RiskCategory.choices,
            "zones": RiskZone.choices,
            "heat_chart": charts.heat_map(
                matrix, heat, link=reverse("risk:register") if view == "current" else ""
            ),
            "grid": charts.grid(matrix, heat),
            "may_create": may(request.user, A.CREATE),
            "today": local_today(),
        },
    )


def detail(request, risk_id: int):
    it = selectors.risk_get_for_user(request.user, risk_id)
    actions = actions_for(request.user, it)
    return render(
        request,
        "risk/detail.html",
        {
            "it": it,
            "buttons": [(a, A(a).label) for a in actions],
            "history_chart": charts.history(it.assessment_rows),
            "may_steward": may(request.user, A.CLOSE),
            "today": local_today(),
        },
    )


def create(request):
    require(request.user, A.CREATE)
    form = forms.RiskForm(request.POST or None)
    created = {}

    def submit():
        created["it"] = services.risk_create(actor=request.user, **form.service_kwargs())

    if request.method == "POST" and attempt(form, submit):
        messages.success(request, _("Risk recorded: add its measures."))
        return redirect("risk:detail", created["it"].pk)
    back = reverse("risk:register")
    return render(
        request,
        "risk/form.html",
        {"form": form, "title": A.CREATE.label, "parent": (_("Risk register"), back), "back": back},
    )


@dataclass(frozen=True)
class Step:
    form: Callable
    call: Callable
    done: object


STEPS = {
    A.ASSESS: Step(
        lambda data, it: forms.AssessForm(data),
        lambda u, it, kw: services.risk_assess(actor=u, risk=it, **kw),
        gettext_lazy("Assessment recorded."),
    ),
    A.MEASURE_ADD: Step(
        lambda data, it: forms.MeasureForm(data, risk=it),
        lambda u, it, kw: services.measure_add(actor=u, risk=it, **kw),
        gettext_lazy("Measure added; its owner is told."),
    ),
    A.REVIEW: Step(
        lambda data, it: forms.ReviewForm(data),
        lambda u, it, kw: services.risk_review(actor=u, risk=it, **kw),
        gettext_lazy("Review recorded; the next one is planned by the risk's level."),
    ),
    A.CLOSE: Step(
        lambda data, it: forms.ReasonForm(data),
        lambda u, it, kw: services.risk_close(actor=u, risk=it, **kw),
        gettext_lazy("Risk closed."),
    ),
}


def action(request, risk_id: int, action: str):
    """One transition's page: 404 out of scope or unknown, 403 for who may not, 409
    when the risk is closed."""
    if action not in STEPS:
        raise Http404
    it = selectors.risk_get_for_user(request.user, risk_id)
    require(request.user, action, it)
    if action not in actions_for(request.user, it):
        raise InvalidTransition()
    step = STEPS[action]
    form = step.form(request.POST if request.method == "POST" else None, it)
    if request.method == "POST" and attempt(
        form, lambda: step.call(request.user, it, form.service_kwargs())
    ):
        messages.success(request, step.done)
        return redirect("risk:detail", it.pk)
    back = reverse("risk:detail", args=[it.pk])
    return render(
        request,
        "risk/form.html",
        {
            "form": form,
            "it": it,
            "title": A(action).label,
            "parent": (it.number, back),
            "back": back,
        },
    )


def measure_done(request, risk_id: int, measure_id: int):
    if request.method != "POST":
        raise Http404
    measure = selectors.measure_get_for_user(request.user, measure_id)
    if measure.risk_id != risk_id:
        raise Http404
    if measure.owner_id != request.user.pk and not may(request.user, A.CLOSE):
        raise PermissionDenied(_("Only the measure's owner, quality or management."))
    form = forms.ResultForm(request.POST)
    if attempt(
        form,
        lambda: services.measure_done(actor=request.user, measure=measure, **form.cleaned_data),
    ):
        messages.success(request, _("Measure done."))
    else:
        messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
    return redirect("risk:detail", risk_id)


def reviews(request):
    """The review calendar: open risks by their next review, the overdue first."""
    require_reader(request.user)
    today = local_today()
    rows = selectors.risks_for_user(request.user).exclude(next_review_on__isnull=True)
    return render(
        request,
        "risk/reviews.html",
        {
            "page": paginate(request, rows.order_by("next_review_on", "number"), 50),
            "overdue": selectors.reviews_due(request.user, today=today).count(),
            "today": today,
        },
    )


def signals(request):
    status = request.GET.get("status", RiskSignalStatus.PROPOSED)
    status = status if status in (*RiskSignalStatus.values, "") else RiskSignalStatus.PROPOSED
    rows = selectors.signals_for_user(request.user, status=status)
    return render(
        request,
        "risk/signals.html",
        {
            "page": paginate(request, rows, 30),
            "status": status,
            "statuses": RiskSignalStatus.choices,
            "may_decide": may(request.user, A.SIGNAL_DECIDE),
        },
    )


def signal_decide(request, signal_id: int, decision: str):
    if decision not in ("accept", "dismiss"):
        raise Http404
    signal = selectors.signal_get_for_user(request.user, signal_id)
    require(request.user, A.SIGNAL_DECIDE)
    if signal.status != RiskSignalStatus.PROPOSED:
        raise InvalidTransition()
    data = request.POST if request.method == "POST" else None
    if decision == "accept":
        form = forms.AcceptForm(data, risks=list(selectors.risks_for_user(request.user)[:200]))

        def call():
            services.signal_accept(actor=request.user, signal=signal, **form.service_kwargs())

    else:
        form = forms.ReasonForm(data)

        def call():
            services.signal_dismiss(actor=request.user, signal=signal, **form.service_kwargs())

    if request.method == "POST" and attempt(form, call):
        messages.success(request, _("Signal decided."))
        return redirect("risk:signals")
    back = reverse("risk:signals")
    return render(
        request,
        "risk/form.html",
        {
            "form": form,
            "title": _("Accept the signal") if decision == "accept" else _("Dismiss the signal"),
            "parent": (_("Signals from the data"), back),
            "back": back,
            "signal": signal,
        },
    )


def matrix(request):
    """The matrix in force, its versions, and management's signed change."""
    require_reader(request.user)
    current = services.matrix_in_force()
    form = None
    if may(request.user, A.MATRIX):
        form = forms.MatrixForm(request.POST or None, zones=current.zones)
        if request.method == "POST" and attempt(
            form, lambda: services.matrix_change(actor=request.user, **form.service_kwargs())
        ):
            messages.success(request, _("A new version of the matrix is in force."))
            return redirect("risk:matrix")
    elif request.method == "POST":
        require(request.user, A.MATRIX)
    return render(
        request,
        "risk/matrix.html",
        {
            "current": current,
            "grid": charts.grid(current, {}),
            "versions": selectors.matrix_versions(),
            "form": form,
            "sees_all": sees_all(request.user),
        },
    )


def report(request):
    """The annual risk report (Q9), as a page and as a workbook."""
    require_reader(request.user)
    today = local_today()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    data = selectors.annual_report(request.user, year=year)
    if request.GET.get("format") == "xlsx":
        from mdss.core.excel import xlsx_response

        from .excel import export_report

        return xlsx_response(export_report(data), f"risk-report-{year}.xlsx")
    rows = [
        (label, [data["open_by_level"].get((code, zone), 0) for zone, _l in RiskZone.choices])
        for code, label in RiskCategory.choices
    ]
    return render(
        request,
        "risk/report.html",
        {
            "r": data,
            "rows": rows,
            "zones": RiskZone.choices,
            "years": list(range(today.year, today.year - 5, -1)),
        },
    )
