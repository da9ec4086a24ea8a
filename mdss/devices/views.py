"""Installed-base pages. Thin: each action has its own view that parses a form,
calls one service and redirects; the detail page's buttons come from
``permissions.actions_for``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mdss.core.dates import local_today
from mdss.core.errors import InvalidTransition, ValidationFailed, attempt
from mdss.core.excel import XLSX_CONTENT_TYPE
from mdss.core.htmx import render_page_or_partial
from mdss.core.paging import paginate
from mdss.customers.access import customer_url

from . import excel, selectors, services
from .choices import DeviceAction
from .forms import (
    DeviceDecommissionForm,
    DeviceImportForm,
    DeviceInstallationForm,
    DeviceRegisterForm,
    DeviceTransferForm,
)
from .permissions import actions_for, device_scope, may_act, require_device_action


def _require(request):
    if not (request.user.is_superuser or request.user.role_codes - {"customer"}):
        raise PermissionDenied


def device_list(request):
    _require(request)
    from .filters import DeviceFilterForm

    form = DeviceFilterForm(request.GET or None)
    rows = selectors.devices_for_user(request.user, **form.filters())
    page = paginate(request, rows, 30)
    return render_page_or_partial(
        request,
        "devices/list.html",
        "devices/_table.html",
        {
            "page": page,
            "form": form,
            "today": local_today(),
            "may_register": may_act(request.user, DeviceAction.REGISTER),
            "may_import": may_act(request.user, DeviceAction.IMPORT),
        },
    )


def device_detail(request, device_id: int):
    _require(request)
    device = selectors.device_get_for_user(request.user, device_id)
    return render(
        request,
        "devices/detail.html",
        {
            "device": device,
            # The customer page for sales, the customer's site card for service.
            "customer_url": customer_url(
                request.user,
                device.customer_id,
                in_scope=True if device_scope(request.user) is not None else None,
            ),
            "history": selectors.device_history(device, viewer=request.user),
            "actions": actions_for(request.user, device),
            "today": local_today(),
            "pm": _next_pm(device),
        },
    )


def _next_pm(device):
    """(plan, due date) of the unit's next preventive maintenance, or None."""
    from .pm import active_plans, next_pm_due

    plan = active_plans().filter(model_id=device.model_id).first()
    return (plan, next_pm_due(device, plan)) if plan else None


def pm_plans(request):
    """The models' preventive-maintenance plans; the service manager adds or replaces
    one (the old version is kept)."""
    _require(request)
    from .forms import PmPlanForm
    from .pm import active_plans, pm_plan_save

    keeper = may_act(request.user, DeviceAction.PM_PLAN)
    form = PmPlanForm(request.POST if request.method == "POST" and keeper else None)
    if request.method == "POST" and not keeper:
        raise PermissionDenied
    if request.method == "POST" and attempt(
        form, lambda: pm_plan_save(actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Plan saved."))
        return redirect("devices:pm_plans")
    return render(
        request,
        "devices/pm_plans.html",
        {"plans": list(active_plans()), "form": form, "keeper": keeper},
    )


def device_register(request):
    _require(request)
    require_device_action(request.user, None, DeviceAction.REGISTER)
    form = DeviceRegisterForm(request.POST or None)
    created = []
    if request.method == "POST" and attempt(
        form,
        lambda: created.append(
            services.device_register(actor=request.user, today=local_today(), **form.cleaned_data)
        ),
    ):
        messages.success(request, _("Registered %(device)s.") % {"device": created[0]})
        return redirect("devices:detail", created[0].pk)
    return render(
        request,
        "devices/form.html",
        {"form": form, "title": _("Register a device"), "device": None},
    )


def device_import(request):
    _require(request)
    require_device_action(request.user, None, DeviceAction.IMPORT)
    if request.GET.get("template"):
        response = HttpResponse(excel.template(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="devices-template.xlsx"'
        return response
    form = DeviceImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.device_import(
                actor=request.user, content=form.cleaned_data["file"].read(), today=local_today()
            )
        except ValidationFailed as refused:
            errors = [_import_error(e) for e in refused.errors]
        else:
            messages.success(
                request,
                ngettext("Imported %(n)s device.", "Imported %(n)s devices.", len(created))
                % {"n": len(created)},
            )
            return redirect("devices:list")
    return render(request, "devices/import.html", {"form": form, "errors": errors})


def _import_error(error) -> dict:
    parts = error.field.split(".", 2)
    if parts[0] == "rows" and len(parts) == 3:
        return {
            "sheet": excel.SHEET,
            "row": parts[1],
            "column": excel.column_of(parts[2]),
            "message": f"{error.message} ({error.rule})",
        }
    return {"sheet": "", "row": "", "column": "", "message": error.message}


def _action(request, device_id: int, action: str, form_class, call, title: str):
    """One action's page: 404 out of scope, 403 for a role that may not, 409 when the
    device's state does not allow it; the form's POST calls one service."""
    _require(request)
    device = selectors.device_get_for_user(request.user, device_id)
    require_device_action(request.user, device, action)
    if action not in actions_for(request.user, device):
        raise InvalidTransition()
    form = form_class(request.POST or None)
    if request.method == "POST" and attempt(form, lambda: call(device, form.cleaned_data)):
        messages.success(request, _("Saved."))
        return redirect("devices:detail", device.pk)
    return render(request, "devices/form.html", {"form": form, "title": title, "device": device})


def device_transfer(request, device_id: int):
    return _action(
        request,
        device_id,
        DeviceAction.TRANSFER,
        DeviceTransferForm,
        lambda device, data: services.device_transfer(
            actor=request.user,
            device=device,
            today=local_today(),
            to_customer=data["to_customer"],
            to_site=data["to_site"] or None,
            transferred_on=data["transferred_on"],
            reason=data["reason"],
        ),
        _("Transfer the device"),
    )


def device_decommission(request, device_id: int):
    return _action(
        request,
        device_id,
        DeviceAction.DECOMMISSION,
        DeviceDecommissionForm,
        lambda device, data: services.device_decommission(
            actor=request.user, device=device, today=local_today(), **data
        ),
        _("Decommission the device"),
    )


def device_installation(request, device_id: int):
    return _action(
        request,
        device_id,
        DeviceAction.INSTALL,
        DeviceInstallationForm,
        lambda device, data: services.device_installation_record(
            actor=request.user, device=device, today=local_today(), **data
        ),
        _("Record the installation"),
    )
