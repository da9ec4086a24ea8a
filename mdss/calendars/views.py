from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mdss.core.errors import ApplicationError, apply_to_form
from mdss.core.paging import paginate
from mdss.core.permissions import staff_role_required

from . import hooks, selectors, services
from .forms import CalendarDayForm, PolicyChangeForm, PublishYearForm


@staff_role_required
def calendar(request):
    today = selectors.local_today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    can_edit = request.user.is_superuser or request.user.has_perm("calendars.change_calendarday")
    day_form = (
        CalendarDayForm(request.POST or None, prefix="day")
        if "day-day" in request.POST
        else CalendarDayForm(prefix="day")
    )
    year_form = (
        PublishYearForm(request.POST or None, prefix="year")
        if "year-year" in request.POST
        else PublishYearForm(prefix="year", initial={"year": today.year + 1})
    )
    if request.method == "POST" and can_edit:
        form = day_form if "day-day" in request.POST else year_form
        if form.is_valid():
            try:
                if form is day_form:
                    services.calendar_day_set(
                        actor=request.user,
                        **{
                            "day": form.cleaned_data["day"],
                            "is_working_day": form.cleaned_data["is_working_day"],
                            "name": form.cleaned_data["name"],
                            "reason": form.cleaned_data["reason"],
                        },
                    )
                    messages.success(request, _("The calendar was changed."))
                    return redirect(f"{request.path}?year={form.cleaned_data['day'].year}")
                services.calendar_year_publish(
                    actor=request.user,
                    year=form.cleaned_data["year"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("The year was published."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
            except ApplicationError as exc:
                apply_to_form(form, exc)
    work = selectors.work_calendar()
    published = selectors.published_years()
    return render(
        request,
        "calendars/calendar.html",
        {
            "year": year,
            "days": selectors.calendar_days(year),
            "published": published,
            "is_published": year in published,
            "missing_next_year": selectors.calendar_missing_for(today),
            "working_day_count": work.working_days_between(
                date(year - 1, 12, 31), date(year, 12, 31)
            ),
            "can_edit": can_edit,
            "day_form": day_form,
            "year_form": year_form,
        },
    )


@staff_role_required
def policy(request):
    active = selectors.active_policy()
    can_change = request.user.is_superuser or request.user.has_role("management")
    form = PolicyChangeForm(request.POST or None, policy=active)
    if request.method == "POST" and can_change and form.is_valid():
        try:
            new = services.policy_change(
                actor=request.user,
                password=form.cleaned_data["password"],
                note=form.cleaned_data["note"],
                targets=form.target_changes(),
                cadences=form.cadence_changes(),
                business_hours=form.cleaned_data["business_hours"],
            )
        except ApplicationError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("Policy version %(n)s is now active.") % {"n": new.number})
            return redirect("calendars:policy")
    return render(
        request,
        "calendars/policy.html",
        {
            "active": active,
            "versions": selectors.policy_versions()[:20],
            "form": form,
            "can_change": can_change,
        },
    )


@staff_role_required
def clocks(request):
    """Open deadlines: mine and the ones escalated to me; managers see all."""
    from django.utils import timezone

    from .filters import ClockFilterForm

    form = ClockFilterForm(request.GET or None)
    values = form.values()
    overdue, mine, sort = bool(values["overdue"]), bool(values["mine"]), values["sort"] or ""
    rows = selectors.open_clocks_for(
        request.user, overdue_at=timezone.now() if overdue else None, mine=mine, sort=sort
    )
    page = paginate(request, rows, 30)
    # Each row links the record it measures, where the viewer may open it (hooks.py).
    urls = hooks.subject_urls(request.user, page.object_list)
    for clock in page.object_list:
        clock.subject_url = urls.get(clock.pk, "")
    return render(
        request,
        "calendars/clocks.html",
        {
            "page": page,
            "overdue": overdue,
            "mine": mine,
            "sort": f"&sort={sort}" if sort else "",
            "sees_all": selectors.sees_all_clocks(request.user),
        },
    )
