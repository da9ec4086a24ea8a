"""The customers' own pages: their devices, their service requests, reporting a
fault, confirming the result and answering the survey. Each view starts from the
customer the login acts for (selectors.customer_for), so nothing of another
customer is reachable."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mdss.core.errors import InvalidTransition, attempt
from mdss.core.paging import paginate
from mdss.service import services
from mdss.service.choices import ConfirmationMethod
from mdss.service.permissions import portal_actions_for

from . import forms, selectors


def home(request):
    customer = selectors.customer_for(request.user)
    return render(
        request,
        "portal/home.html",
        {
            "customer": customer,
            "devices": list(selectors.devices(customer)[:200]),
            "page": paginate(request, selectors.requests(customer), 20),
            "complaints": list(selectors.complaints(customer)[:20]),
        },
    )


def device(request, device_id: int):
    customer = selectors.customer_for(request.user)
    unit = selectors.device(customer, device_id)
    return render(
        request,
        "portal/device.html",
        {"unit": unit, "page": paginate(request, selectors.requests(customer, device=unit), 20)},
    )


def request_new(request):
    from mdss.service.choices import Channel

    customer = selectors.customer_for(request.user)
    units = selectors.devices(customer)
    initial = {"reporter_name": request.user.display_name, "reporter_phone": request.user.phone}
    chosen = request.GET.get("device", "")
    if chosen.isdigit() and len(chosen) < 12:
        initial["device"] = int(chosen)
    form = forms.PortalRequestForm(
        request.POST if request.method == "POST" else None, units=units, initial=initial
    )
    created = {}

    def submit():
        data = form.cleaned_data
        created["it"] = services.request_create(
            actor=request.user,
            customer=customer,
            device=data["device"],
            channel=Channel.PORTAL,
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            symptom=data["symptom"],
            urgency=data["urgency"],
        )

    if request.method == "POST" and attempt(form, submit):
        messages.success(
            request,
            _("Request %(no)s received: our engineer will call you within 1 hour.")
            % {"no": created["it"].number},
        )
        return redirect("portal:request", created["it"].pk)
    return render(request, "portal/request_new.html", {"form": form})


def request_detail(request, request_id: int):
    customer = selectors.customer_for(request.user)
    it = selectors.request(customer, request_id)
    actions = portal_actions_for(request.user, it)
    bound = request.POST if request.method == "POST" else None
    which = request.POST.get("action") if bound else None
    confirm = forms.PortalConfirmForm(bound if which == "confirm" else None, prefix="confirm")
    survey = forms.SurveyForm(bound if which == "survey" else None, prefix="survey")
    calls = {
        "confirm": (
            confirm,
            lambda: services.request_confirm(
                actor=request.user,
                request=it,
                method=ConfirmationMethod.PORTAL,
                signer_name=request.user.display_name,
                **confirm.cleaned_data,
            ),
            _("Thank you: your answer is recorded and signed."),
        ),
        "survey": (
            survey,
            lambda: services.request_follow_up(
                actor=request.user,
                request=it,
                contacted_person=request.user.display_name,
                **survey.cleaned_data,
            ),
            _("Thank you for your feedback."),
        ),
    }
    if which in calls:
        if which not in actions:
            raise InvalidTransition()
        form, call, done = calls[which]
        if attempt(form, call):
            messages.success(request, done)
            return redirect("portal:request", it.pk)
    return render(
        request,
        "portal/request.html",
        {
            "it": it,
            "actions": actions,
            "confirm": confirm,
            "survey": survey,
            **selectors.request_detail(it),
        },
    )


def report_pdf(request, request_id: int):
    """The service report of one of the customer's own requests."""
    from mdss.core.pdf import pdf_response
    from mdss.service.documents import service_report_pdf

    it = selectors.request(selectors.customer_for(request.user), request_id)
    return pdf_response(service_report_pdf(it), f"{it.number}.pdf")


def complaint_new(request):
    """A complaint from the customer's own login: it is contacted within 2 hours."""
    from mdss.complaints import services as complaints
    from mdss.complaints.choices import Channel
    from mdss.complaints.forms import PortalComplaintForm

    customer = selectors.customer_for(request.user)
    initial = {
        "complainant_name": request.user.display_name,
        "complainant_phone": request.user.phone,
        "complainant_email": request.user.email,
    }
    form = PortalComplaintForm(
        request.POST if request.method == "POST" else None, customer=customer, initial=initial
    )
    created = {}

    def submit():
        created["it"] = complaints.complaint_create(
            actor=request.user, customer=customer, channel=Channel.PORTAL, **form.cleaned_data
        )

    if request.method == "POST" and attempt(form, submit):
        messages.success(
            request,
            _("Complaint %(no)s received: we will contact you within 2 hours.")
            % {"no": created["it"].number},
        )
        return redirect("portal:complaint", created["it"].pk)
    return render(request, "portal/complaint_new.html", {"form": form})


def complaint_detail(request, complaint_id: int):
    """The customer's complaint, our answer once given, and its rating."""
    from mdss.complaints import services as complaints
    from mdss.complaints.forms import RateForm
    from mdss.complaints.permissions import portal_actions_for as complaint_actions

    customer = selectors.customer_for(request.user)
    it = selectors.complaint(customer, complaint_id)
    actions = complaint_actions(request.user, it)
    form = RateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if "rate" not in actions:
            raise InvalidTransition()
        if attempt(
            form,
            lambda: complaints.complaint_rate(
                actor=request.user, complaint=it, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("portal:complaint", it.pk)
    return render(request, "portal/complaint.html", {"it": it, "actions": actions, "form": form})
