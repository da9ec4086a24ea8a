"""Training pages: thin views over selectors (reads) and services (changes)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mdss.core.dates import local_today
from mdss.core.errors import attempt

from . import compliance, selectors, services
from .choices import Team
from .filters import AssessmentFilterForm
from .forms import (
    AttendanceForm,
    AuthorisationForm,
    CancelForm,
    CertificateForm,
    DecisionForm,
    ExternalForm,
    ProfileForm,
    ProofForm,
    ReimburseForm,
    RetrainingForm,
    ScheduleForm,
    ScoreForm,
    SessionForm,
    SkillForm,
)
from .models import Authorisation, Certificate, Skill, StaffProfile
from .permissions import keeps_records, team_of


def _form_page(request, title, form, back, multipart=False):
    return render(
        request,
        "training/form.html",
        {"title": title, "form": form, "back": back, "multipart": multipart},
    )


def _require_staff(request):
    if not request.user.has_role(*STAFF_ROLES) and not request.user.is_superuser:
        raise PermissionDenied


STAFF_ROLES = (
    "sales_rep",
    "sales_manager",
    "service_engineer",
    "service_manager",
    "trainer",
    "management",
)


def _record_page(request, person):
    today = local_today()
    context = selectors.record_of(person)
    for c in context["certificates"]:
        c.days_left = (c.valid_until - today).days if c.valid_until else None
    for a in context["authorisations"]:
        a.days_left = (a.valid_until - today).days
    context.update(
        {
            "person": person,
            "is_me": person == request.user,
            "may_keep": keeps_records(request.user)
            and person != request.user
            or request.user.is_superuser,
            "today": today,
        }
    )
    return render(request, "training/record.html", context)


def my_record(request):
    _require_staff(request)
    return _record_page(request, request.user)


def person_record(request, person_id: int):
    _require_staff(request)
    return _record_page(request, selectors.person_get_for_user(request.user, person_id))


def people(request):
    _require_staff(request)
    if not keeps_records(request.user):
        raise PermissionDenied
    page = Paginator(selectors.people_for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "training/people.html", {"page": page})


def profile_edit(request, person_id: int):
    _require_staff(request)
    person = selectors.person_get_for_user(request.user, person_id)
    profile = StaffProfile.objects.filter(user=person).first() or StaffProfile(
        user=person, team=team_of(person) or Team.SALES
    )
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and attempt(
        form, lambda: services.profile_save(actor=request.user, profile=form.instance)
    ):
        messages.success(request, _("Saved."))
        return redirect("training:person", person_id=person.pk)
    return _form_page(
        request, _("Profile of %(name)s") % {"name": person.display_name}, form, person
    )


def skill_add(request, person_id: int):
    _require_staff(request)
    person = selectors.person_get_for_user(request.user, person_id)
    form = SkillForm(request.POST or None, instance=Skill(user=person))
    if request.method == "POST" and attempt(
        form, lambda: services.skill_save(actor=request.user, skill=form.instance)
    ):
        messages.success(request, _("Saved."))
        return redirect("training:person", person_id=person.pk)
    return _form_page(request, _("Skill of %(name)s") % {"name": person.display_name}, form, person)


def certificate_edit(request, person_id: int, certificate_id: int | None = None):
    _require_staff(request)
    person = selectors.person_get_for_user(request.user, person_id)
    certificate = (
        get_object_or_404(Certificate.objects.active(), pk=certificate_id, user=person)
        if certificate_id
        else Certificate(user=person)
    )
    form = CertificateForm(request.POST or None, request.FILES or None, instance=certificate)
    if request.method == "POST" and attempt(
        form,
        lambda: services.certificate_save(
            actor=request.user,
            certificate=form.instance,
            reason=form.cleaned_data.get("reason", ""),
        ),
    ):
        messages.success(request, _("Certificate saved."))
        return redirect("training:person", person_id=person.pk)
    return _form_page(
        request, _("Certificate of %(name)s") % {"name": person.display_name}, form, person, True
    )


def authorisation_edit(request, person_id: int, authorisation_id: int | None = None):
    _require_staff(request)
    person = selectors.person_get_for_user(request.user, person_id)
    authorisation = (
        get_object_or_404(Authorisation.objects.active(), pk=authorisation_id, rep=person)
        if authorisation_id
        else Authorisation(rep=person)
    )
    form = AuthorisationForm(request.POST or None, request.FILES or None, instance=authorisation)
    if request.method == "POST" and attempt(
        form,
        lambda: services.authorisation_save(
            actor=request.user,
            authorisation=form.instance,
            models=form.cleaned_data["models_covered"],
            regions=form.cleaned_data["regions"],
            reason=form.cleaned_data.get("reason", ""),
        ),
    ):
        messages.success(request, _("Authorisation saved."))
        return redirect("training:person", person_id=person.pk)
    return _form_page(
        request,
        _("Written authorisation of %(name)s") % {"name": person.display_name},
        form,
        person,
        True,
    )


# --- compliance ------------------------------------------------------------------------------


def compliance_grid(request):
    _require_staff(request)
    if not keeps_records(request.user):
        raise PermissionDenied
    today = local_today()
    team = request.GET.get("team") if request.GET.get("team") in Team.values else Team.SALES
    asked = request.GET.get("year", "")
    # A year the grid can show: anything else (10000, ２０２６) falls back to this year.
    year = (
        int(asked)
        if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= 2100
        else today.year
    )
    return render(
        request,
        "training/compliance.html",
        {
            "rules": compliance.team_grid(team, year, today),
            "team": team,
            "teams": Team.choices,
            "year": year,
            "today": today,
        },
    )


# --- sessions -----------------------------------------------------------------------------


def session_list(request):
    _require_staff(request)
    today = local_today()
    page = Paginator(selectors.sessions_for_user(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/session_list.html",
        {
            "page": page,
            "upcoming": selectors.upcoming_sessions(today)[:20],
            "today": today,
            "may_keep": keeps_records(request.user),
        },
    )


def session_edit(request, session_id: int | None = None):
    _require_staff(request)
    if not keeps_records(request.user):
        raise PermissionDenied
    session = selectors.session_get(session_id) if session_id else None
    form = SessionForm(
        request.POST or None,
        request.FILES or None,
        instance=session,
        initial={"held_on": local_today()},
    )
    if request.method == "POST" and attempt(
        form,
        lambda: services.session_plan(
            actor=request.user, session=form.instance, models=form.cleaned_data["models_covered"]
        ),
    ):
        messages.success(request, _("Session saved."))
        return redirect("training:session", session_id=form.instance.pk)
    return _form_page(request, _("Training session"), form, None, True)


def session_detail(request, session_id: int):
    _require_staff(request)
    session = selectors.session_get(session_id)
    from .compliance import team_members

    members = list(team_members(session.team))
    attendance_form = AttendanceForm(
        request.POST if "hold" in request.POST else None, members=members, prefix="hold"
    )
    cancel_form = CancelForm(request.POST if "cancel" in request.POST else None, prefix="cancel")
    if request.method == "POST":
        if "hold" in request.POST:

            def hold():
                chosen = attendance_form.cleaned_data["present"]
                present = [attendance_form.members[pk] for pk in chosen]
                absent = [m for pk, m in attendance_form.members.items() if pk not in chosen]
                services.session_hold(
                    actor=request.user, session=session, present=present, absent=absent
                )

            done = attempt(attendance_form, hold)
        else:
            done = attempt(
                cancel_form,
                lambda: services.session_cancel(
                    actor=request.user, session=session, reason=cancel_form.cleaned_data["reason"]
                ),
            )
        if done:
            messages.success(request, _("Saved."))
            return redirect("training:session", session_id=session.pk)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "attendance": session.attendance.select_related("user").order_by(
                "-present", "user__full_name"
            ),
            "attendance_form": attendance_form,
            "cancel_form": cancel_form,
            "may_keep": keeps_records(request.user),
        },
    )


# --- assessments ----------------------------------------------------------------------------


def assessment_list(request):
    _require_staff(request)
    status = request.GET.get("status", "scheduled")
    filters = AssessmentFilterForm({**request.GET.dict(), "status": status}).filters()
    rows = selectors.assessments_for_user(request.user, filters["status"])
    if filters["user"]:
        rows = rows.filter(user_id=filters["user"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "training/assessment_list.html",
        {
            "page": page,
            "status": status,
            "retrainings": selectors.retrainings_for_user(request.user).filter(status="assigned"),
            "may_keep": keeps_records(request.user),
        },
    )


def assessment_schedule(request):
    _require_staff(request)
    if not keeps_records(request.user):
        raise PermissionDenied
    form = ScheduleForm(request.POST or None, people=selectors.people_for_user(request.user))
    if request.method == "POST" and attempt(
        form, lambda: services.assessment_schedule(actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("Assessment scheduled."))
        return redirect("training:assessments")
    return _form_page(request, _("Schedule an assessment"), form, None)


def assessment_detail(request, assessment_id: int):
    _require_staff(request)
    assessment = selectors.assessment_get_for_user(request.user, assessment_id)
    form = ScoreForm(request.POST or None, initial={"held_on": local_today()})
    if request.method == "POST" and attempt(
        form,
        lambda: services.assessment_record(
            actor=request.user, assessment=assessment, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Result recorded."))
        return redirect("training:assessments")
    chain = []
    step = assessment
    while step is not None:
        chain.append(step)
        step = step.follows
    return render(
        request,
        "training/assessment_detail.html",
        {
            "assessment": assessment,
            "form": form,
            "chain": chain[::-1],
            "may_keep": keeps_records(request.user),
        },
    )


def retraining_complete(request, retraining_id: int):
    _require_staff(request)
    retraining = get_object_or_404(selectors.retrainings_for_user(request.user), pk=retraining_id)
    form = RetrainingForm(request.POST or None, initial={"completed_on": local_today()})
    if request.method == "POST" and attempt(
        form,
        lambda: services.retraining_complete(
            actor=request.user, retraining=retraining, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Retraining recorded; the new assessment is scheduled."))
        return redirect("training:assessments")
    return _form_page(
        request, _("Retraining of %(name)s") % {"name": retraining.user.display_name}, form, None
    )


# --- external training ----------------------------------------------------------------------


def external_list(request):
    _require_staff(request)
    return render(
        request,
        "training/external_list.html",
        {
            "rows": selectors.external_for_user(request.user)[:100],
            "inbox": selectors.external_inbox(request.user),
        },
    )


def external_new(request):
    _require_staff(request)
    form = ExternalForm(request.POST or None)
    if request.method == "POST" and attempt(
        form,
        lambda: services.external_request(
            actor=request.user, request=form.instance, today=local_today()
        ),
    ):
        messages.success(request, _("Request sent to your superior."))
        return redirect("training:external_detail", external_id=form.instance.pk)
    return _form_page(request, _("External training request"), form, None)


def external_detail(request, external_id: int):
    _require_staff(request)
    item = selectors.external_get_for_user(request.user, external_id)
    forms = {
        "approve": DecisionForm(
            request.POST if "approve" in request.POST else None, prefix="approve"
        ),
        "reject": DecisionForm(request.POST if "reject" in request.POST else None, prefix="reject"),
        "attended": ProofForm(
            request.POST if "attended" in request.POST else None,
            request.FILES if "attended" in request.POST else None,
            prefix="attended",
        ),
        "reimburse": ReimburseForm(
            request.POST if "reimburse" in request.POST else None,
            prefix="reimburse",
            initial={"amount": item.cost, "on": local_today()},
        ),
    }
    calls = {
        "approve": lambda f: services.external_approve(
            actor=request.user, request=item, **f.cleaned_data
        ),
        "reject": lambda f: services.external_reject(
            actor=request.user, request=item, **f.cleaned_data
        ),
        "attended": lambda f: services.external_attended(
            actor=request.user, request=item, **f.cleaned_data
        ),
        "reimburse": lambda f: services.external_reimburse(
            actor=request.user, request=item, **f.cleaned_data
        ),
    }
    if request.method == "POST":
        action = next((a for a in calls if a in request.POST), None)
        if action and attempt(forms[action], lambda: calls[action](forms[action])):
            messages.success(request, _("Saved."))
            return redirect("training:external_detail", external_id=item.pk)
    return render(
        request,
        "training/external_detail.html",
        {
            "item": item,
            "forms": forms,
            "is_approver": item.requester.superior_id == request.user.pk
            or request.user.has_role("management"),
            "is_requester": item.requester_id == request.user.pk,
            "is_hr": request.user.has_role("trainer", "management"),
        },
    )


def session_materials(request, session_id: int):
    from mdss.core.files import serve

    _require_staff(request)
    return serve(selectors.session_get(session_id).materials)


def external_proof(request, external_id: int):
    from mdss.core.files import serve

    _require_staff(request)
    return serve(selectors.external_get_for_user(request.user, external_id).proof)
