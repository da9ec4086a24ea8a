"""Service pages: the request list, the hotline's call log, a request with its
clocks and timeline, one page per transition (each calls one service), the
engineer's jobs, the dispatch board and the improvement actions. Views call
selectors and services only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mdss.core.dates import local_today
from mdss.core.errors import InvalidTransition, attempt
from mdss.core.paging import paginate

from . import forms, selectors, services
from .choices import ServiceAction as A
from .filters import RequestFilterForm
from .permissions import actions_for, may_act, may_read, require_action


def _require_reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied


def request_list(request):
    _require_reader(request)
    form = RequestFilterForm(request.GET or None)
    page = paginate(request, selectors.requests_for_user(request.user, **form.filters()), 30)
    return render(
        request,
        "service/list.html",
        {
            "page": page,
            "form": form,
            "may_create": may_act(request.user, A.CREATE),
            "now": timezone.now(),
        },
    )


def request_create(request):
    require_action(request.user, A.CREATE)
    find = (request.GET.get("find") or "").strip()[:100]
    matches = selectors.caller_matches(request.user, find) if find else []
    form = forms.RequestForm(request.POST or None, customers=matches)
    if not request.POST and find:
        digits = "".join(ch for ch in find if ch.isdigit())
        if len(digits) >= 5 and len(digits) >= len(find) - 2:
            form.initial["reporter_phone"] = find
        if len(matches) == 1:
            form.initial["customer"] = matches[0].pk
            units = matches[0].units
            if len(units) == 1 or any(u.matched for u in units):
                form.initial["device"] = next((u.pk for u in units if u.matched), units[0].pk)
    created = {}

    def submit():
        data = form.cleaned_data
        created["it"] = services.request_create(
            actor=request.user,
            customer=data["customer"],
            device=data["device"],
            channel=data["channel"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            symptom=data["symptom"],
            urgency=data["urgency"],
            reported_at=data["reported_at"],
        )

    if request.method == "POST" and attempt(form, submit):
        it = created["it"]
        messages.success(
            request,
            _("%(no)s logged: contact the customer by %(due)s.")
            % {"no": it.number, "due": timezone.localtime(it.due_at).strftime("%H:%M")},
        )
        return redirect("service:detail", it.pk)
    return render(
        request,
        "service/create.html",
        {
            "form": form,
            "find": find,
            "matches": matches,
            "selected_customer": str(form["customer"].value() or ""),
            "selected_device": str(form["device"].value() or ""),
        },
    )


def request_detail(request, request_id: int):
    _require_reader(request)
    it = selectors.request_get_for_user(request.user, request_id)
    detail = selectors.request_detail(it)
    return render(
        request,
        "service/detail.html",
        {
            "it": it,
            "actions": actions_for(request.user, it),
            "now": timezone.now(),
            "waiting_for_parts": it.is_open
            and any(r.status in ("submitted", "partly_issued") for r in detail["requisitions"]),
            **detail,
        },
    )


def _call(view_request, it, action: str, form):
    """The service call of ``action`` with ``form``'s data."""
    user = view_request.user
    data = form.cleaned_data
    calls = {
        A.CONTACT: lambda: services.request_contact(actor=user, request=it, note=data["note"]),
        A.TRIAGE: lambda: services.request_triage(actor=user, request=it, **data),
        A.RESOLVE_BY_PHONE: lambda: services.request_resolve_by_phone(
            actor=user, request=it, **data
        ),
        A.DISPATCH: lambda: services.request_dispatch(actor=user, request=it, **data),
        A.CHECK_IN: lambda: services.request_check_in(actor=user, request=it),
        A.REPAIR_RECORD: lambda: services.request_repair_record(
            actor=user, request=it, **form.service_kwargs()
        ),
        A.REQUEST_PARTS: lambda: services.request_parts(
            actor=user,
            request=it,
            warehouse=data["warehouse"],
            to_location=data["to_location"],
            lines=form.lines(),
            need_by=data["need_by"],
            today=local_today(),
            note=data["note"],
        ),
        A.LEAVE: lambda: services.request_leave(actor=user, request=it, reason=data["reason"]),
        A.COMPLETE: lambda: services.request_complete(
            actor=user, request=it, outcome=data["outcome"]
        ),
        A.CONFIRM: lambda: services.request_confirm(
            actor=user, request=it, **form.service_kwargs()
        ),
        A.FOLLOW_UP: lambda: services.request_follow_up(actor=user, request=it, **data),
        A.CLOSE: lambda: services.request_close(actor=user, request=it),
        A.REOPEN: lambda: services.request_reopen(actor=user, request=it, reason=data["reason"]),
        A.CANCEL: lambda: services.request_cancel(actor=user, request=it, reason=data["reason"]),
        A.QUOTE: lambda: services.request_quote(actor=user, request=it, **data),
    }
    return calls[action]()


FORMS = {
    A.CONTACT: forms.ContactForm,
    A.TRIAGE: forms.TriageForm,
    A.RESOLVE_BY_PHONE: forms.ResolveForm,
    A.DISPATCH: forms.DispatchForm,
    A.CHECK_IN: forms.EmptyForm,
    A.REPAIR_RECORD: forms.RepairForm,
    A.REQUEST_PARTS: None,  # inventory's requisition form, for this job
    A.LEAVE: forms.ReasonForm,
    A.COMPLETE: forms.CompleteForm,
    A.CONFIRM: forms.ConfirmForm,
    A.FOLLOW_UP: forms.FollowUpForm,
    A.CLOSE: forms.EmptyForm,
    A.REOPEN: forms.ReasonForm,
    A.CANCEL: forms.ReasonForm,
    A.QUOTE: forms.QuoteForm,
}
DONE = {
    A.CONTACT: gettext_lazy("Contact recorded."),
    A.TRIAGE: gettext_lazy("Triaged."),
    A.RESOLVE_BY_PHONE: gettext_lazy("Resolved by phone; the customer is asked to confirm."),
    A.DISPATCH: gettext_lazy("Engineer assigned and notified."),
    A.CHECK_IN: gettext_lazy("Arrival recorded."),
    A.REPAIR_RECORD: gettext_lazy("Repair recorded."),
    A.REQUEST_PARTS: gettext_lazy("Parts requested: the warehouse issues within 24 hours."),
    A.LEAVE: gettext_lazy("Visit closed; the job waits for the next visit."),
    A.COMPLETE: gettext_lazy("Completed; the customer is asked to confirm."),
    A.CONFIRM: gettext_lazy("The customer's answer is recorded."),
    A.FOLLOW_UP: gettext_lazy("Follow-up recorded."),
    A.CLOSE: gettext_lazy("Closed."),
    A.REOPEN: gettext_lazy("Reopened as a new request."),
    A.CANCEL: gettext_lazy("Cancelled."),
    A.QUOTE: gettext_lazy("Quote recorded."),
}


def _form(action: str, it, user, data):
    if action == A.REQUEST_PARTS:
        from mdss.inventory.forms import RequisitionForm

        form = RequisitionForm(data, engineer=user, initial={"need_by": local_today()})
        del form.fields["service_reference"]
        return form
    if action == A.REPAIR_RECORD:
        return forms.RepairForm(data, request=it)
    return FORMS[action](data)


def request_action(request, request_id: int, action: str):
    """One transition's page (GET: its form; POST: one service call). 404 out of
    scope or for an unknown action, 403 for a role that may not, 409 when the
    request's state does not allow it."""
    _require_reader(request)
    if action not in FORMS:
        raise Http404
    it = selectors.request_get_for_user(request.user, request_id)
    require_action(request.user, action, it)
    if action not in actions_for(request.user, it):
        raise InvalidTransition()
    form = _form(action, it, request.user, request.POST if request.method == "POST" else None)
    result = {}
    if request.method == "POST" and attempt(
        form, lambda: result.setdefault("it", _call(request, it, action, form))
    ):
        messages.success(request, DONE[action])
        if action == A.REOPEN:
            return redirect("service:detail", result["it"].pk)
        return redirect("service:detail", it.pk)
    context = {"it": it, "form": form, "action": action, "title": A(action).label}
    if action == A.DISPATCH:
        context["candidates"] = selectors.engineer_candidates(it, local_today())
    if action == A.REQUEST_PARTS:
        from mdss.inventory.selectors import parts

        context["parts"] = parts().values_list("number", "name")[:2000]
    return render(request, "service/action.html", context)


def my_jobs(request):
    require_action(request.user, A.CHECK_IN)
    page = paginate(request, selectors.my_jobs(request.user), 30)
    return render(request, "service/mine.html", {"page": page, "now": timezone.now()})


def board(request):
    require_action(request.user, A.DISPATCH)
    from mdss.accounts.models import Region

    region = request.GET.get("region") or ""
    region_id = int(region) if region.isdigit() and len(region) < 10 else None
    provinces = [] if region_id else selectors.dispatcher_provinces(request.user)
    waiting = paginate(request, selectors.board_waiting(region=region_id, provinces=provinces), 50)
    return render(
        request,
        "service/board.html",
        {
            "waiting": waiting,
            "engineers": selectors.engineer_board([region_id] if region_id else provinces),
            "regions": Region.objects.filter(level="province").order_by("code"),
            "region": region_id,
            "counts": selectors.status_counts(request.user),
            "now": timezone.now(),
        },
    )


def improvements(request):
    _require_reader(request)
    show_all = request.GET.get("all") == "1"
    rows = selectors.improvements_for_user(request.user, open_only=not show_all)
    page = paginate(request, rows, 30)
    form = forms.ImprovementDoneForm(request.POST or None)
    if request.method == "POST":
        action_id = request.POST.get("improvement", "")
        action = (
            selectors.improvements_for_user(request.user, open_only=False)
            .filter(pk=int(action_id))
            .first()
            if action_id.isdigit() and len(action_id) < 12
            else None
        )
        if action is None:
            raise Http404
        if attempt(
            form,
            lambda: services.improvement_complete(
                actor=request.user, action=action, result=form.cleaned_data["result"]
            ),
        ):
            messages.success(request, _("Improvement action done."))
            return redirect(request.path)
    return render(
        request,
        "service/improvements.html",
        {"page": page, "form": form, "show_all": show_all, "today": local_today()},
    )


def report_pdf(request, request_id: int):
    """The service report, to whoever may see the request."""
    from mdss.core.pdf import pdf_response

    from .documents import service_report_pdf

    _require_reader(request)
    it = selectors.request_get_for_user(request.user, request_id)
    return pdf_response(service_report_pdf(it), f"{it.number}.pdf")
