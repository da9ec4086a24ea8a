"""Complaint pages: the queue with its countdowns, the intake form, the complaint's
workspace (its clocks, team, notes, tasks, documents and timeline) and one page per
transition, each calling one service. Views call selectors and services only."""

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
from .choices import ComplaintAction as A
from .filters import ComplaintFilterForm
from .permissions import actions_for, may_act, may_read, require_action


def _require_reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied


def complaint_list(request):
    """The queue: open complaints, the nearest deadline first."""
    _require_reader(request)
    form = ComplaintFilterForm(request.GET or None)
    page = paginate(request, selectors.complaints_for_user(request.user, **form.filters()), 30)
    return render(
        request,
        "complaints/list.html",
        {
            "page": page,
            "form": form,
            "may_create": may_act(request.user, A.CREATE),
            "counts": selectors.queue_counts(request.user),
            "now": timezone.now(),
        },
    )


def complaint_create(request):
    from mdss.service.selectors import caller_matches

    require_action(request.user, A.CREATE)
    find = (request.GET.get("find") or "").strip()[:100]
    matches = caller_matches(request.user, find) if find else []
    form = forms.ComplaintForm(request.POST or None, customers=matches)
    if not request.POST and len(matches) == 1:
        form.initial["customer"] = matches[0].pk
        form.initial["complainant_org"] = matches[0].name
        matched = [u for u in matches[0].units if u.matched]
        if matched:
            form.initial["device"] = matched[0].pk
            form.initial["concerns"] = "product"
    created = {}

    def submit():
        created["it"] = services.complaint_create(actor=request.user, **form.service_kwargs())

    if request.method == "POST" and attempt(form, submit):
        it = created["it"]
        messages.success(
            request,
            _("%(no)s recorded: contact the complainant by %(due)s.")
            % {"no": it.number, "due": timezone.localtime(it.due_at).strftime("%m-%d %H:%M")},
        )
        return redirect("complaints:detail", it.pk)
    return render(
        request,
        "complaints/create.html",
        {"form": form, "find": find, "matches": matches},
    )


def complaint_detail(request, complaint_id: int):
    _require_reader(request)
    it = selectors.complaint_get_for_user(request.user, complaint_id)
    detail = selectors.complaint_detail(it)
    actions = actions_for(request.user, it)
    return render(
        request,
        "complaints/detail.html",
        {
            "it": it,
            "actions": actions,
            "now": timezone.now(),
            "today": local_today(),
            "note_form": forms.NoteForm() if A.NOTE in actions else None,
            "task_form": forms.TaskForm(complaint=it) if A.TASK in actions else None,
            "document_form": forms.DocumentForm() if A.NOTE in actions else None,
            "done_form": forms.TaskDoneForm(),
            **detail,
        },
    )


FORMS = {
    A.ASSIGN: forms.AssignForm,
    A.CONTACT: forms.ContactForm,
    A.CLASSIFY: forms.ClassifyForm,
    A.ANSWER: forms.ResolutionForm,
    A.FORM_TEAM: forms.TeamForm,
    A.RESOLVE: forms.ResolutionForm,
    A.FEEDBACK: forms.FeedbackForm,
    A.CLOSE: forms.CloseForm,
    A.REOPEN: forms.ReasonForm,
    A.ASSESS: forms.AssessForm,
    A.NOTIFY_MANUFACTURER: forms.NotifyForm,
    A.HANDOVER_CLOSE: forms.HandoverCloseForm,
    A.NOTE: forms.NoteForm,
    A.TASK: forms.TaskForm,
}
DONE = {
    A.ASSIGN: gettext_lazy("Handler changed."),
    A.CONTACT: gettext_lazy("Contact recorded."),
    A.CLASSIFY: gettext_lazy("Classified."),
    A.ANSWER: gettext_lazy("Answered: feed the result back to the complainant."),
    A.FORM_TEAM: gettext_lazy("Special team formed; its members are notified."),
    A.RESOLVE: gettext_lazy("Resolution recorded: feed it back to the complainant."),
    A.FEEDBACK: gettext_lazy("Feedback recorded."),
    A.CLOSE: gettext_lazy("Closed."),
    A.REOPEN: gettext_lazy("Reopened."),
    A.ASSESS: gettext_lazy("Reportability recorded."),
    A.NOTIFY_MANUFACTURER: gettext_lazy("Manufacturer's notification recorded."),
    A.HANDOVER_CLOSE: gettext_lazy("Hand-over closed."),
    A.NOTE: gettext_lazy("Note added."),
    A.TASK: gettext_lazy("Task set."),
}


def _form(action: str, it, data):
    if action == A.TASK:
        return forms.TaskForm(data, complaint=it)
    form = FORMS[action](data)
    if action == A.CLOSE and not it.is_major:
        del form.fields["password"]  # a general complaint is closed without a signature
    if action == A.NOTIFY_MANUFACTURER and data is None and it.device_id:
        form.initial["manufacturer"] = it.device.model.product.manufacturer_id
    return form


def _call(user, it, action: str, form):
    data = form.cleaned_data
    calls = {
        A.ASSIGN: lambda: services.complaint_assign(actor=user, complaint=it, **data),
        A.CONTACT: lambda: services.complaint_contact(actor=user, complaint=it, **data),
        A.CLASSIFY: lambda: services.complaint_classify(actor=user, complaint=it, **data),
        A.ANSWER: lambda: services.complaint_answer(actor=user, complaint=it, **data),
        A.FORM_TEAM: lambda: services.complaint_form_team(
            actor=user, complaint=it, **form.service_kwargs()
        ),
        A.RESOLVE: lambda: services.complaint_resolve(actor=user, complaint=it, **data),
        A.FEEDBACK: lambda: services.complaint_feedback(actor=user, complaint=it, **data),
        A.CLOSE: lambda: services.complaint_close(actor=user, complaint=it, **data),
        A.REOPEN: lambda: services.complaint_reopen(actor=user, complaint=it, **data),
        A.ASSESS: lambda: services.complaint_assess(actor=user, complaint=it, **data),
        A.NOTIFY_MANUFACTURER: lambda: services.complaint_notify_manufacturer(
            actor=user, complaint=it, **data
        ),
        A.HANDOVER_CLOSE: lambda: services.handover_close(actor=user, complaint=it, **data),
        A.NOTE: lambda: services.note_add(actor=user, complaint=it, **data),
        A.TASK: lambda: services.task_add(actor=user, complaint=it, today=local_today(), **data),
    }
    return calls[action]()


def complaint_action(request, complaint_id: int, action: str):
    """One transition's page (GET: its form; POST: one service call). 404 out of
    scope or for an unknown action, 403 for a role that may not, 409 when the
    complaint's state does not allow it."""
    _require_reader(request)
    if action not in FORMS:
        raise Http404
    it = selectors.complaint_get_for_user(request.user, complaint_id)
    require_action(request.user, action, it)
    if action not in actions_for(request.user, it):
        raise InvalidTransition()
    form = _form(action, it, request.POST if request.method == "POST" else None)
    if request.method == "POST" and attempt(form, lambda: _call(request.user, it, action, form)):
        messages.success(request, DONE[action])
        return redirect("complaints:detail", it.pk)
    context = {"it": it, "form": form, "action": action, "title": A(action).label}
    if action == A.CLASSIFY:
        context["earlier"] = selectors.earlier_complaints(it)
    return render(request, "complaints/action.html", context)


def task_done(request, complaint_id: int, task_id: int):
    _require_reader(request)
    if request.method != "POST":
        raise Http404
    task = selectors.task_get_for_user(request.user, complaint_id, task_id)
    require_action(request.user, A.TASK, task.complaint)
    form = forms.TaskDoneForm(request.POST)
    if attempt(
        form,
        lambda: services.task_done(
            actor=request.user, task=task, result=form.cleaned_data["result"]
        ),
    ):
        messages.success(request, _("Task done."))
    else:
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("result", [])) or _("Not saved.")
        )
    return redirect("complaints:detail", complaint_id)


def document_upload(request, complaint_id: int):
    _require_reader(request)
    if request.method != "POST":
        raise Http404
    it = selectors.complaint_get_for_user(request.user, complaint_id)
    require_action(request.user, A.NOTE, it)
    form = forms.DocumentForm(request.POST, request.FILES)
    if attempt(
        form,
        lambda: services.document_add(
            actor=request.user,
            complaint=it,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        ),
    ):
        messages.success(request, _("Document added."))
    else:
        errors = [
            f"{form[name].label}: {' '.join(e)}"
            for name, e in form.errors.items()
            if name in form.fields
        ]
        messages.error(request, " ".join(errors + list(form.non_field_errors())))
    return redirect("complaints:detail", it.pk)


def document_file(request, complaint_id: int, document_id: int):
    """A document of the complaint, to whoever may see the complaint: a download."""
    from mdss.core.files import serve

    _require_reader(request)
    return serve(selectors.document_get_for_user(request.user, complaint_id, document_id).file)
