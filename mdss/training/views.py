"""Training pages: thin views over selectors (reads) and services (changes)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mdss.core.dates import local_today
from mdss.core.errors import attempt
from mdss.core.paging import paginate

from . import actions, compliance, selectors, services
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
from .permissions import keeps_records, may_act, team_of


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
    page = paginate(request, selectors.people_for_user(request.user), 50)
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
    rules = compliance.team_grid(team, year, today)
    named = {p.pk for rule in rules for cell in rule.cells for p in cell.missing}
    return render(
        request,
        "training/compliance.html",
        {
            "rules": rules,
            # A name links to the person's record only where the viewer may open it
            # (a service manager keeps the grid, not every salesperson's record).
            "openable": set(
                selectors.people_for_user(request.user)
                .filter(pk__in=named)
                .values_list("pk", flat=True)
            )
            if named
            else set(),
            "team": team,
            "teams": Team.choices,
            "year": year,
            "today": today,
        },
    )


# --- sessions -----------------------------------------------------------------------------


def session_list(request):
    _require_staff(request)
    from .filters import SessionFilterForm

    today = local_today()
    form = SessionFilterForm(request.GET or None)
    page = paginate(request, selectors.sessions_for_user(request.user, **form.filters()), 30)
    return render(
        request,
        "training/session_list.html",
        {
            "page": page,
            "form": form,
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


def _render_session(request, session, bound=None):
    from .compliance import team_members

    bound = bound or {}
    allowed = actions.session_actions_for(request.user, session)
    forms = {}
    if "hold" in allowed or "hold" in bound:
        forms["hold"] = bound.get("hold") or AttendanceForm(
            members=list(team_members(session.team)), prefix="hold"
        )
    if "cancel" in allowed or "cancel" in bound:
        forms["cancel"] = bound.get("cancel") or CancelForm(prefix="cancel")
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "attendance": session.attendance.select_related("user").order_by(
                "-present", "user__full_name"
            ),
            "actions": allowed,
            "forms": forms,
        },
    )


def session_detail(request, session_id: int):
    _require_staff(request)
    return _render_session(request, selectors.session_get(session_id))


def _training_action(actions_map, name, get, render_detail, make_form, call, detail_url):
    """The POST endpoint of one action on a training record: 403 up front when the
    role may not, the one service called; a refusal shows the page with the rule."""

    permission = actions_map[name].permission

    @require_POST
    def view(request, pk: int):
        _require_staff(request)
        obj = get(request, pk)
        if not may_act(request.user, permission):
            raise PermissionDenied
        form = make_form(request, obj)
        if attempt(form, lambda: call(request.user, obj, form)):
            messages.success(request, _("Saved."))
            return redirect(detail_url, pk)
        return render_detail(request, obj, {name: form})

    view.__name__ = name
    return view


def _session(request, pk):
    return selectors.session_get(pk)


def _attendance_form(request, session):
    from .compliance import team_members

    return AttendanceForm(request.POST, members=list(team_members(session.team)), prefix="hold")


def _hold(user, session, form):
    chosen = form.cleaned_data["present"]
    present = [form.members[pk] for pk in chosen]
    absent = [m for pk, m in form.members.items() if pk not in chosen]
    services.session_hold(actor=user, session=session, present=present, absent=absent)


session_hold = _training_action(
    actions.SESSION_ACTIONS,
    "hold",
    _session,
    _render_session,
    _attendance_form,
    _hold,
    "training:session",
)
session_cancel = _training_action(
    actions.SESSION_ACTIONS,
    "cancel",
    _session,
    _render_session,
    lambda request, session: CancelForm(request.POST, prefix="cancel"),
    lambda user, session, form: services.session_cancel(
        actor=user, session=session, reason=form.cleaned_data["reason"]
    ),
    "training:session",
)


# --- assessments ----------------------------------------------------------------------------


def assessment_list(request):
    _require_staff(request)
    status = request.GET.get("status", "scheduled")
    filters = AssessmentFilterForm({**request.GET.dict(), "status": status}).filters()
    rows = selectors.assessments_for_user(request.user, filters["status"])
    if filters["user"]:
        rows = rows.filter(user_id=filters["user"])
    page = paginate(request, rows, 50)
    return render(
        request,
        "training/assessment_list.html",
        {
            "page": page,
            "status": status,
            "today": local_today(),
            "retrainings": selectors.retrainings_for_user(request.user).filter(status="assigned"),
            # The names link to the completion form only for those who record it.
            "may_complete_retraining": may_act(
                request.user, actions.RETRAINING_ACTIONS["complete"].permission
            ),
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


def _render_assessment(request, assessment, bound=None):
    bound = bound or {}
    allowed = actions.assessment_actions_for(request.user, assessment)
    forms = {}
    if "record" in allowed or "record" in bound:
        forms["record"] = bound.get("record") or ScoreForm(
            prefix="record", initial={"held_on": local_today()}
        )
    chain = []
    step = assessment
    while step is not None:
        chain.append(step)
        step = step.follows
    return render(
        request,
        "training/assessment_detail.html",
        {"assessment": assessment, "actions": allowed, "forms": forms, "chain": chain[::-1]},
    )


def assessment_detail(request, assessment_id: int):
    _require_staff(request)
    assessment = selectors.assessment_get_for_user(request.user, assessment_id)
    return _render_assessment(request, assessment)


assessment_record = _training_action(
    actions.ASSESSMENT_ACTIONS,
    "record",
    lambda request, pk: selectors.assessment_get_for_user(request.user, pk),
    _render_assessment,
    lambda request, assessment: ScoreForm(request.POST, prefix="record"),
    lambda user, assessment, form: services.assessment_record(
        actor=user, assessment=assessment, **form.cleaned_data
    ),
    "training:assessment",
)


def retraining_complete(request, retraining_id: int):
    _require_staff(request)
    retraining = get_object_or_404(selectors.retrainings_for_user(request.user), pk=retraining_id)
    if not may_act(request.user, actions.RETRAINING_ACTIONS["complete"].permission):
        raise PermissionDenied
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


def _render_external(request, item, bound=None):
    bound = bound or {}
    allowed = actions.external_actions_for(request.user, item)
    makers = {
        "approve": lambda: DecisionForm(prefix="approve"),
        "reject": lambda: DecisionForm(prefix="reject"),
        "attended": lambda: ProofForm(prefix="attended"),
        "reimburse": lambda: ReimburseForm(
            prefix="reimburse", initial={"amount": item.cost, "on": local_today()}
        ),
    }
    forms = {
        name: bound.get(name) or make()
        for name, make in makers.items()
        if name in allowed or name in bound
    }
    return render(
        request,
        "training/external_detail.html",
        {"item": item, "actions": allowed, "forms": forms},
    )


def external_detail(request, external_id: int):
    _require_staff(request)
    item = selectors.external_get_for_user(request.user, external_id)
    return _render_external(request, item)


def _external_action(name, form_class, call):
    return _training_action(
        actions.EXTERNAL_ACTIONS,
        name,
        lambda request, pk: selectors.external_get_for_user(request.user, pk),
        _render_external,
        lambda request, item: form_class(request.POST, request.FILES, prefix=name),
        lambda user, item, form: call(actor=user, request=item, **form.cleaned_data),
        "training:external_detail",
    )


external_approve = _external_action("approve", DecisionForm, services.external_approve)
external_reject = _external_action("reject", DecisionForm, services.external_reject)
external_attended = _external_action("attended", ProofForm, services.external_attended)
external_reimburse = _external_action("reimburse", ReimburseForm, services.external_reimburse)


def session_materials(request, session_id: int):
    from mdss.core.files import serve

    _require_staff(request)
    return serve(selectors.session_get(session_id).materials)


def external_proof(request, external_id: int):
    from mdss.core.files import serve

    _require_staff(request)
    return serve(selectors.external_get_for_user(request.user, external_id).proof)
