"""Quality pages: the dashboard, the trace, and for each record (product feedback,
incidents and CAPA, suspected adverse events, recalls, evaluations, record audits)
its list, its workspace and one page per transition. Views call selectors and
services only; the API reaches the same services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mdss.accounts import roles
from mdss.core.dates import last_quarter, local_today
from mdss.core.errors import InvalidTransition, ValidationFailed, attempt
from mdss.core.paging import paginate

from . import forms, selectors, services
from .choices import (
    AeStatus,
    AuditCheck,
    AuditStatus,
    FeedbackStatus,
    Fishbone,
    IncidentStatus,
    RecallStatus,
)
from .choices import QualityAction as A
from .permissions import (
    AE_STATE_ACTIONS,
    FEEDBACK_STATE_ACTIONS,
    RECALL_STATE_ACTIONS,
    actions_for,
    incident_actions_for,
    may_act,
    require_owner_or,
    require_reader,
    require_role,
)


def home(request):
    now = timezone.now()
    context = selectors.dashboard(request.user, today=local_today(), now=now)
    return render(request, "quality/home.html", {**context, "now": now})


def trace(request):
    """One box: a scanned UDI, a lot or a serial → every unit, customer, site,
    delivery, contract and stock location."""
    require_role(request.user, A.TRACE)
    form = forms.TraceForm(request.GET or None)
    result = None
    if form.is_valid() and form.cleaned_data["q"]:
        by = form.cleaned_data["by"] or "lot"
        try:
            result = selectors.trace(request.user, **{by: form.cleaned_data["q"]})
        except ValidationFailed as exc:
            form.add_error("q", " ".join(e.message for e in exc.errors))
    return render(request, "quality/trace.html", {"form": form, "result": result})


# Transitions done inline on the page rather than on a page of their own.
INLINE = {A.CAPA_DONE, A.RECALL_ACK}


def _buttons(actions) -> list[tuple[str, str]]:
    return [(a, A(a).label) for a in actions if a not in INLINE]


def _status(request, choices) -> str:
    status = request.GET.get("status", "")
    return status if status == "open" or status in choices.values else ""


def _search(request) -> str:
    return (request.GET.get("q") or "").strip()[:100]


# Lists ---------------------------------------------------------------------------


def feedback_list(request):
    status, q = _status(request, FeedbackStatus), _search(request)
    rows = selectors.feedback_for_user(request.user, status=status, q=q)
    return render(
        request,
        "quality/feedback_list.html",
        {
            "page": paginate(request, rows, 30),
            "status": status,
            "q": q,
            "statuses": FeedbackStatus.choices,
            "may_create": may_act(request.user, A.FEEDBACK_CREATE),
        },
    )


def incident_list(request):
    status, q = _status(request, IncidentStatus), _search(request)
    rows = selectors.incidents_for_user(request.user, status=status, q=q)
    return render(
        request,
        "quality/incident_list.html",
        {
            "page": paginate(request, rows, 30),
            "status": status,
            "q": q,
            "statuses": IncidentStatus.choices,
            "may_create": may_act(request.user, A.INCIDENT_CREATE),
            "now": timezone.now(),
        },
    )


def ae_list(request):
    status = _status(request, AeStatus)
    rows = selectors.adverse_events_for_user(request.user, status=status)
    return render(
        request,
        "quality/ae_list.html",
        {
            "page": paginate(request, rows, 30),
            "status": status,
            "statuses": AeStatus.choices,
            "may_create": may_act(request.user, A.AE_CREATE),
            "now": timezone.now(),
        },
    )


def recall_list(request):
    status = _status(request, RecallStatus)
    page = paginate(request, selectors.recalls_for_user(request.user, status=status), 30)
    return render(
        request,
        "quality/recalls.html",
        {"page": page, "status": status, "may_create": may_act(request.user, A.RECALL_CREATE)},
    )


def audit_list(request):
    status = request.GET.get("status", "")
    status = status if status in AuditStatus.values else ""
    rows = selectors.audits_for_user(request.user, status=status)
    return render(
        request,
        "quality/audit_list.html",
        {
            "page": paginate(request, rows, 30),
            "status": status,
            "may_create": may_act(request.user, A.AUDIT_CREATE),
        },
    )


# Workspaces ----------------------------------------------------------------------


def feedback_detail(request, feedback_id: int):
    it = selectors.feedback_get_for_user(request.user, feedback_id)
    trend = selectors.feedback_trend(it.model, lot=it.lot or None, today=local_today())
    return render(
        request,
        "quality/feedback_detail.html",
        {
            "it": it,
            "buttons": _buttons(actions_for(request.user, it, FEEDBACK_STATE_ACTIONS)),
            "action_url": "quality:feedback-action",
            "may_open_incident": may_act(request.user, A.INCIDENT_CREATE),
            "incidents": list(it.incidents.order_by("pk")),
            "trend": trend,
            "trend_chart": _trend_chart(trend),
            "now": timezone.now(),
        },
    )


def _trend_chart(trend: dict) -> dict:
    from mdss.core import charts

    return charts.month_bars(
        [m["month"].strftime("%Y-%m") for m in trend["series"]],
        [
            {
                "name": str(_("reports")),
                "color": charts.RED,
                "data": [m["count"] for m in trend["series"]],
            }
        ],
    )


def incident_detail(request, incident_id: int):
    it = selectors.incident_get_for_user(request.user, incident_id)
    actions = incident_actions_for(request.user, it, it.action_rows)
    return render(
        request,
        "quality/incident_detail.html",
        {
            "it": it,
            "buttons": _buttons(actions),
            "action_url": "quality:incident-action",
            "may_mark_done": A.CAPA_DONE in actions,
            "fishbone": [(Fishbone(c).label, t) for c, t in it.fishbone.items() if c in Fishbone],
            "similar": list(selectors.similar_incidents(it)),
            "done_form": forms.ResultForm(),
            "now": timezone.now(),
            "today": local_today(),
            "user_is_quality": may_act(request.user, A.VERIFY),
        },
    )


def ae_detail(request, event_id: int):
    it = selectors.adverse_event_get_for_user(request.user, event_id)
    return render(
        request,
        "quality/ae_detail.html",
        {
            "it": it,
            "buttons": _buttons(actions_for(request.user, it, AE_STATE_ACTIONS)),
            "action_url": "quality:ae-action",
            "notices": list(it.notices.order_by("notified_at")),
            "now": timezone.now(),
        },
    )


def recall_detail(request, recall_id: int):
    it = selectors.recall_get_for_user(request.user, recall_id)
    actions = actions_for(request.user, it, RECALL_STATE_ACTIONS)
    return render(
        request,
        "quality/recall.html",
        {
            "it": it,
            "buttons": _buttons(actions),
            "action_url": "quality:recall-action",
            "progress": services.recall_progress(it),
            "customers": selectors.recall_customers(it),
            "ack_form": forms.AcknowledgeForm() if A.RECALL_ACK in actions else None,
        },
    )


def audit_detail(request, audit_id: int):
    it = selectors.audit_get_for_user(request.user, audit_id)
    is_open = it.status == AuditStatus.OPEN
    report = services.audit_report(it)
    return render(
        request,
        "quality/audit_detail.html",
        {
            "it": it,
            "report": report,
            "checks": [(label, report["per_check"][code]) for code, label in AuditCheck.choices],
            "check_codes": AuditCheck.choices,
            "buttons": _buttons(_audit_actions(request.user, it)),
            "action_url": "quality:audit-action",
            "may_check": is_open and may_act(request.user, A.AUDIT_CHECK),
            "may_find": is_open and may_act(request.user, A.FINDING_ADD),
            "may_close": is_open and may_act(request.user, A.AUDIT_CLOSE),
            "done_form": forms.ResultForm(),
            "today": local_today(),
        },
    )


# Creating ------------------------------------------------------------------------


@dataclass(frozen=True)
class Create:
    action: str
    form: type
    call: Callable
    detail: str
    title: object
    done: object


def _create_feedback(user, kw):
    return services.feedback_create(actor=user, **kw)


CREATES = {
    "feedback": Create(
        A.FEEDBACK_CREATE,
        forms.FeedbackForm,
        _create_feedback,
        "quality:feedback-detail",
        gettext_lazy("Product feedback"),
        gettext_lazy("Feedback recorded: send it to the manufacturer."),
    ),
    "incidents": Create(
        A.INCIDENT_CREATE,
        forms.IncidentForm,
        lambda user, kw: services.incident_create(actor=user, **kw),
        "quality:incident-detail",
        gettext_lazy("Quality incidents"),
        gettext_lazy("Incident opened: record the containment within its deadline."),
    ),
    "adverse-events": Create(
        A.AE_CREATE,
        forms.AdverseEventForm,
        lambda user, kw: services.ae_create(actor=user, **kw),
        "quality:ae-detail",
        gettext_lazy("Suspected adverse events"),
        gettext_lazy("Report recorded: its statutory deadline is running."),
    ),
    "recalls": Create(
        A.RECALL_CREATE,
        forms.RecallForm,
        lambda user, kw: services.recall_create(actor=user, **kw),
        "quality:recall-detail",
        gettext_lazy("Recalls"),
        gettext_lazy("Recall recorded: start it to lock the stock and stop the sales."),
    ),
    "audits": Create(
        A.AUDIT_CREATE,
        forms.AuditForm,
        lambda user, kw: services.audit_create(actor=user, **kw),
        "quality:audit-detail",
        gettext_lazy("Record audits"),
        gettext_lazy("Sample drawn: fill in the checklist of each record."),
    ),
}
# The URL names' stem of each kind (urls.py).
KIND_NAMES = {
    "feedback": "feedback",
    "incidents": "incident",
    "adverse-events": "ae",
    "recalls": "recall",
    "audits": "audit",
    "evaluations": "evaluation",
}
LISTS = {
    "feedback": "quality:feedback-list",
    "incidents": "quality:incident-list",
    "adverse-events": "quality:ae-list",
    "recalls": "quality:recall-list",
    "audits": "quality:audit-list",
}


def _from_feedback(request) -> tuple[dict, dict]:
    """An incident opened from a product feedback's page (``?feedback=<id>``): the
    feedback is linked and its model, lot and problem fill the form."""
    raw = request.GET.get("feedback") or request.POST.get("feedback") or ""
    if not raw.isdigit() or len(raw) > 12:
        return {}, {}
    feedback = selectors.feedback_get_for_user(request.user, int(raw))
    initial = {
        "source": "feedback",
        "title": feedback.description[:200],
        "description": feedback.description,
        "occurred_on": feedback.received_on,
        "model": feedback.model_id,
        "lot": feedback.lot,
    }
    return initial, {"feedback": feedback}


def create(request, kind: str):
    spec = CREATES[kind]
    require_role(request.user, spec.action)
    initial, linked = _from_feedback(request) if kind == "incidents" else ({}, {})
    form = spec.form(request.POST or None, initial=initial)
    created = {}

    def submit():
        created["it"] = spec.call(request.user, {**form.service_kwargs(), **linked})

    if request.method == "POST" and attempt(form, submit):
        messages.success(request, spec.done)
        return redirect(spec.detail, created["it"].pk)
    return render(
        request,
        "quality/form.html",
        {
            "form": form,
            "title": A(spec.action).label,
            "parent": (spec.title, reverse(LISTS[kind])),
            "back": reverse(LISTS[kind]),
            "linked": linked.get("feedback"),
        },
    )


# Transitions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    form: Callable  # (data, it) -> form
    call: Callable  # (user, it, kwargs) -> None
    done: object


def _plain(form_class):
    return lambda data, it: form_class(data)


def _recall_notice_form(data, it):
    return forms.RecallNoticeForm(
        data, customers=[c["customer"] for c in selectors.recall_customers(it)]
    )


STEPS = {
    "feedback": {
        A.FEEDBACK_SEND: Step(
            _plain(forms.SendForm),
            lambda u, it, kw: services.feedback_send(actor=u, feedback=it, **kw),
            gettext_lazy("Sent: the manufacturer's answer is awaited."),
        ),
        A.FEEDBACK_ANSWER: Step(
            _plain(forms.AnswerForm),
            lambda u, it, kw: services.feedback_answer(actor=u, feedback=it, **kw),
            gettext_lazy("Manufacturer's answer recorded."),
        ),
        A.FEEDBACK_CLOSE: Step(
            _plain(forms.NoteForm),
            lambda u, it, kw: services.feedback_close(actor=u, feedback=it, **kw),
            gettext_lazy("Closed."),
        ),
    },
    "incidents": {
        A.CONTAIN: Step(
            _plain(forms.ContainForm),
            lambda u, it, kw: services.incident_contain(actor=u, incident=it, **kw),
            gettext_lazy("Containment recorded: analyse the root cause."),
        ),
        A.ANALYSE: Step(
            lambda data, it: forms.AnalysisForm(data, incident=it),
            lambda u, it, kw: services.incident_analyse(actor=u, incident=it, **kw),
            gettext_lazy("Root cause recorded: add the corrective and preventive actions."),
        ),
        A.CAPA_ADD: Step(
            _plain(forms.CapaForm),
            lambda u, it, kw: services.capa_add(actor=u, incident=it, **kw),
            gettext_lazy("Action added; its owner is told."),
        ),
        A.VERIFY: Step(
            _plain(forms.VerifyForm),
            lambda u, it, kw: services.incident_verify(actor=u, incident=it, **kw),
            gettext_lazy("Verification recorded."),
        ),
        A.INCIDENT_CLOSE: Step(
            _plain(forms.SignForm),
            lambda u, it, kw: services.incident_close(actor=u, incident=it, **kw),
            gettext_lazy("Closed and signed."),
        ),
    },
    "adverse-events": {
        A.AE_NOTIFY: Step(
            _plain(forms.NotifyForm),
            lambda u, it, kw: services.ae_notify_manufacturer(actor=u, event=it, **kw),
            gettext_lazy("Manufacturer's notification recorded."),
        ),
        A.AE_SUBMIT: Step(
            _plain(forms.SubmitForm),
            lambda u, it, kw: services.ae_submit(actor=u, event=it, **kw),
            gettext_lazy("Submission recorded."),
        ),
        A.AE_CLOSE: Step(
            _plain(forms.NoteForm),
            lambda u, it, kw: services.ae_close(actor=u, event=it, **kw),
            gettext_lazy("Closed."),
        ),
    },
    "recalls": {
        A.RECALL_ACTIVATE: Step(
            _plain(forms.ConfirmForm),
            lambda u, it, kw: services.recall_activate(actor=u, recall=it),
            gettext_lazy("Recall started: the stock is locked and the lots cannot be sold."),
        ),
        A.RECALL_NOTICE: Step(
            _recall_notice_form,
            lambda u, it, kw: services.recall_notice(actor=u, recall=it, **kw),
            gettext_lazy("Notice recorded."),
        ),
        A.RECALL_ACTION: Step(
            _plain(forms.PlanForm),
            lambda u, it, kw: services.recall_plan_action(actor=u, recall=it, **kw),
            gettext_lazy("Service requests of type recall are open for the units."),
        ),
        A.RECALL_CLOSE: Step(
            _plain(forms.NoteForm),
            lambda u, it, kw: services.recall_close(actor=u, recall=it, **kw),
            gettext_lazy("Recall closed."),
        ),
    },
    "audits": {
        A.AUDIT_CLOSE: Step(
            _plain(forms.SummaryForm),
            lambda u, it, kw: services.audit_close(actor=u, record_audit=it, **kw),
            gettext_lazy("Audit closed."),
        ),
    },
    "evaluations": {
        A.EVALUATION_REVIEW: Step(
            _plain(forms.ReviewForm),
            lambda u, it, kw: services.evaluation_review(actor=u, evaluation=it, **kw),
            gettext_lazy("Review recorded."),
        ),
    },
}


def _audit_actions(user, it) -> list[str]:
    return [A.AUDIT_CLOSE] if it.status == AuditStatus.OPEN and may_act(user, A.AUDIT_CLOSE) else []


def _evaluation_actions(user, it) -> list[str]:
    ok = it.reviewed_at is None and may_act(user, A.EVALUATION_REVIEW) and it.engineer_id != user.pk
    return [A.EVALUATION_REVIEW] if ok else []


# kind → (the object in the viewer's scope, what the viewer may do on it now, its page)
OBJECTS = {
    "feedback": (
        selectors.feedback_get_for_user,
        lambda u, it: actions_for(u, it, FEEDBACK_STATE_ACTIONS),
        "quality:feedback-detail",
    ),
    "incidents": (
        selectors.incident_get_for_user,
        lambda u, it: incident_actions_for(u, it, it.action_rows),
        "quality:incident-detail",
    ),
    "adverse-events": (
        selectors.adverse_event_get_for_user,
        lambda u, it: actions_for(u, it, AE_STATE_ACTIONS),
        "quality:ae-detail",
    ),
    "recalls": (
        selectors.recall_get_for_user,
        lambda u, it: actions_for(u, it, RECALL_STATE_ACTIONS),
        "quality:recall-detail",
    ),
    "audits": (selectors.audit_get_for_user, _audit_actions, "quality:audit-detail"),
    "evaluations": (
        selectors.evaluation_get_for_user,
        _evaluation_actions,
        "quality:evaluation-detail",
    ),
}


def action(request, kind: str, pk: int, action: str):
    """One transition's page (GET: its form; POST: one service call). 404 out of
    scope or for an unknown action, 403 for a role that may not, 409 when the state
    does not allow it."""
    if action not in STEPS[kind]:
        raise Http404
    get, allowed, detail = OBJECTS[kind]
    it = get(request.user, pk)
    require_role(request.user, action)
    if action not in allowed(request.user, it):
        raise InvalidTransition()
    step = STEPS[kind][action]
    form = step.form(request.POST if request.method == "POST" else None, it)
    if request.method == "POST" and attempt(
        form, lambda: step.call(request.user, it, form.service_kwargs())
    ):
        messages.success(request, step.done)
        return redirect(detail, it.pk)
    back = reverse(detail, args=[it.pk])
    return render(
        request,
        "quality/form.html",
        {
            "form": form,
            "it": it,
            "title": A(action).label,
            "parent": (getattr(it, "number", "") or str(it), back),
            "back": back,
            "signed": action == A.INCIDENT_CLOSE,
        },
    )


def _post_only(request):
    if request.method != "POST":
        raise Http404


def _form_errors(form) -> str:
    return " ".join(
        f"{form[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


def capa_done(request, incident_id: int, capa_id: int):
    """The owner (or quality) marks an action done, from the incident's page or their
    own list."""
    _post_only(request)
    capa = selectors.capa_get_for_user(request.user, capa_id)
    if capa.incident_id != incident_id:
        raise Http404
    require_owner_or(request.user, A.CAPA_DONE, capa.owner_id, roles.QUALITY)
    form = forms.ResultForm(request.POST)
    if attempt(
        form, lambda: services.capa_done(actor=request.user, action=capa, **form.cleaned_data)
    ):
        messages.success(request, _("Action done."))
    else:
        messages.error(request, _form_errors(form))
    if request.POST.get("next") == "mine":
        return redirect("quality:my-work")
    return redirect("quality:incident-detail", incident_id)


def recall_acknowledge(request, recall_id: int, notice_id: int):
    _post_only(request)
    it = selectors.recall_get_for_user(request.user, recall_id)
    require_role(request.user, A.RECALL_ACK)
    notice = selectors.recall_notice_get(it, notice_id)
    form = forms.AcknowledgeForm(request.POST)
    if attempt(
        form,
        lambda: services.recall_acknowledge(actor=request.user, notice=notice, **form.cleaned_data),
    ):
        messages.success(request, _("Acknowledgement recorded."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("quality:recall-detail", recall_id)


def _audit_item(request, audit_id: int, item_id: int, role_action: str):
    it = selectors.audit_get_for_user(request.user, audit_id)
    require_role(request.user, role_action)
    if it.status != AuditStatus.OPEN:
        raise InvalidTransition()
    return it, selectors.audit_item_get(it, item_id)


def audit_check(request, audit_id: int, item_id: int):
    it, item = _audit_item(request, audit_id, item_id, A.AUDIT_CHECK)
    form = forms.CheckForm(request.POST if request.method == "POST" else None, item=item)
    if request.method == "POST" and attempt(
        form,
        lambda: services.audit_check(actor=request.user, item=item, **form.service_kwargs()),
    ):
        messages.success(request, _("Checklist recorded."))
        return redirect("quality:audit-detail", it.pk)
    return _item_form(request, it, item, form, A.AUDIT_CHECK)


def finding_add(request, audit_id: int, item_id: int):
    it, item = _audit_item(request, audit_id, item_id, A.FINDING_ADD)
    form = forms.FindingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and attempt(
        form,
        lambda: services.finding_add(actor=request.user, item=item, **form.service_kwargs()),
    ):
        messages.success(request, _("Finding recorded; its owner is told."))
        return redirect("quality:audit-detail", it.pk)
    return _item_form(request, it, item, form, A.FINDING_ADD)


def _item_form(request, it, item, form, action: str):
    back = reverse("quality:audit-detail", args=[it.pk])
    return render(
        request,
        "quality/form.html",
        {
            "form": form,
            "it": it,
            "item": item,
            "title": A(action).label,
            "parent": (it.number, back),
            "back": back,
        },
    )


def finding_done(request, finding_id: int):
    _post_only(request)
    require_reader(request.user)
    finding = selectors.finding_get_for_user(request.user, finding_id)
    require_owner_or(
        request.user, A.FINDING_DONE, finding.owner_id, roles.QUALITY, roles.SERVICE_MANAGER
    )
    form = forms.ResultForm(request.POST)
    if attempt(
        form,
        lambda: services.finding_done(actor=request.user, finding=finding, **form.cleaned_data),
    ):
        messages.success(request, _("Finding rectified."))
    else:
        messages.error(request, _form_errors(form))
    if request.POST.get("next") == "audit":
        return redirect("quality:audit-detail", finding.item.audit_id)
    return redirect("quality:my-work")


# Evaluations ---------------------------------------------------------------------


def _period(request):
    """The period asked for, else the last full quarter."""
    form = forms.PeriodForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    start, end = last_quarter(local_today())
    return forms.PeriodForm(initial={"period_start": start, "period_end": end}), start, end


def evaluation_list(request):
    form, start, end = _period(request)
    compute_form = forms.PeriodForm(request.POST or None)
    if request.method == "POST":
        require_role(request.user, A.EVALUATE)
        if attempt(
            compute_form,
            lambda: services.evaluation_compute(actor=request.user, **compute_form.cleaned_data),
        ):
            data = compute_form.cleaned_data
            messages.success(request, _("Evaluations computed."))
            return redirect(
                f"{reverse('quality:evaluation-list')}?period_start={data['period_start']}"
                f"&period_end={data['period_end']}"
            )
        messages.error(request, _form_errors(compute_form))
    rows = selectors.evaluations_for_user(request.user, period_start=start, period_end=end)
    return render(
        request,
        "quality/evaluation_list.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "page": paginate(request, rows, 50),
            "may_compute": may_act(request.user, A.EVALUATE),
        },
    )


def evaluation_export(request):
    from mdss.core.excel import xlsx_response

    from .excel import export_evaluations

    _form, start, end = _period(request)
    rows = selectors.evaluations_for_user(request.user, period_start=start, period_end=end)
    return xlsx_response(export_evaluations(rows), f"evaluations-{start}-{end}.xlsx")


def evaluation_detail(request, evaluation_id: int):
    it = selectors.evaluation_get_for_user(request.user, evaluation_id)
    return render(
        request,
        "quality/evaluation_detail.html",
        {
            "it": it,
            "buttons": _buttons(_evaluation_actions(request.user, it)),
            "action_url": "quality:evaluation-action",
        },
    )


def evaluation_pdf(request, evaluation_id: int):
    from mdss.core.pdf import pdf_response

    from .documents import evaluation_pdf as build

    it = selectors.evaluation_get_for_user(request.user, evaluation_id)
    name = it.engineer.username
    return pdf_response(build(it), f"evaluation-{name}-{it.period_start}-{it.period_end}.pdf")


# My work -------------------------------------------------------------------------


def my_work(request):
    """What waits for the viewer: their open CAPA actions and audit findings (an
    engineer's way in; quality and the managers have the dashboard)."""
    require_reader(request.user)
    return render(
        request,
        "quality/my_work.html",
        {
            "actions": list(selectors.capa_for_owner(request.user)),
            "findings": list(selectors.findings_for_owner(request.user)),
            "done_form": forms.ResultForm(),
            "now": timezone.now(),
            "today": local_today(),
        },
    )
