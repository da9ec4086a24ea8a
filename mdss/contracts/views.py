"""Contract pages: the ledger, drafting, legal review and signing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mdss.core.dates import local_today
from mdss.core.errors import attempt
from mdss.core.htmx import render_page_or_partial
from mdss.core.permissions import permission_required
from mdss.customers.selectors import customer_get_for_user

from . import selectors, services
from .choices import AMENDABLE, ProblemDecision
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
    ProblemActionForm,
    ProblemForm,
    ReasonForm,
    ReceiptForm,
    SignForm,
    TerminateForm,
)


def _ledger_form(request):
    from mdss.customers.selectors import reps_for

    return LedgerFilterForm(request.GET or None, reps=reps_for(request.user), viewer=request.user)


@permission_required("contracts.view_contract")
def ledger(request):
    form = _ledger_form(request)
    rows = selectors.ledger(request.user, **form.filters())
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render_page_or_partial(
        request,
        "contracts/ledger.html",
        "contracts/_ledger_table.html",
        {"page": page, "form": form, "today": local_today()},
    )


@permission_required("contracts.add_contract")
def contract_create(request):
    customer = customer_get_for_user(
        request.user, int(request.GET.get("customer") or request.POST.get("customer") or 0)
    )
    form = ContractForm(request.POST or None)
    created = {}

    def save():
        created["contract"] = services.contract_create(
            actor=request.user,
            customer_id=customer.pk,
            **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")},
        )

    if request.method == "POST" and attempt(form, save):
        messages.success(request, _("Draft %(no)s created.") % {"no": created["contract"].number})
        return redirect("contracts:detail", contract_id=created["contract"].pk)
    return render(
        request,
        "contracts/form.html",
        {"form": form, "customer": customer, "title": _("New contract")},
    )


@permission_required("contracts.view_contract")
def contract_detail(request, contract_id: int):
    contract = selectors.contract_get_for_user(request.user, contract_id)
    user = request.user
    forms = {
        "line": LineForm(
            request.POST if "line" in request.POST else None, contract=contract, prefix="line"
        ),
        "return": CommentForm(request.POST if "return" in request.POST else None, prefix="return"),
        "approve": ApproveForm(
            request.POST if "approve" in request.POST else None, prefix="approve"
        ),
        "sign": SignForm(
            request.POST if "sign" in request.POST else None,
            request.FILES if "sign" in request.POST else None,
            prefix="sign",
            initial={"signed_on": local_today(), "customer_signed_on": local_today()},
        ),
        "terminate": TerminateForm(
            request.POST if "terminate" in request.POST else None,
            prefix="terminate",
            initial={"on": local_today()},
        ),
        "submit": CommentForm(request.POST if "submit" in request.POST else None, prefix="submit"),
        "cancel": CancelForm(request.POST if "cancel" in request.POST else None, prefix="cancel"),
    }
    forms["attach"] = AttachmentForm(
        request.POST if "attach" in request.POST else None,
        request.FILES if "attach" in request.POST else None,
        prefix="attach",
    )
    forms["problem_raise"] = ProblemForm(
        request.POST if "problem_raise" in request.POST else None, prefix="problem"
    )
    forms["pay"] = PaymentForm(
        request.POST if "pay" in request.POST else None,
        prefix="pay",
        initial={"received_on": local_today()},
    )
    detail = selectors.contract_detail(contract)
    forms["deliver"] = DeliveryForm(
        request.POST if "deliver" in request.POST else None,
        prefix="deliver",
        lines=detail["lines"],
        remaining=detail["remaining"],
        initial={"delivered_on": local_today()},
    )
    calls = {
        "line": lambda f: services.line_add(actor=user, contract=contract, **f.cleaned_data),
        "attach": lambda f: services.attachment_add(
            actor=user, contract=contract, **f.cleaned_data
        ),
        "submit": lambda f: services.contract_submit(
            actor=user, contract=contract, today=local_today()
        ),
        "return": lambda f: services.legal_return(
            actor=user, contract=contract, comment=f.cleaned_data["comment"]
        ),
        "approve": lambda f: services.legal_approve(
            actor=user, contract=contract, **f.cleaned_data
        ),
        "sign": lambda f: services.contract_sign(
            actor=user, contract=contract, today=local_today(), **f.cleaned_data
        ),
        "terminate": lambda f: services.contract_terminate(
            actor=user, contract=contract, **f.cleaned_data
        ),
        "cancel": lambda f: services.contract_cancel(
            actor=user, contract=contract, reason=f.cleaned_data["reason"]
        ),
        "problem_raise": lambda f: services.problem_raise(
            actor=user, contract=contract, **f.cleaned_data
        ),
        "pay": lambda f: services.payment_record(
            actor=user, contract=contract, today=local_today(), **f.cleaned_data
        ),
        "deliver": lambda f: services.delivery_record(
            actor=user,
            contract=contract,
            delivered_on=f.cleaned_data["delivered_on"],
            carrier=f.cleaned_data["carrier"],
            tracking_number=f.cleaned_data["tracking_number"],
            items=f.items(),
            documents=f.documents(),
            today=local_today(),
        ),
    }
    if request.method == "POST" and "receipt" in request.POST:
        delivery = get_object_or_404(contract.deliveries, pk=request.POST["receipt"])
        form = ReceiptForm(request.POST, request.FILES, prefix=f"receipt{delivery.pk}")
        if attempt(
            form,
            lambda: services.delivery_confirm_receipt(
                actor=user, delivery=delivery, today=local_today(), **form.cleaned_data
            ),
        ):
            messages.success(request, _("Saved."))
        else:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(f"{request.path}#deliveries")
    if request.method == "POST" and "problem_action" in request.POST:
        form = ProblemActionForm(request.POST)
        if form.is_valid():
            problem = get_object_or_404(contract.problems, pk=form.cleaned_data["problem"])
            data = form.cleaned_data
            actions = {
                "note": lambda: services.problem_note(
                    actor=user, problem=problem, text=data["text"]
                ),
                "resolve": lambda: services.problem_resolve(
                    actor=user, problem=problem, outcome=data["text"]
                ),
                "escalate": lambda: services.problem_escalate(
                    actor=user, problem=problem, reason=data["text"]
                ),
                "decide": lambda: services.problem_decide(
                    actor=user,
                    problem=problem,
                    decision=data["decision"],
                    note=data["text"],
                    case_reference=data["case_reference"],
                ),
            }
            if attempt(form, actions[data["action"]]):
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}#problems")
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(f"{request.path}#problems")
    if request.method == "POST":
        if "remove_attachment" in request.POST:
            attachment = get_object_or_404(
                contract.attachments, pk=request.POST["remove_attachment"]
            )
            services.attachment_remove(actor=user, attachment=attachment)
            return redirect("contracts:detail", contract_id=contract.pk)
        if "remove" in request.POST:
            line = get_object_or_404(contract.lines, pk=request.POST["remove"])
            services.line_remove(actor=user, line=line)
            return redirect("contracts:detail", contract_id=contract.pk)
        action = next((a for a in calls if a in request.POST), None)
        if action is None:
            raise PermissionDenied
        if attempt(forms[action], lambda: calls[action](forms[action])):
            messages.success(request, _("Saved."))
            return redirect("contracts:detail", contract_id=contract.pk)
    context = detail
    context.update(
        {
            "contract": contract,
            "forms": forms,
            "is_legal": user.has_role("legal") or user.is_superuser,
            "is_management": user.has_role("management") or user.is_superuser,
            "may_edit": user.has_perm("contracts.add_contract"),
            "problem_decisions": ProblemDecision.choices,
            "may_amend": user.has_perm("contracts.add_contract")
            and contract.status in AMENDABLE
            and not any(a.is_open for a in detail["amendments"]),
        }
    )
    for delivery in detail["deliveries"]:
        delivery.receipt_form = ReceiptForm(
            prefix=f"receipt{delivery.pk}", initial={"received_on": local_today()}
        )
    return render(request, "contracts/detail.html", context)


@permission_required("contracts.view_contract")
def review_inbox(request):
    if not (request.user.has_role("legal") or request.user.is_superuser):
        raise PermissionDenied
    from mdss.calendars.selectors import running_clocks

    rows = list(selectors.review_inbox()[:100])
    amendments = list(selectors.amendments_in_review()[:100])
    for group in (rows, amendments):
        clocks = running_clocks(group)
        for item in group:
            item.clock = clocks.get(item.pk)
    return render(request, "contracts/review_inbox.html", {"rows": rows, "amendments": amendments})


@permission_required("contracts.view_contract")
def receivables(request):
    rows = selectors.receivables_overdue(request.user, local_today())
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "contracts/receivables.html", {"page": page})


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
        {"form": form, "contract": contract, "amendment": amendment},
    )


@permission_required("contracts.view_contract")
def amendment_detail(request, amendment_id: int):
    from mdss.calendars.selectors import clocks_for

    user = request.user
    amendment = selectors.amendment_get_for_user(user, amendment_id)
    post = request.POST if request.method == "POST" else {}
    forms = {
        "submit": CommentForm(post if "submit" in post else None, prefix="submit"),
        "approve": ApproveForm(post if "approve" in post else None, prefix="approve"),
        "return": CommentForm(post if "return" in post else None, prefix="return"),
        "sign": AmendmentSignForm(
            post if "sign" in post else None,
            request.FILES if "sign" in post else None,
            prefix="sign",
            initial={"signed_on": local_today()},
        ),
        "withdraw": ReasonForm(post if "withdraw" in post else None, prefix="withdraw"),
    }
    calls = {
        "submit": lambda f: services.amendment_submit(
            actor=user, amendment=amendment, today=local_today()
        ),
        "approve": lambda f: services.amendment_approve(
            actor=user, amendment=amendment, **f.cleaned_data
        ),
        "return": lambda f: services.amendment_return(
            actor=user, amendment=amendment, comment=f.cleaned_data["comment"]
        ),
        "sign": lambda f: services.amendment_sign(
            actor=user, amendment=amendment, today=local_today(), **f.cleaned_data
        ),
        "withdraw": lambda f: services.amendment_withdraw(
            actor=user, amendment=amendment, **f.cleaned_data
        ),
    }
    if request.method == "POST":
        action = next((a for a in calls if a in post), None)
        if action is None:
            raise PermissionDenied
        if attempt(forms[action], lambda: calls[action](forms[action])):
            messages.success(request, _("Saved."))
            return redirect("contracts:amendment", amendment_id=amendment.pk)
    context = selectors.amendment_view(amendment)
    context.update(
        {
            "amendment": amendment,
            "contract": amendment.contract,
            "forms": forms,
            "clocks": list(clocks_for(amendment)),
            "is_legal": user.has_role("legal") or user.is_superuser,
            "may_edit": user.has_perm("contracts.add_contract"),
        }
    )
    return render(request, "contracts/amendment_detail.html", context)


def _pdf_response(content: bytes, filename: str):
    from django.http import HttpResponse

    from mdss.core.pdf import PDF_CONTENT_TYPE

    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


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
