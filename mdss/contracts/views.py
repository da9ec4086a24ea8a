"""Contract pages: the ledger, drafting, legal review and signing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mdss.core.dates import local_today
from mdss.core.errors import attempt
from mdss.core.htmx import render_page_or_partial
from mdss.core.paging import paginate
from mdss.core.permissions import permission_required
from mdss.customers.selectors import customer_get_for_user

from . import actions, next_steps, selectors, services
from .choices import ProblemDecision
from .forms import (
    AmendmentForm,
    AmendmentSignForm,
    ApproveForm,
    AttachmentForm,
    CancelForm,
    CommentForm,
    ContractForm,
    DeliveryForm,
    LedgerFilterForm,
    LineForm,
    PaymentForm,
    PlanForm,
    ProblemDecisionForm,
    ProblemForm,
    ProblemNoteForm,
    ReasonForm,
    ReceiptForm,
    SignForm,
    TerminateForm,
)
from .models import Contract
from .permissions import may_act, sales_side


def _ledger_form(request):
    from mdss.customers.selectors import reps_for

    return LedgerFilterForm(request.GET or None, reps=reps_for(request.user), viewer=request.user)


@permission_required("contracts.view_contract")
def ledger(request):
    form = _ledger_form(request)
    rows = selectors.ledger(request.user, **form.filters())
    totals = selectors.ledger_totals(rows)
    # Counted with the amount, in the same query.
    page = paginate(request, rows, 30, count=totals["count"])
    return render_page_or_partial(
        request,
        "contracts/ledger.html",
        "contracts/_ledger_table.html",
        {
            "page": page,
            "form": form,
            "today": local_today(),
            "totals": totals,
        },
    )


@permission_required("contracts.add_contract")
def contract_create(request):
    """The terms and the first product in one form (the product picked by type-ahead);
    then the payment plan is the next page."""
    customer = customer_get_for_user(
        request.user, _int(request.GET.get("customer") or request.POST.get("customer"))
    )
    form = ContractForm(request.POST or None, initial={"delivery_place": _delivery_place(customer)})
    line_form = LineForm(request.POST or None, customer=customer, prefix="line", required=False)
    created = {}

    def save():
        line = line_form.line()
        created["contract"] = services.contract_create(
            actor=request.user,
            customer_id=customer.pk,
            lines=[line] if line else [],
            **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")},
        )

    if (
        request.method == "POST"
        and all([line_form.is_valid(), form.is_valid()])
        and _attempt_create(form, line_form, save)
    ):
        contract = created["contract"]
        messages.success(request, next_steps.after_create(contract))
        return redirect(reverse("contracts:plan", args=[contract.pk]) + "?created=1")
    return render(
        request,
        "contracts/form.html",
        {
            "form": form,
            "line_form": line_form,
            "customer": customer,
            "title": _("New contract"),
            "picker_url": reverse("contracts:product_search") + f"?customer={customer.pk}",
        },
    )


@permission_required("contracts.view_contract")
def contract_terms(request, contract_id: int):
    """Change a draft's terms (delivery place, deadline, clauses, warranty): the
    header the create form set. Lines and plan have their own forms."""
    contract = selectors.contract_get_for_user(request.user, contract_id)
    if not may_act(request.user, "draft"):
        raise PermissionDenied
    # The form validates a copy: the service diffs the stored terms against the new.
    form = ContractForm(request.POST or None, instance=Contract.objects.get(pk=contract.pk))
    if request.method == "POST" and attempt(
        form,
        lambda: services.contract_update(
            actor=request.user,
            contract=contract,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        ),
    ):
        messages.success(request, _("The terms of %(no)s were saved.") % {"no": contract.number})
        return redirect(reverse("contracts:detail", args=[contract.pk]) + "?tab=terms")
    return render(request, "contracts/terms.html", {"contract": contract, "form": form})


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _delivery_place(customer) -> str:
    return " ".join(part for part in (customer.name, customer.address) if part)


def _attempt_create(form, line_form, save) -> bool:
    """Like ``attempt``: an error on ``lines.1.<field>`` goes next to the product's
    field, the rest on the terms."""
    from mdss.core.errors import ApplicationError

    if not form.is_valid():
        return False
    try:
        save()
    except ApplicationError as exc:
        if not exc.errors:
            form.add_error(None, str(exc.message))
        for err in exc.errors or []:
            if err.field.startswith("lines.1."):
                name = err.field.removeprefix("lines.1.")
                line_form.add_error(name if name in line_form.fields else None, str(err.message))
            else:
                form.add_error(err.field if err.field in form.fields else None, str(err.message))
        return False
    return True


@require_GET
@permission_required("contracts.add_contract")
def product_search(request):
    """The product picker's matches (an htmx fragment): models whose code or name
    contains ``q``, at most ``PICKER_LIMIT``, each with its list price, whether it may
    be sold today to this customer by this rep, and the approved price requests it
    may cite. For one ``customer`` (the create form) or one draft ``contract`` (its
    line form), within the caller's scope (404 otherwise)."""
    q = (request.GET.get("q") or "").strip()
    problem = None
    if len(q) > selectors.PICKER_MAX_QUERY:
        problem = _("Type at most %(n)s characters.") % {"n": selectors.PICKER_MAX_QUERY}
    contract_id, customer_id = request.GET.get("contract"), request.GET.get("customer")
    if problem is None and not (_is_id(contract_id) or _is_id(customer_id)):
        problem = _("Open the picker from a contract or a customer.")
    if problem is not None:
        return render(request, "contracts/_product_matches.html", {"problem": problem}, status=400)
    if _is_id(contract_id):
        contract = selectors.contract_get_for_user(request.user, int(contract_id))
        customer, rep = contract.customer, contract.rep
    else:
        contract, rep = None, request.user
        customer = customer_get_for_user(request.user, int(customer_id))
    matches, more = ([], False)
    if q:
        matches, more = selectors.product_matches(
            customer=customer,
            rep=rep,
            q=q,
            on_date=local_today(),
            contract_id=contract.pk if contract else None,
        )
    return render(
        request,
        "contracts/_product_matches.html",
        {"q": q, "matches": matches, "more": more, "customer": customer},
    )


def _is_id(value) -> bool:
    return bool(value) and value.isdigit() and len(value) < 19


@permission_required("contracts.view_contract")
def payment_plan(request, contract_id: int):
    """Set the payment plan: the next page after drafting, and from the Payments tab."""
    contract = selectors.contract_get_for_user(request.user, contract_id)
    if not may_act(request.user, "draft"):
        raise PermissionDenied
    detail = selectors.contract_plan(contract)
    form = PlanForm(request.POST or None, rows=detail["rows"])
    if request.method == "POST" and attempt(
        form,
        lambda: services.instalments_set(
            actor=request.user, contract=contract, rows=form.instalments()
        ),
    ):
        messages.success(request, next_steps.after_plan(contract))
        return redirect(reverse("contracts:detail", args=[contract.pk]) + "?tab=payments")
    return render(
        request,
        "contracts/plan.html",
        {
            "contract": contract,
            "form": form,
            "created": request.GET.get("created") == "1",
            **detail,
        },
    )


def _detail_forms(contract, detail, allowed, bound) -> dict:
    """An unbound form for each action the user may take, or the bound one that failed."""
    today = local_today()
    makers = {
        "edit": lambda: LineForm(contract=contract, prefix="line"),
        "attach": lambda: AttachmentForm(prefix="attach"),
        "submit": lambda: CommentForm(prefix="submit"),
        "return": lambda: CommentForm(prefix="return"),
        "approve": lambda: ApproveForm(prefix="approve"),
        "sign": lambda: SignForm(
            prefix="sign", initial={"signed_on": today, "customer_signed_on": today}
        ),
        "terminate": lambda: TerminateForm(prefix="terminate", initial={"on": today}),
        "cancel": lambda: CancelForm(prefix="cancel"),
        "raise_problem": lambda: ProblemForm(prefix="problem"),
        "pay": lambda: PaymentForm(prefix="pay", initial={"received_on": today}),
        "deliver": lambda: DeliveryForm(
            prefix="deliver",
            lines=detail["lines"],
            remaining=detail["remaining"],
            initial={"delivered_on": today},
        ),
    }
    forms = {}
    for name, make in makers.items():
        action = "edit" if name == "attach" else name
        if name in bound:
            forms[name] = bound[name]
        elif action in allowed:
            forms[name] = make()
    return forms


# The detail page's tabs, in order; ``?tab=`` or the address's #hash opens one.
DETAIL_TABS = (
    "terms",
    "lines",
    "deliveries",
    "payments",
    "problems",
    "documents",
    "amendments",
    "timeline",
)
# The tab holding each action's form: a refused form opens its tab again.
FORM_TABS = {
    "edit": "lines",
    "attach": "documents",
    "deliver": "deliveries",
    "receipt": "deliveries",
    "pay": "payments",
    "raise_problem": "problems",
}


def _active_tab(request, contract, bound) -> str:
    for name in bound:
        if name in FORM_TABS:
            return FORM_TABS[name]
    asked = request.GET.get("tab", "")
    if asked in DETAIL_TABS:
        return asked
    # A draft is mostly about its products; afterwards the terms come first.
    return "lines" if contract.status == "draft" else "terms"


def _render_detail(request, contract, bound=None):
    bound = bound or {}
    user = request.user
    detail = selectors.contract_detail(contract)
    allowed = actions.contract_actions_for(user, contract)
    context = detail
    context.update(
        {
            "contract": contract,
            "actions": allowed,
            "forms": _detail_forms(contract, detail, allowed, bound),
            "problem_decisions": ProblemDecision.choices,
            "tabs": DETAIL_TABS,
            "active_tab": _active_tab(request, contract, bound),
            "may_plan": actions.may_set_plan(user, contract, bool(detail["instalments"])),
            "picker_url": reverse("contracts:product_search") + f"?contract={contract.pk}",
            # The warehouse sees the units' serial numbers, not links it may not open.
            "device_links": sales_side(user),
        }
    )
    for problem in detail["problems"]:
        problem.actions = actions.problem_actions_for(user, problem)
    if "confirm_receipt" in allowed:
        receipt = bound.get("receipt")
        for delivery in detail["deliveries"]:
            if receipt is not None and receipt.prefix == f"receipt{delivery.pk}":
                delivery.receipt_form = receipt
            else:
                delivery.receipt_form = ReceiptForm(
                    prefix=f"receipt{delivery.pk}", initial={"received_on": local_today()}
                )
    return render(request, "contracts/detail.html", context)


@permission_required("contracts.view_contract")
def contract_detail(request, contract_id: int):
    contract = selectors.contract_get_for_user(request.user, contract_id)
    return _render_detail(request, contract)


def _contract_action(name: str, make_form, call, anchor: str = ""):
    """The POST endpoint of one action on a contract: the form is bound, the one
    service called; a refusal shows the page again with the rule next to the field."""

    permission = actions.CONTRACT_ACTIONS["edit" if name == "attach" else name].permission

    @require_POST
    @permission_required("contracts.view_contract")
    def view(request, contract_id: int):
        contract = selectors.contract_get_for_user(request.user, contract_id)
        if not may_act(request.user, permission):
            raise PermissionDenied
        form = make_form(request, contract)
        if attempt(form, lambda: call(request.user, contract, form.cleaned_data)):
            messages.success(request, next_steps.after_contract_action(name, contract))
            return redirect(reverse("contracts:detail", args=[contract.pk]) + anchor)
        return _render_detail(request, contract, {name: form})

    view.__name__ = f"contract_{name}"
    return view


def _bound(form_class, prefix, **kwargs):
    return lambda request, contract: form_class(
        request.POST, request.FILES, prefix=prefix, **kwargs
    )


line_add = _contract_action(
    "edit",
    lambda request, contract: LineForm(request.POST, contract=contract, prefix="line"),
    lambda user, contract, data: services.line_add(actor=user, contract=contract, **data),
    "?tab=lines",
)
attachment_add = _contract_action(
    "attach",
    _bound(AttachmentForm, "attach"),
    lambda user, contract, data: services.attachment_add(actor=user, contract=contract, **data),
    "?tab=documents",
)
contract_submit = _contract_action(
    "submit",
    _bound(CommentForm, "submit"),
    lambda user, contract, data: services.contract_submit(
        actor=user, contract=contract, today=local_today()
    ),
)
contract_return = _contract_action(
    "return",
    _bound(CommentForm, "return"),
    lambda user, contract, data: services.legal_return(
        actor=user, contract=contract, comment=data["comment"]
    ),
)
contract_approve = _contract_action(
    "approve",
    _bound(ApproveForm, "approve"),
    lambda user, contract, data: services.legal_approve(actor=user, contract=contract, **data),
)
contract_sign = _contract_action(
    "sign",
    _bound(SignForm, "sign"),
    lambda user, contract, data: services.contract_sign(
        actor=user, contract=contract, today=local_today(), **data
    ),
)
contract_cancel = _contract_action(
    "cancel",
    _bound(CancelForm, "cancel"),
    lambda user, contract, data: services.contract_cancel(
        actor=user, contract=contract, reason=data["reason"]
    ),
)
contract_terminate = _contract_action(
    "terminate",
    _bound(TerminateForm, "terminate"),
    lambda user, contract, data: services.contract_terminate(actor=user, contract=contract, **data),
)
problem_raise = _contract_action(
    "raise_problem",
    _bound(ProblemForm, "problem"),
    lambda user, contract, data: services.problem_raise(actor=user, contract=contract, **data),
    "?tab=problems",
)
payment_record = _contract_action(
    "pay",
    _bound(PaymentForm, "pay"),
    lambda user, contract, data: services.payment_record(
        actor=user, contract=contract, today=local_today(), **data
    ),
    "?tab=payments",
)


def _delivery_form(request, contract):
    detail = selectors.contract_detail(contract)
    return DeliveryForm(
        request.POST, prefix="deliver", lines=detail["lines"], remaining=detail["remaining"]
    )


delivery_record = _contract_action(
    "deliver",
    _delivery_form,
    lambda user, contract, data: services.delivery_record(
        actor=user,
        contract=contract,
        delivered_on=data["delivered_on"],
        carrier=data["carrier"],
        tracking_number=data["tracking_number"],
        items=data["items"],
        documents=data["documents"],
        today=local_today(),
    ),
    "?tab=deliveries",
)


@require_POST
@permission_required("contracts.view_contract")
def line_remove(request, contract_id: int, line_id: int):
    contract = selectors.contract_get_for_user(request.user, contract_id)
    line = get_object_or_404(contract.lines, pk=line_id)
    services.line_remove(actor=request.user, line=line)
    return redirect(reverse("contracts:detail", args=[contract.pk]) + "?tab=lines")


@require_POST
@permission_required("contracts.view_contract")
def attachment_remove(request, contract_id: int, attachment_id: int):
    contract = selectors.contract_get_for_user(request.user, contract_id)
    attachment = get_object_or_404(contract.attachments, pk=attachment_id)
    services.attachment_remove(actor=request.user, attachment=attachment)
    return redirect(reverse("contracts:detail", args=[contract.pk]) + "?tab=documents")


@require_POST
@permission_required("contracts.view_contract")
def delivery_confirm_receipt(request, delivery_id: int):
    delivery = selectors.delivery_get_for_user(request.user, delivery_id)
    if not may_act(request.user, actions.CONTRACT_ACTIONS["confirm_receipt"].permission):
        raise PermissionDenied
    form = ReceiptForm(request.POST, request.FILES, prefix=f"receipt{delivery.pk}")
    call = lambda: services.delivery_confirm_receipt(  # noqa: E731
        actor=request.user, delivery=delivery, today=local_today(), **form.cleaned_data
    )
    if attempt(form, call):
        messages.success(
            request, next_steps.after_contract_action("confirm_receipt", delivery.contract)
        )
        return redirect(
            reverse("contracts:detail", args=[delivery.contract_id]) + "?tab=deliveries"
        )
    return _render_detail(request, delivery.contract, {"receipt": form})


PROBLEM_CALLS = {
    "note": lambda user, problem, data: services.problem_note(
        actor=user, problem=problem, text=data["text"]
    ),
    "resolve": lambda user, problem, data: services.problem_resolve(
        actor=user, problem=problem, outcome=data["text"]
    ),
    "escalate": lambda user, problem, data: services.problem_escalate(
        actor=user, problem=problem, reason=data["text"]
    ),
    "decide": lambda user, problem, data: services.problem_decide(
        actor=user,
        problem=problem,
        decision=data["decision"],
        note=data["text"],
        case_reference=data["case_reference"],
    ),
}


def _problem_action(name: str):
    permission = actions.PROBLEM_ACTIONS[name].permission

    @require_POST
    @permission_required("contracts.view_contract")
    def view(request, problem_id: int):
        problem = selectors.problem_get_for_user(request.user, problem_id)
        if not may_act(request.user, permission):
            raise PermissionDenied
        form = (ProblemDecisionForm if name == "decide" else ProblemNoteForm)(request.POST)
        if attempt(form, lambda: PROBLEM_CALLS[name](request.user, problem, form.cleaned_data)):
            messages.success(request, next_steps.after_problem(name, problem))
        else:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(reverse("contracts:detail", args=[problem.contract_id]) + "?tab=problems")

    view.__name__ = f"problem_{name}"
    return view


problem_note = _problem_action("note")
problem_resolve = _problem_action("resolve")
problem_escalate = _problem_action("escalate")
problem_decide = _problem_action("decide")


@permission_required("contracts.view_contract")
def review_inbox(request):
    if not may_act(request.user, "review"):
        raise PermissionDenied
    from mdss.calendars.selectors import running_clocks

    rows = list(selectors.review_inbox()[:100])
    amendments = list(selectors.amendments_in_review()[:100])
    for group in (rows, amendments):
        clocks = running_clocks(group)
        for item in group:
            item.clock = clocks.get(item.pk)
    return render(
        request,
        "contracts/review_inbox.html",
        {
            "rows": rows,
            "amendments": amendments,
            # The oldest hundred are listed; the heading counts them all.
            "waiting": len(rows) if len(rows) < 100 else selectors.review_inbox().count(),
            "amendments_waiting": len(amendments)
            if len(amendments) < 100
            else selectors.amendments_in_review().count(),
        },
    )


@permission_required("contracts.view_contract")
def deliveries_to_prepare(request):
    """The warehouse's list: what is signed and not yet (fully) delivered."""
    from .filters import DeliveriesFilterForm

    form = DeliveriesFilterForm(request.GET or None)
    rows = selectors.deliveries_to_prepare(request.user, **form.filters())
    return render(
        request,
        "contracts/deliveries_to_prepare.html",
        {"page": paginate(request, rows, 30), "form": form, "today": local_today()},
    )


@permission_required("contracts.view_contract")
def receivables(request):
    if not sales_side(request.user):
        raise PermissionDenied
    from .filters import ReceivablesFilterForm

    form = ReceivablesFilterForm(request.GET or None)
    today = local_today()
    rows = selectors.receivables_overdue(request.user, today, **form.filters())
    totals = selectors.receivables_totals(request.user, today, **form.filters())
    page = paginate(request, rows, 50, count=totals["count"])
    return render(request, "contracts/receivables.html", {"page": page, "totals": totals})


@permission_required("contracts.view_contract")
def ledger_export(request):
    from django.http import HttpResponse

    from mdss.core.excel import XLSX_CONTENT_TYPE

    from . import excel

    form = _ledger_form(request)
    rows = selectors.ledger(request.user, **form.filters())
    response = HttpResponse(
        excel.export_ledger(rows, actor=request.user), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{excel.filename("contracts", local_today())}"'
    )
    return response


@permission_required("contracts.view_contract")
def receivables_export(request):
    if not sales_side(request.user):
        raise PermissionDenied
    from django.http import HttpResponse

    from mdss.core.excel import XLSX_CONTENT_TYPE

    from . import excel
    from .filters import ReceivablesFilterForm

    today = local_today()
    form = ReceivablesFilterForm(request.GET or None)
    rows = selectors.receivables_overdue(request.user, today, **form.filters())
    response = HttpResponse(
        excel.export_receivables(rows, actor=request.user), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{excel.filename("receivables", today)}"'
    )
    return response


@permission_required("contracts.view_contract")
def sales_record_export(request):
    """The sales record for a period (default: this year to date), for inspections."""
    from datetime import date as _date

    from django.http import HttpResponse

    from mdss.core.excel import XLSX_CONTENT_TYPE

    from . import excel

    today = local_today()
    try:
        start = _date.fromisoformat(request.GET.get("from") or f"{today.year}-01-01")
        end = _date.fromisoformat(request.GET.get("to") or today.isoformat())
    except ValueError:
        start, end = _date(today.year, 1, 1), today
    content = excel.export_sales_record(
        selectors.contract_list_for_user(request.user), actor=request.user, start=start, end=end
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{excel.filename("sales-record", today)}"'
    )
    return response


@permission_required("contracts.add_contract")
def amendment_form(request, contract_id: int, amendment_id: int | None = None):
    """Propose (or, as a draft, change) an amendment: the terms in force, prefilled."""
    from mdss.core.errors import ApplicationError

    contract = selectors.contract_get_for_user(request.user, contract_id)
    amendment = get_object_or_404(contract.amendments, pk=amendment_id) if amendment_id else None
    lines = list(contract.lines.select_related("model__product", "adjustment").order_by("id"))
    form = AmendmentForm(request.POST or None, contract=contract, lines=lines, amendment=amendment)
    if request.method == "POST" and form.is_valid():
        try:
            if amendment is None:
                amendment = services.amendment_create(
                    actor=request.user, contract=contract, **form.proposal()
                )
            else:
                amendment = services.amendment_update(
                    actor=request.user, amendment=amendment, **form.proposal()
                )
        except ApplicationError as exc:
            form.place_errors(exc)
        else:
            messages.success(request, _("Amendment %(no)s saved.") % {"no": amendment.number})
            return redirect("contracts:amendment", amendment_id=amendment.pk)
    return render(
        request,
        "contracts/amendment_form.html",
        {
            "form": form,
            "contract": contract,
            "amendment": amendment,
            "picker_url": reverse("contracts:product_search") + f"?contract={contract.pk}",
        },
    )


def _render_amendment(request, amendment, bound=None):
    from mdss.calendars.selectors import clocks_for

    bound = bound or {}
    allowed = actions.amendment_actions_for(request.user, amendment)
    makers = {
        "submit": lambda: CommentForm(prefix="submit"),
        "approve": lambda: ApproveForm(prefix="approve"),
        "return": lambda: CommentForm(prefix="return"),
        "sign": lambda: AmendmentSignForm(prefix="sign", initial={"signed_on": local_today()}),
        "withdraw": lambda: ReasonForm(prefix="withdraw"),
    }
    forms = {
        name: bound.get(name) or make()
        for name, make in makers.items()
        if name in allowed or name in bound
    }
    context = selectors.amendment_view(amendment)
    context.update(
        {
            "amendment": amendment,
            "contract": amendment.contract,
            "actions": allowed,
            "forms": forms,
            "clocks": list(clocks_for(amendment)),
        }
    )
    return render(request, "contracts/amendment_detail.html", context)


@permission_required("contracts.view_contract")
def amendment_detail(request, amendment_id: int):
    amendment = selectors.amendment_get_for_user(request.user, amendment_id)
    return _render_amendment(request, amendment)


def _amendment_action(name: str, form_class, call):
    permission = actions.AMENDMENT_ACTIONS[name].permission

    @require_POST
    @permission_required("contracts.view_contract")
    def view(request, amendment_id: int):
        amendment = selectors.amendment_get_for_user(request.user, amendment_id)
        if not may_act(request.user, permission):
            raise PermissionDenied
        form = form_class(request.POST, request.FILES, prefix=name)
        if attempt(form, lambda: call(request.user, amendment, form.cleaned_data)):
            messages.success(request, next_steps.after_amendment(name, amendment))
            return redirect("contracts:amendment", amendment_id=amendment.pk)
        return _render_amendment(request, amendment, {name: form})

    view.__name__ = f"amendment_{name}"
    return view


amendment_submit = _amendment_action(
    "submit",
    CommentForm,
    lambda user, amendment, data: services.amendment_submit(
        actor=user, amendment=amendment, today=local_today()
    ),
)
amendment_approve = _amendment_action(
    "approve",
    ApproveForm,
    lambda user, amendment, data: services.amendment_approve(
        actor=user, amendment=amendment, **data
    ),
)
amendment_return = _amendment_action(
    "return",
    CommentForm,
    lambda user, amendment, data: services.amendment_return(
        actor=user, amendment=amendment, comment=data["comment"]
    ),
)
amendment_sign = _amendment_action(
    "sign",
    AmendmentSignForm,
    lambda user, amendment, data: services.amendment_sign(
        actor=user, amendment=amendment, today=local_today(), **data
    ),
)
amendment_withdraw = _amendment_action(
    "withdraw",
    ReasonForm,
    lambda user, amendment, data: services.amendment_withdraw(
        actor=user, amendment=amendment, **data
    ),
)


def _pdf_response(content: bytes, filename: str):
    from mdss.core.pdf import pdf_response

    return pdf_response(content, filename)


@permission_required("contracts.view_contract")
def contract_pdf(request, contract_id: int):
    from . import documents

    contract = selectors.contract_get_for_user(request.user, contract_id)
    return _pdf_response(documents.contract_pdf(contract), f"{contract.number}.pdf")


@permission_required("contracts.view_contract")
def delivery_pdf(request, delivery_id: int):
    from . import documents

    delivery = selectors.delivery_get_for_user(request.user, delivery_id)
    return _pdf_response(documents.delivery_note_pdf(delivery), f"{delivery.number}.pdf")


@permission_required("contracts.view_contract")
def contract_file(request, contract_id: int, kind: str, pk: int = 0):
    """The contract's documents (signed scan, annexes, signed receipts, signed
    amendments), only to those who may see the contract: not public media."""
    from django.http import Http404

    from mdss.core.files import serve

    contract = selectors.contract_get_for_user(request.user, contract_id)
    files = {
        "signed": lambda: contract.signed_scan,
        "attachment": lambda: get_object_or_404(contract.attachments, pk=pk).file,
        "receipt": lambda: get_object_or_404(contract.deliveries, pk=pk).receipt_scan,
        "amendment": lambda: get_object_or_404(contract.amendments, pk=pk).signed_scan,
    }
    if kind not in files:
        raise Http404
    return serve(files[kind]())
