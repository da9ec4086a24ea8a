"""Customer pages: thin views over selectors (reads) and services (changes)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mdss.core import charts
from mdss.core.dates import local_today
from mdss.core.errors import attempt
from mdss.core.excel import XLSX_CONTENT_TYPE, ImportRefused
from mdss.core.forms import ImportForm
from mdss.core.htmx import render_page_or_partial
from mdss.core.paging import paginate
from mdss.core.permissions import permission_required

from . import access, actions, excel, history, selectors, services
from .filters import CustomerFilterForm, FeedbackFilterForm
from .forms import (
    ActivityForm,
    CampaignForm,
    ContactForm,
    CustomerForm,
    FeedbackActForm,
    FeedbackCloseForm,
    FeedbackForm,
    LeadForm,
    PlanForm,
    QualificationForm,
    ReassignForm,
    VisitForm,
    VoidForm,
)
from .models import Customer
from .permissions import is_manager, may_act

# The source channel of a customer won at a campaign of this kind.
CAMPAIGN_SOURCES = {
    "trade_show": "trade_show",
    "academic": "academic",
    "online": "online",
    "phone": "phone",
}


def _form_page(request, title, form, customer=None, back=None, multipart=False):
    return render(
        request,
        "customers/form.html",
        {"title": title, "form": form, "customer": customer, "back": back, "multipart": multipart},
    )


# --- the customer list and the 360° page -------------------------------------------------


@permission_required("customers.view_customer")
def customer_list(request):
    today = local_today()
    form = CustomerFilterForm(
        request.GET or None,
        reps=selectors.reps_for(request.user),
        list_reps=not selectors.sees_everyone(request.user),
        viewer=request.user,
    )
    rows = selectors.customer_filter(
        selectors.customer_list_for_user(request.user), today=today, **form.filters()
    )
    page = paginate(request, selectors.customer_table(rows), 30)
    return render_page_or_partial(
        request,
        "customers/customer_list.html",
        "customers/_customer_table.html",
        {"page": page, "form": form, "today": today, "period": selectors.visit_period(today)},
    )


def customer_detail(request, customer_id: int):
    if not request.user.has_perm("customers.view_customer"):
        # Staff who reach a customer through its devices or contracts (an engineer,
        # legal) open its site card instead; anybody else is refused as before.
        if not access.has_site_access(request.user):
            raise PermissionDenied
        return redirect("customers:site", customer_id=customer_id)
    try:
        customer = selectors.customer_get_for_user(request.user, customer_id)
    except Http404:
        # Not one of the viewer's customers, but one they work with (a contract's rep
        # whose customer another rep owns): its site card, or 404 as before.
        access.customer_site_get(request.user, customer_id)
        return redirect("customers:site", customer_id=customer_id)
    today = local_today()
    context = selectors.customer_360(customer, today)
    context.update(
        {
            "customer": customer,
            "today": today,
            "period": selectors.visit_period(today),
            "is_manager": is_manager(request.user),
            "feedback_form": FeedbackForm(),
            "records": history.customer_records(customer, request.user),
        }
    )
    return render(request, "customers/customer_detail.html", context)


def customer_site(request, customer_id: int):
    """The site card: address and current contacts, read-only, no commercial data,
    for staff who work with the customer's devices or contracts (customers/access.py)."""
    customer = access.customer_site_get(request.user, customer_id)
    return render(
        request,
        "customers/site.html",
        {
            "customer": customer,
            "contacts": selectors.site_contacts(customer),
            "full_page": access.may_open_page(request.user)
            and selectors.customer_list_for_user(request.user).filter(pk=customer.pk).exists(),
        },
    )


@permission_required("customers.add_customer")
def customer_create(request):
    lead = None
    if request.GET.get("lead", "").isdigit():  # "create the customer" from a lead
        lead = selectors.lead_get_for_user(request.user, int(request.GET["lead"]))
    initial = (
        {"name": lead.organisation, "source": CAMPAIGN_SOURCES.get(lead.campaign.kind, "")}
        if lead
        else {}
    )
    form = CustomerForm(
        request.POST or None, reps=selectors.reps_for(request.user), initial=initial
    )
    if request.method == "POST":
        customer = form.instance

        def save():
            if not form.cleaned_data.get("owner"):
                customer.owner = request.user
            services.customer_save(actor=request.user, customer=customer)
            if lead is not None:
                services.lead_link(actor=request.user, lead=lead, customer=customer)

        if attempt(form, save):
            messages.success(request, _("Customer %(name)s recorded.") % {"name": customer})
            return redirect("customers:detail", customer_id=customer.pk)
    return _form_page(request, _("New customer"), form)


@permission_required("customers.change_customer")
def customer_edit(request, customer_id: int):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and attempt(
        form, lambda: services.customer_save(actor=request.user, customer=form.instance)
    ):
        messages.success(request, _("Saved."))
        return redirect("customers:detail", customer_id=customer.pk)
    return _form_page(request, _("Edit %(name)s") % {"name": customer}, form, customer)


@permission_required("customers.reassign_customer")
def customer_reassign(request, customer_id: int):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    form = ReassignForm(request.POST or None, reps=selectors.reps_for(request.user))
    if request.method == "POST" and attempt(
        form,
        lambda: services.customer_reassign(
            actor=request.user, customer=customer, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The customer has a new owning rep."))
        return redirect("customers:detail", customer_id=customer.pk)
    return _form_page(request, _("Reassign %(name)s") % {"name": customer}, form, customer)


# --- contacts and qualifications -------------------------------------------------------------


@permission_required("customers.add_contact")
def contact_edit(request, customer_id: int, contact_id: int | None = None):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    contact = (
        get_object_or_404(customer.contacts, pk=contact_id)
        if contact_id
        else customer.contacts.model(customer=customer)
    )
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and attempt(
        form, lambda: services.contact_save(actor=request.user, contact=form.instance)
    ):
        messages.success(request, _("Contact saved."))
        return redirect(f"{customer.get_absolute_url()}#contacts")
    return _form_page(request, _("Contact"), form, customer)


@permission_required("customers.add_qualification")
def qualification_edit(request, customer_id: int, qualification_id: int | None = None):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    qualification = (
        get_object_or_404(customer.qualifications.active(), pk=qualification_id)
        if qualification_id
        else customer.qualifications.model(customer=customer)
    )
    form = QualificationForm(request.POST or None, request.FILES or None, instance=qualification)
    if request.method == "POST" and attempt(
        form,
        lambda: services.qualification_save(
            actor=request.user,
            qualification=form.instance,
            reason=form.cleaned_data.get("reason", ""),
        ),
    ):
        messages.success(request, _("Qualification saved."))
        return redirect(f"{customer.get_absolute_url()}#qualifications")
    return _form_page(request, _("Qualification"), form, customer, multipart=True)


@permission_required("customers.change_qualification")
def qualification_void(request, customer_id: int, qualification_id: int):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    qualification = get_object_or_404(customer.qualifications.active(), pk=qualification_id)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and attempt(
        form,
        lambda: services.qualification_void(
            actor=request.user, qualification=qualification, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, _("The qualification was voided."))
        return redirect(f"{customer.get_absolute_url()}#qualifications")
    return _form_page(request, _("Void %(doc)s") % {"doc": qualification}, form, customer)


# --- activities, visits and feedback ---------------------------------------------------------


@permission_required("customers.add_activity")
def activity_create(request, customer_id: int):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    form = ActivityForm(
        request.POST or None,
        instance=customer.activities.model(customer=customer),
        plans=selectors.plans_for_user(request.user),
        initial={"occurred_on": local_today()},
    )
    if request.method == "POST" and attempt(
        form,
        lambda: services.activity_record(
            actor=request.user, activity=form.instance, today=local_today()
        ),
    ):
        messages.success(request, _("Activity recorded."))
        return redirect(f"{customer.get_absolute_url()}#activities")
    return _form_page(request, _("Record an activity"), form, customer)


@permission_required("customers.add_returnvisit")
def visit_create(request, customer_id: int):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    form = VisitForm(
        request.POST or None,
        instance=customer.visits.model(customer=customer),
        customer=customer,
        initial={"visited_on": local_today(), "method": "on_site"},
    )
    if request.method == "POST" and attempt(
        form,
        lambda: services.visit_record(
            actor=request.user,
            visit=form.instance,
            today=local_today(),
            flag_for_strategy=form.cleaned_data["flag_for_strategy"],
            feedback_category=form.cleaned_data["feedback_category"],
        ),
    ):
        messages.success(
            request,
            _("Return visit recorded; the next one is due by %(date)s.")
            % {"date": Customer.objects.get(pk=customer.pk).next_visit_due},
        )
        return redirect(f"{customer.get_absolute_url()}#visits")
    return _form_page(request, _("Record a return visit"), form, customer)


@permission_required("customers.view_returnvisit")
def visits_due(request):
    from .filters import VisitsDueFilterForm

    today = local_today()
    form = VisitsDueFilterForm(request.GET or None)
    rows = selectors.visits_due_for_user(request.user, today, **form.filters())
    page = paginate(request, rows, 50)
    by_rep = (
        selectors.visit_counts_by_rep(request.user, today) if is_manager(request.user) else None
    )
    return render(
        request,
        "customers/visits_due.html",
        {
            "page": page,
            "today": today,
            "period": selectors.visit_period(today),
            "by_rep": by_rep,
            "visits_chart": _visits_chart(by_rep) if by_rep else None,
            "form": form,
        },
    )


def _visits_chart(by_rep) -> dict:
    rows = list(reversed(by_rep))  # ECharts draws the first category at the bottom
    return charts.horizontal_bars(
        [r["owner__full_name"] or r["owner__username"] for r in rows],
        [
            {
                "name": str(_("due this period")),
                "color": charts.AMBER,
                "data": [r["due"] - r["overdue"] for r in rows],
            },
            {"name": str(_("overdue")), "color": charts.RED, "data": [r["overdue"] for r in rows]},
        ],
        stacked=True,
    )


@permission_required("customers.add_feedback")
def feedback_create(request, customer_id: int):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and attempt(
        form,
        lambda: services.feedback_raise(actor=request.user, customer=customer, **form.cleaned_data),
    ):
        messages.success(request, _("The feedback is on the strategy list."))
        return redirect(f"{customer.get_absolute_url()}#feedback")
    return _form_page(request, _("Feedback for the sales strategy"), form, customer)


@permission_required("customers.view_feedback")
def feedback_list(request):
    form = FeedbackFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if not request.GET:
        status = "open"
        form = FeedbackFilterForm(initial={"status": status})
    page = paginate(request, selectors.feedback_for_user(request.user, status), 30)
    return render(request, "customers/feedback_list.html", {"page": page, "form": form})


@permission_required("customers.view_feedback")
def feedback_detail(request, feedback_id: int):
    feedback = selectors.feedback_get_for_user(request.user, feedback_id)
    return _render_feedback(request, feedback)


def _render_feedback(request, feedback, bound=None):
    bound = bound or {}
    allowed = actions.feedback_actions_for(request.user, feedback)
    makers = {
        "act": lambda: FeedbackActForm(prefix="act"),
        "close": lambda: FeedbackCloseForm(prefix="close"),
    }
    forms = {
        name: bound.get(name) or make()
        for name, make in makers.items()
        if name in allowed or name in bound
    }
    return render(
        request,
        "customers/feedback_detail.html",
        {"feedback": feedback, "actions": allowed, "forms": forms},
    )


def _feedback_action(name: str, form_class, call):
    """The POST endpoint of one action on feedback: 403 up front when the role may
    not, the one service called; a refusal shows the page with the rule."""

    permission = actions.FEEDBACK_ACTIONS[name].permission

    @require_POST
    @permission_required("customers.change_feedback")
    def view(request, feedback_id: int):
        feedback = selectors.feedback_get_for_user(request.user, feedback_id)
        if not may_act(request.user, permission):
            raise PermissionDenied
        form = form_class(request.POST, prefix=name)
        if attempt(form, lambda: call(actor=request.user, feedback=feedback, **form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("customers:feedback_detail", feedback_id=feedback.pk)
        return _render_feedback(request, feedback, {name: form})

    view.__name__ = f"feedback_{name}"
    return view


feedback_act = _feedback_action("act", FeedbackActForm, services.feedback_act)
feedback_close = _feedback_action("close", FeedbackCloseForm, services.feedback_close)


# --- development plans -----------------------------------------------------------------------


@permission_required("customers.view_developmentplan")
def plan_list(request):
    plans = selectors.plans_for_user(request.user).order_by("-period_start", "name")
    page = paginate(request, plans, 30)
    return render(request, "customers/plan_list.html", {"page": page})


@permission_required("customers.view_developmentplan")
def plan_detail(request, plan_id: int):
    plan = selectors.plan_get_for_user(request.user, plan_id)
    result = selectors.plan_achievement(plan)
    return render(
        request,
        "customers/plan_detail.html",
        {
            "plan": plan,
            "result": result,
            "plan_chart": charts.percent_bars(
                [str(_("new customers")), str(_("contract amount (CNY)"))],
                [result["new_customer_percent"] or 0, result["amount_percent"] or 0],
            ),
            "campaigns": selectors.plan_campaigns(plan),
            "campaign_form": CampaignForm(),
        },
    )


@permission_required("customers.add_developmentplan")
def plan_edit(request, plan_id: int | None = None):
    plan = (
        selectors.plan_get_for_user(request.user, plan_id)
        if plan_id
        else selectors.plans_for_user(request.user).model()
    )
    reps = selectors.reps_for(request.user) or selectors.only_me(request.user)
    form = PlanForm(request.POST or None, instance=plan, reps=reps)
    if request.method == "POST":

        def save():
            regions = form.cleaned_data["target_regions"]
            services.plan_save(actor=request.user, plan=form.instance, regions=regions)

        if attempt(form, save):
            messages.success(request, _("Plan saved."))
            return redirect("customers:plan_detail", plan_id=form.instance.pk)
    return _form_page(request, _("Development plan"), form)


@permission_required("customers.add_campaign")
def campaign_create(request, plan_id: int):
    plan = selectors.plan_get_for_user(request.user, plan_id)
    form = CampaignForm(request.POST or None, instance=plan.campaigns.model(plan=plan))
    if request.method == "POST" and attempt(
        form, lambda: services.campaign_save(actor=request.user, campaign=form.instance)
    ):
        messages.success(request, _("Campaign recorded."))
        return redirect("customers:plan_detail", plan_id=plan.pk)
    return _form_page(request, _("Campaign"), form)


@permission_required("customers.add_lead")
def lead_create(request, plan_id: int, campaign_id: int):
    plan = selectors.plan_get_for_user(request.user, plan_id)
    campaign = get_object_or_404(plan.campaigns, pk=campaign_id)
    form = LeadForm(request.POST or None, instance=campaign.leads.model(campaign=campaign))
    if request.method == "POST" and attempt(
        form, lambda: services.lead_capture(actor=request.user, lead=form.instance)
    ):
        messages.success(request, _("Lead captured."))
        return redirect("customers:plan_detail", plan_id=plan.pk)
    return _form_page(request, _("Lead at %(campaign)s") % {"campaign": campaign}, form)


# --- Excel -----------------------------------------------------------------------------------


@permission_required("customers.view_customer")
def export_xlsx(request):
    form = CustomerFilterForm(request.GET or None, reps=selectors.reps_for(request.user))
    rows = selectors.customer_filter(
        selectors.customer_list_for_user(request.user), today=local_today(), **form.filters()
    )
    if request.GET.get("template"):
        rows = rows.none()  # the empty layout, for filling in and importing
    with_contacts = request.GET.get("contacts") == "1"
    content = excel.export_customers(rows, actor=request.user, with_contacts=with_contacts)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="customers-{local_today().isoformat()}.xlsx"'
    )
    return response


@permission_required("customers.import_customer")
def import_xlsx(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            count = excel.import_customers(form.cleaned_data["file"].read(), actor=request.user)
        except ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(request, _("Imported %(n)s customers.") % {"n": count})
            return redirect("customers:list")
    return render(request, "customers/import.html", {"form": form, "errors": errors})


@permission_required("customers.view_customer")
def qualification_file(request, customer_id: int, qualification_id: int):
    """A customer's licence scan, for those who may see the customer."""
    from django.shortcuts import get_object_or_404

    from mdss.core.files import serve

    customer = selectors.customer_get_for_user(request.user, customer_id)
    return serve(get_object_or_404(customer.qualifications, pk=qualification_id).file)
