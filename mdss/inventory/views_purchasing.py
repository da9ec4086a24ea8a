"""Pages of suppliers, purchase orders and stock counts. Each detail page takes its
actions as POSTs naming the action; views call selectors and services only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mdss.core.dates import local_today
from mdss.core.errors import attempt
from mdss.core.paging import paginate

from . import selectors, services
from .choices import InventoryAction
from .forms import CancelForm as ReasonForm
from .forms import (
    ConfirmForm,
    CountStartForm,
    OrderForm,
    ReceiptForm,
    SupplierDocumentForm,
    SupplierForm,
    SupplierStatusForm,
)
from .permissions import may_act, may_read_purchasing
from .views import act


def _require(request) -> None:
    if not may_read_purchasing(request.user):
        raise PermissionDenied


def suppliers(request):
    _require(request)
    q = (request.GET.get("q") or "")[:100]
    page = paginate(request, selectors.suppliers(q=q), 30)
    return render(
        request,
        "inventory/suppliers.html",
        {"page": page, "q": q, "may_add": may_act(request.user, InventoryAction.SUPPLIERS)},
    )


def supplier_create(request):
    if not may_act(request.user, InventoryAction.SUPPLIERS):
        raise PermissionDenied
    form = SupplierForm(request.POST or None)
    made = {}

    def create():
        made["it"] = services.supplier_create(actor=request.user, **form.cleaned_data)

    if request.method == "POST" and attempt(form, create):
        messages.success(request, _("Supplier saved: add its papers."))
        return redirect("inventory:supplier", made["it"].pk)
    return render(request, "inventory/simple_form.html", {"form": form, "title": _("New supplier")})


def supplier_detail(request, supplier_id: int):
    _require(request)
    supplier = selectors.supplier_get(supplier_id)
    user = request.user
    bound = request.POST if request.method == "POST" else None
    which = request.POST.get("action") if bound else None
    forms = {
        "document": SupplierDocumentForm(
            bound if which == "document" else None, request.FILES or None, prefix="document"
        ),
        "status": SupplierStatusForm(bound if which == "status" else None, prefix="status"),
    }
    calls = {
        "document": lambda: services.supplier_document_add(
            actor=user, supplier=supplier, **forms["document"].cleaned_data
        ),
        "status": lambda: services.supplier_status_set(
            actor=user,
            supplier=supplier,
            status=forms["status"].cleaned_data["decision"],
            reason=forms["status"].cleaned_data["reason"],
        ),
    }
    done = {"document": _("Paper added."), "status": _("Status changed.")}
    response = act(request, forms, calls, done, request.path)
    if response:
        return response
    return render(
        request,
        "inventory/supplier_detail.html",
        {
            "supplier": supplier,
            "documents": selectors.supplier_documents(supplier),
            "gate": services.supplier_gate(supplier, local_today()),
            "evaluation": selectors.supplier_evaluation(supplier),
            "orders": selectors.orders(supplier=supplier.pk)[:20],
            "forms": forms,
            "may_keep": may_act(user, InventoryAction.SUPPLIERS),
            "may_qualify": may_act(user, InventoryAction.QUALIFY),
        },
    )


def orders(request):
    _require(request)
    page = paginate(request, selectors.orders(), 30)
    return render(
        request,
        "inventory/orders.html",
        {"page": page, "may_order": may_act(request.user, InventoryAction.ORDER)},
    )


def order_create(request):
    if not may_act(request.user, InventoryAction.ORDER):
        raise PermissionDenied
    form = OrderForm(request.POST or None)
    made = {}

    def create():
        data = form.cleaned_data
        made["it"] = services.order_create(
            actor=request.user,
            supplier=data["supplier"],
            warehouse=data["warehouse"],
            quality_standard=data["quality_standard"],
            note=data["note"],
            lines=form.lines(),
            today=local_today(),
        )

    if request.method == "POST" and attempt(form, create):
        messages.success(
            request, _("Order %(no)s drafted: management approves it.") % {"no": made["it"].number}
        )
        return redirect("inventory:order", made["it"].pk)
    return render(
        request,
        "inventory/order_form.html",
        {"form": form, "parts": selectors.parts().values_list("number", "name")[:2000]},
    )


def order_detail(request, order_id: int):
    _require(request)
    order = selectors.order_get(order_id)
    user = request.user
    bound = request.POST if request.method == "POST" else None
    which = request.POST.get("action") if bound else None
    forms = {
        "approve": ConfirmForm(bound if which == "approve" else None, prefix="approve"),
        "cancel": ReasonForm(bound if which == "cancel" else None, prefix="cancel"),
        "receive": ReceiptForm(
            bound if which == "receive" else None,
            order=order,
            prefix="receive",
            initial={"received_on": local_today()},
        ),
    }
    calls = {
        "approve": lambda: services.order_approve(actor=user, order=order, today=local_today()),
        "cancel": lambda: services.order_cancel(
            actor=user, order=order, reason=forms["cancel"].cleaned_data["reason"]
        ),
        "receive": lambda: services.order_receive(
            actor=user, order=order, today=local_today(), **forms["receive"].cleaned_data
        ),
    }
    done = {
        "approve": _("Order approved."),
        "cancel": _("Order cancelled."),
        "receive": _("Inspection recorded; accepted goods are in stock."),
    }
    response = act(request, forms, calls, done, request.path)
    if response:
        return response
    status = order.status
    return render(
        request,
        "inventory/order_detail.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "inspections": selectors.order_inspections(order),
            "forms": forms,
            "may_approve": status == "draft" and may_act(user, InventoryAction.APPROVE_ORDER),
            "may_cancel": status in ("draft", "approved") and may_act(user, InventoryAction.ORDER),
            "may_receive": status in ("approved", "partly_received")
            and may_act(user, InventoryAction.RECEIVE),
        },
    )


def counts(request):
    _require(request)
    form = CountStartForm(request.POST or None)
    made = {}

    def start():
        made["it"] = services.count_start(
            actor=request.user, today=local_today(), **form.cleaned_data
        )

    if request.method == "POST" and attempt(form, start):
        messages.success(
            request, _("Count %(no)s started: the book is frozen.") % {"no": made["it"].number}
        )
        return redirect("inventory:count", made["it"].pk)
    page = paginate(request, selectors.counts(), 30)
    return render(
        request,
        "inventory/counts.html",
        {"page": page, "form": form, "may_count": may_act(request.user, InventoryAction.COUNT)},
    )


def count_detail(request, count_id: int):
    _require(request)
    count = selectors.count_get(count_id)
    user = request.user
    lines = selectors.count_lines(count)
    bound = request.POST if request.method == "POST" else None
    which = request.POST.get("action") if bound else None
    forms = {
        "approve": ReasonForm(bound if which == "approve" else None, prefix="approve"),
        "cancel": ReasonForm(bound if which == "cancel" else None, prefix="cancel"),
    }
    if which == "scan" and may_act(user, InventoryAction.COUNT):
        from mdss.core.errors import ApplicationError

        try:
            line = services.count_scan(actor=user, count=count, code=request.POST.get("code", ""))
            messages.success(
                request,
                _("%(part)s: %(n)s counted.") % {"part": line.part.number, "n": line.counted},
            )
        except ApplicationError as exc:
            messages.error(request, " ".join(e.message for e in exc.errors) or str(exc.message))
        return redirect(request.path)
    if which in ("enter", "submit") and may_act(user, InventoryAction.COUNT):
        from mdss.core.errors import ApplicationError

        counted = {
            line.pk: request.POST.get(f"counted-{line.pk}")
            for line in lines
            if request.POST.get(f"counted-{line.pk}", "") != ""
        }
        try:
            services.count_enter(actor=user, count=count, counted=counted)
            if which == "submit":
                services.count_submit(actor=user, count=count)
            messages.success(request, _("Counted quantities saved."))
            return redirect(request.path)
        except ApplicationError as exc:
            messages.error(request, " ".join(e.message for e in exc.errors) or str(exc.message))
    calls = {
        "approve": lambda: services.count_approve(
            actor=user, count=count, reason=forms["approve"].cleaned_data["reason"]
        ),
        "cancel": lambda: services.count_cancel(
            actor=user, count=count, reason=forms["cancel"].cleaned_data["reason"]
        ),
    }
    done = {"approve": _("Adjustments posted to the ledger."), "cancel": _("Count cancelled.")}
    response = act(request, forms, calls, done, request.path)
    if response:
        return response
    counted = [line for line in lines if line.counted is not None]
    return render(
        request,
        "inventory/count_detail.html",
        {
            "count": count,
            "lines": lines,
            "forms": forms,
            "variance_value": sum((line.variance_value for line in counted), 0),
            "differences": sum(1 for line in counted if line.variance),
            "may_enter": count.status == "counting" and may_act(user, InventoryAction.COUNT),
            "may_approve": count.status == "submitted"
            and may_act(user, InventoryAction.APPROVE_COUNT)
            and count.started_by_id != user.pk,
            "may_cancel": count.status in ("counting", "submitted")
            and may_act(user, InventoryAction.COUNT),
        },
    )


def replenishment(request):
    """What to order per warehouse (A10), and the computation of the levels."""
    from .forms import LevelsForm

    _require(request)
    form = LevelsForm(request.POST or None, initial={"lead_time_days": 14, "service_level": "0.95"})
    warehouse_id = request.GET.get("warehouse") or request.POST.get("warehouse")
    warehouses = list(selectors.issuing_warehouses())
    warehouse = next(
        (w for w in warehouses if str(w.pk) == str(warehouse_id)),
        warehouses[0] if warehouses else None,
    )
    made = {}

    def compute():
        data = form.cleaned_data
        made["n"] = services.levels_compute(
            actor=request.user,
            warehouse=data["warehouse"],
            today=local_today(),
            lead_time_days=data["lead_time_days"],
            service_level=float(data["service_level"]),
        )

    if request.method == "POST" and attempt(form, compute):
        messages.success(request, _("%(n)s stock levels computed.") % {"n": made["n"]})
        return redirect(f"{request.path}?warehouse={form.cleaned_data['warehouse'].pk}")
    return render(
        request,
        "inventory/replenishment.html",
        {
            "rows": selectors.replenishment(warehouse) if warehouse else [],
            "warehouse": warehouse,
            "warehouses": warehouses,
            "form": form,
            "may_compute": may_act(request.user, InventoryAction.ORDER),
        },
    )
