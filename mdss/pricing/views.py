from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mdss.accounts import roles
from mdss.core.dates import local_today
from mdss.core.errors import ApplicationError, apply_to_form, attempt
from mdss.core.htmx import render_page_or_partial
from mdss.core.paging import paginate
from mdss.core.permissions import permission_required

from . import actions, selectors, services
from .filters import ChangeFilterForm, PriceSearchForm
from .forms import ApproveForm, ChangeForm, ChangeLineFormSet, EmptyForm, RejectForm
from .permissions import may_act
from .services import adjustments


@permission_required("catalog.view_productmodel")
def price_list(request):
    version = selectors.active_version()
    filters = PriceSearchForm(request.GET).filters()
    search = filters["search"]
    entries = selectors.entries_of(version, **filters) if version else []
    can_see_cost = selectors.can_see_cost(request.user)
    if can_see_cost and version:
        entries = entries.select_related("model__price_basis")
    page = paginate(request, entries, 30)
    for entry in page:
        basis = getattr(entry.model, "price_basis", None) if can_see_cost else None
        entry.cost = basis.unit_cost if basis else None
        entry.margin = (
            ((entry.list_price - entry.cost) / entry.list_price * 100) if entry.cost else None
        )
    return render_page_or_partial(
        request,
        "pricing/price_list.html",
        "pricing/_price_table.html",
        {"version": version, "page": page, "q": search, "can_see_cost": can_see_cost},
    )


def change_list(request):
    changes = selectors.change_list_for_user(request.user)
    status = ChangeFilterForm(request.GET).filters()["status"]
    if status:
        changes = changes.filter(status=status)
    return render(
        request,
        "pricing/change_list.html",
        {
            "page": paginate(request, changes, 30),
            "inbox": selectors.approvals_waiting_for(request.user),
            "status": status,
        },
    )


def change_create(request):
    if not (
        request.user.is_superuser or request.user.has_role(roles.MANAGEMENT, roles.SALES_MANAGER)
    ):
        raise PermissionDenied
    form = ChangeForm(request.POST or None)
    lines = ChangeLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        line_inputs = [
            services.LineInput(
                f.cleaned_data["model"].pk,
                f.cleaned_data["list_price"],
                f.cleaned_data["floor_price"],
            )
            for f in lines.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            change = services.price_change_create(
                actor=request.user, lines=line_inputs, **form.cleaned_data
            )
        except ApplicationError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(
                request, _("Price change %(number)s was drafted.") % {"number": change.number}
            )
            return redirect("pricing:change_detail", change_id=change.pk)
    return render(request, "pricing/change_form.html", {"form": form, "lines": lines})


def _render_change(request, change, bound=None):
    bound = bound or {}
    active = selectors.active_version()
    current = (
        {
            e.model_id: e
            for e in active.entries.filter(
                model_id__in=[line.model_id for line in change.lines.all()]
            )
        }
        if active
        else {}
    )
    rows = []
    for line in change.lines.all():
        old = current.get(line.model_id)
        delta = ((line.list_price - old.list_price) / old.list_price * 100) if old else None
        rows.append({"line": line, "old": old, "delta": delta})
    allowed = actions.change_actions_for(request.user, change)
    return render(
        request,
        "pricing/change_detail.html",
        {
            "change": change,
            "rows": rows,
            "actions": allowed,
            "forms": _decision_forms(allowed, bound),
        },
    )


def _decision_forms(allowed, bound) -> dict:
    """An unbound form for each decision the user may take, or the bound one that failed."""
    makers = {"submit": EmptyForm, "approve": ApproveForm, "reject": RejectForm}
    return {
        name: bound.get(name) or make(prefix=name)
        for name, make in makers.items()
        if name in allowed or name in bound
    }


def change_detail(request, change_id: int):
    change = selectors.change_get_for_user(request.user, change_id)
    return _render_change(request, change)


def _change_action(name: str, form_class, call, message):
    """The POST endpoint of one action on a price-list change: 403 up front when the
    role may not, the one service called; a refusal shows the page with the rule."""

    permission = actions.CHANGE_ACTIONS[name].permission

    @require_POST
    def view(request, change_id: int):
        change = selectors.change_get_for_user(request.user, change_id)
        if not may_act(request.user, permission):
            raise PermissionDenied
        form = form_class(request.POST, prefix=name)
        if attempt(form, lambda: call(request.user, change, form.cleaned_data)):
            messages.success(request, message())
            return redirect("pricing:change_detail", change_id=change.pk)
        return _render_change(request, change, {name: form})

    view.__name__ = f"change_{name}"
    return view


change_submit = _change_action(
    "submit",
    EmptyForm,
    lambda user, change, data: services.price_change_submit(change=change, actor=user),
    lambda: _("Submitted to management."),
)
change_approve = _change_action(
    "approve",
    ApproveForm,
    lambda user, change, data: services.price_change_approve(change=change, actor=user, **data),
    lambda: _("Approved and signed."),
)
change_reject = _change_action(
    "reject",
    RejectForm,
    lambda user, change, data: services.price_change_reject(change=change, actor=user, **data),
    lambda: _("Rejected."),
)


def adjustment_list(request):
    open_only = request.GET.get("mine") == "open"
    rows = (
        selectors.my_open_requests(request.user)
        if open_only
        else selectors.adjustment_list_for_user(request.user)
    )
    return render(
        request,
        "pricing/adjustment_list.html",
        {
            "may_request": may_act(request.user, "request"),
            "inbox": list(selectors.adjustment_inbox(request.user)),
            "page": paginate(request, rows, 30),
            "open_only": open_only,
        },
    )


def adjustment_create(request):
    from .forms import AdjustmentForm

    if not may_act(request.user, "request"):
        raise PermissionDenied  # sales ask for prices off the list; others only see them
    form = AdjustmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adjustment = adjustments.adjustment_create(
                actor=request.user,
                customer_id=data["customer"].pk,
                model=data["model"],
                quantity=data["quantity"],
                requested_price=data["requested_price"],
                reason=data["reason"],
                valid_until=data["valid_until"],
                today=local_today(),
            )
            adjustments.adjustment_submit(adjustment=adjustment, actor=request.user)
        except ApplicationError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Request %(number)s was sent to your superior.") % {"number": adjustment.number},
            )
            return redirect("pricing:adjustment_detail", adjustment_id=adjustment.pk)
    return render(request, "pricing/adjustment_form.html", {"form": form})


def _render_adjustment(request, adjustment, bound=None):
    allowed = actions.adjustment_actions_for(request.user, adjustment)
    return render(
        request,
        "pricing/adjustment_detail.html",
        {
            "adjustment": adjustment,
            "actions": allowed,
            "forms": _decision_forms(allowed, bound or {}),
            "can_see_cost": selectors.can_see_cost(request.user),
        },
    )


def adjustment_detail(request, adjustment_id: int):
    adjustment = selectors.adjustment_get_for_user(request.user, adjustment_id)
    return _render_adjustment(request, adjustment)


def _adjustment_action(name: str, form_class, call, message):
    """The POST endpoint of one action on a price-adjustment request (see
    ``_change_action``)."""

    permission = actions.ADJUSTMENT_ACTIONS[name].permission

    @require_POST
    def view(request, adjustment_id: int):
        adjustment = selectors.adjustment_get_for_user(request.user, adjustment_id)
        if not may_act(request.user, permission):
            raise PermissionDenied
        form = form_class(request.POST, prefix=name)
        if attempt(form, lambda: call(request.user, adjustment, form.cleaned_data)):
            messages.success(request, message())
            return redirect("pricing:adjustment_detail", adjustment_id=adjustment.pk)
        return _render_adjustment(request, adjustment, {name: form})

    view.__name__ = f"adjustment_{name}"
    return view


adjustment_submit = _adjustment_action(
    "submit",
    EmptyForm,
    lambda user, adjustment, data: adjustments.adjustment_submit(adjustment=adjustment, actor=user),
    lambda: _("Saved."),
)
adjustment_approve = _adjustment_action(
    "approve",
    ApproveForm,
    lambda user, adjustment, data: adjustments.adjustment_approve(
        adjustment=adjustment, actor=user, today=local_today(), **data
    ),
    lambda: _("Approved and signed."),
)
adjustment_reject = _adjustment_action(
    "reject",
    RejectForm,
    lambda user, adjustment, data: adjustments.adjustment_reject(
        adjustment=adjustment, actor=user, today=local_today(), **data
    ),
    lambda: _("Rejected."),
)


@permission_required("pricing.view_cost")
def price_basis(request, model_id: int):
    from mdss.catalog.selectors import model_get

    model = model_get(model_id)
    return render(
        request, "pricing/price_basis.html", {"model": model, **selectors.price_basis_of(model.pk)}
    )
