from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mdss.accounts import roles
from mdss.core.errors import ApplicationError, apply_to_form
from mdss.core.htmx import render_page_or_partial
from mdss.core.permissions import permission_required

from . import selectors, services
from .filters import ChangeFilterForm, PriceSearchForm
from .forms import ApproveForm, ChangeForm, ChangeLineFormSet, RejectForm


@permission_required("catalog.view_productmodel")
def price_list(request):
    version = selectors.active_version()
    search = PriceSearchForm(request.GET).filters()["search"]
    entries = selectors.entries_of(version, search=search) if version else []
    can_see_cost = selectors.can_see_cost(request.user)
    if can_see_cost and version:
        entries = entries.select_related("model__price_basis")
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
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
            "page": Paginator(changes, 30).get_page(request.GET.get("page")),
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


def change_detail(request, change_id: int):
    change = selectors.change_get_for_user(request.user, change_id)
    current = (
        {
            e.model_id: e
            for e in selectors.active_version().entries.filter(
                model_id__in=[line.model_id for line in change.lines.all()]
            )
        }
        if selectors.active_version()
        else {}
    )
    rows = []
    for line in change.lines.all():
        old = current.get(line.model_id)
        delta = ((line.list_price - old.list_price) / old.list_price * 100) if old else None
        rows.append({"line": line, "old": old, "delta": delta})
    can_decide = (
        (request.user.is_superuser or request.user.has_role(roles.MANAGEMENT))
        and change.requested_by_id != request.user.pk
        and change.status == "submitted"
    )
    return render(
        request,
        "pricing/change_detail.html",
        {
            "change": change,
            "rows": rows,
            "can_decide": can_decide,
            "approve_form": ApproveForm(prefix="approve"),
            "reject_form": RejectForm(prefix="reject"),
            "can_submit": change.requested_by_id == request.user.pk and change.status == "draft",
        },
    )


@require_POST
def change_action(request, change_id: int, action: str):
    change = selectors.change_get_for_user(request.user, change_id)
    try:
        if action == "submit":
            services.price_change_submit(change=change, actor=request.user)
            messages.success(request, _("Submitted to management."))
        elif action == "approve":
            form = ApproveForm(request.POST, prefix="approve")
            if not form.is_valid():
                raise ApplicationError(_("Enter your password to sign."))
            services.price_change_approve(change=change, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Approved and signed."))
        elif action == "reject":
            form = RejectForm(request.POST, prefix="reject")
            if not form.is_valid():
                raise ApplicationError(_("Say why the change is rejected."))
            services.price_change_reject(change=change, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Rejected."))
        else:
            raise PermissionDenied
    except ApplicationError as exc:
        messages.error(request, "; ".join(str(e.message) for e in exc.errors) or str(exc.message))
    return redirect("pricing:change_detail", change_id=change.pk)


def adjustment_list(request):
    return render(
        request,
        "pricing/adjustment_list.html",
        {
            "inbox": selectors.adjustment_inbox(request.user),
            "page": Paginator(selectors.adjustment_list_for_user(request.user), 30).get_page(
                request.GET.get("page")
            ),
        },
    )


def adjustment_create(request):
    from mdss.core.dates import local_today

    from .forms import AdjustmentForm
    from .services import adjustments

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


def adjustment_detail(request, adjustment_id: int):
    adjustment = selectors.adjustment_get_for_user(request.user, adjustment_id)
    waiting = selectors.adjustment_inbox(request.user).filter(pk=adjustment.pk).exists()
    return render(
        request,
        "pricing/adjustment_detail.html",
        {
            "adjustment": adjustment,
            "can_decide": waiting,
            "can_see_cost": selectors.can_see_cost(request.user),
            "approve_form": ApproveForm(prefix="approve"),
            "reject_form": RejectForm(prefix="reject"),
        },
    )


@require_POST
def adjustment_action(request, adjustment_id: int, action: str):
    from mdss.core.dates import local_today

    from .services import adjustments

    adjustment = selectors.adjustment_get_for_user(request.user, adjustment_id)
    try:
        if action == "approve":
            form = ApproveForm(request.POST, prefix="approve")
            if not form.is_valid():
                raise ApplicationError(_("Enter your password to sign."))
            adjustments.adjustment_approve(
                adjustment=adjustment, actor=request.user, today=local_today(), **form.cleaned_data
            )
            messages.success(request, _("Approved and signed."))
        elif action == "reject":
            form = RejectForm(request.POST, prefix="reject")
            if not form.is_valid():
                raise ApplicationError(_("Say why the request is rejected."))
            adjustments.adjustment_reject(
                adjustment=adjustment, actor=request.user, today=local_today(), **form.cleaned_data
            )
            messages.success(request, _("Rejected."))
        else:
            raise PermissionDenied
    except ApplicationError as exc:
        messages.error(request, "; ".join(str(e.message) for e in exc.errors) or str(exc.message))
    return redirect("pricing:adjustment_detail", adjustment_id=adjustment.pk)


@permission_required("pricing.view_cost")
def price_basis(request, model_id: int):
    from mdss.catalog.selectors import model_get

    model = model_get(model_id)
    return render(
        request, "pricing/price_basis.html", {"model": model, **selectors.price_basis_of(model.pk)}
    )
