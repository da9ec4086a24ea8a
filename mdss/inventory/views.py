"""Spare-parts pages: parts and stock, a part's ledger, requisitions and the
warehouse's queue. Views call selectors and services only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mdss.core.dates import local_today
from mdss.core.errors import attempt
from mdss.core.paging import paginate

from . import selectors, services
from .choices import InventoryAction
from .filters import PartFilterForm, RequisitionFilterForm
from .forms import CancelForm, IssueForm, ReceiveForm, RequisitionForm, ReturnForm, TransferForm
from .permissions import may_act, may_read, requisition_scope


def act(request, forms: dict, calls: dict, done: dict, back: str):
    """A detail page's POST names its ``action``: run that action's service through its
    form (errors land on the form) and redirect to ``back`` with its message; None
    when nothing was done."""
    which = request.POST.get("action") if request.method == "POST" else None
    if which in forms and attempt(forms[which], calls[which]):
        messages.success(request, done[which])
        return redirect(back)
    return None


def _require_reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied


def parts(request):
    _require_reader(request)
    form = PartFilterForm(request.GET or None)
    page = paginate(request, selectors.parts(**form.filters()), 30)
    return render(request, "inventory/parts.html", {"page": page, "form": form})


def part_detail(request, part_id: int):
    _require_reader(request)
    part = selectors.part_get(part_id)
    keeper = may_act(request.user, InventoryAction.RECEIVE)
    bound = request.POST if request.method == "POST" and keeper else None
    which = request.POST.get("action") if bound else None
    receive = ReceiveForm(bound if which == "receive" else None, prefix="receive")
    transfer = TransferForm(bound if which == "transfer" else None, prefix="transfer")
    if keeper:
        response = act(
            request,
            {"receive": receive, "transfer": transfer},
            {
                "receive": lambda: services.stock_receive(
                    actor=request.user, part=part, **receive.cleaned_data
                ),
                "transfer": lambda: services.stock_transfer(
                    actor=request.user, part=part, **transfer.cleaned_data
                ),
            },
            {"receive": _("Received into stock."), "transfer": _("Transferred.")},
            request.path,
        )
        if response:
            return response
    return render(
        request,
        "inventory/part_detail.html",
        {
            "part": part,
            "stock": selectors.part_stock(part),
            "moves": paginate(request, selectors.moves(part=part), 30),
            "keeper": keeper,
            "receive": receive,
            "transfer": transfer,
        },
    )


def requisitions(request):
    if not (may_read(request.user) or may_act(request.user, InventoryAction.REQUEST)):
        raise PermissionDenied
    form = RequisitionFilterForm(request.GET or None)
    filters = form.filters()
    rows = (
        selectors.requisition_queue(request.user)
        if filters["open_only"]
        else selectors.requisitions_for_user(request.user, status=filters["status"])
    )
    page = paginate(request, rows, 30)
    page.object_list = selectors.with_clocks(page.object_list)
    return render(
        request,
        "inventory/requisitions.html",
        {
            "page": page,
            "form": form,
            "mine": requisition_scope(request.user) is not None,
            "may_request": may_act(request.user, InventoryAction.REQUEST),
        },
    )


def requisition_create(request):
    if not may_act(request.user, InventoryAction.REQUEST):
        raise PermissionDenied
    form = RequisitionForm(request.POST or None, engineer=request.user)
    created = {}

    def submit():
        data = form.cleaned_data
        created["it"] = services.requisition_submit(
            actor=request.user,
            warehouse=data["warehouse"],
            to_location=data["to_location"],
            lines=form.lines(),
            need_by=data["need_by"],
            today=local_today(),
            service_reference=data["service_reference"],
            note=data["note"],
        )

    if request.method == "POST" and attempt(form, submit):
        requisition = created["it"]
        messages.success(
            request,
            _("Requisition %(no)s sent: the warehouse issues it by %(due)s.")
            % {"no": requisition.number, "due": _due(requisition)},
        )
        return redirect("inventory:requisition", requisition.pk)
    return render(
        request,
        "inventory/requisition_form.html",
        {"form": form, "parts": selectors.parts().values_list("number", "name")[:2000]},
    )


def _due(requisition) -> str:
    from django.utils import timezone

    clocks = selectors.with_clocks([requisition])
    clock = clocks[0].clock
    return timezone.localtime(clock.due_at).strftime("%m-%d %H:%M") if clock else ""


def requisition_detail(request, requisition_id: int):
    requisition = selectors.requisition_get_for_user(request.user, requisition_id)
    user = request.user
    bound = request.POST if request.method == "POST" else None
    which = request.POST.get("action") if bound else None
    forms = {
        "issue": IssueForm(
            bound if which == "issue" else None, requisition=requisition, prefix="issue"
        ),
        "cancel": CancelForm(bound if which == "cancel" else None, prefix="cancel"),
        "return": ReturnForm(
            bound if which == "return" else None, requisition=requisition, prefix="return"
        ),
    }
    calls = {
        "issue": lambda: services.requisition_issue(
            actor=user, requisition=requisition, issues=forms["issue"].issues()
        ),
        "cancel": lambda: services.requisition_cancel(
            actor=user, requisition=requisition, reason=forms["cancel"].cleaned_data["reason"]
        ),
        "return": lambda: services.requisition_return(
            actor=user, requisition=requisition, **forms["return"].cleaned_data
        ),
    }
    done = {
        "issue": _("Issued; the stock and the ledger are updated."),
        "cancel": _("Requisition cancelled."),
        "return": _("Returned to stock."),
    }
    response = act(request, forms, calls, done, request.path)
    if response:
        return response
    is_open = requisition.status in ("submitted", "partly_issued")
    mine = requisition.requested_by_id == user.pk
    return render(
        request,
        "inventory/requisition_detail.html",
        {
            "r": selectors.with_clocks([requisition])[0],
            "lines": list(requisition.lines.all()),
            "moves": selectors.moves(requisition=requisition)[:50],
            "forms": forms,
            "may_issue": is_open and may_act(user, InventoryAction.ISSUE),
            "may_cancel": is_open
            and may_act(user, InventoryAction.CANCEL)
            and (mine or requisition_scope(user) is None),
            "may_return": any(line.issued > line.returned for line in requisition.lines.all())
            and may_act(user, InventoryAction.RETURN)
            and (mine or requisition_scope(user) is None),
            "back": reverse("inventory:requisitions"),
        },
    )
