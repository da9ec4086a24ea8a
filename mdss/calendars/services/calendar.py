"""The work calendar: statutory years, days set by hand, publication, the alert."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import (
    Conflict,
    PermissionDenied,
    ValidationFailed,
)
from mdss.notifications.services import notify

from .. import reference, selectors
from ..models import (
    CalendarDay,
    CalendarRevision,
    CalendarYear,
)


def _bump_revision() -> None:
    CalendarRevision.objects.get_or_create(pk=1)
    CalendarRevision.objects.filter(pk=1).update(value=F("value") + 1)


def calendar_load_statutory() -> int:
    """Publish every year the chinese-calendar package knows and we do not yet."""
    with transaction.atomic():
        added = reference.load_statutory(CalendarYear, CalendarDay, CalendarRevision)
        if added:
            audit.record(
                actor=None, action="calendar.statutory_loaded", changes={"years_added": added}
            )
    return added


def _require_calendar_admin(actor) -> None:
    if not (actor.is_superuser or actor.has_perm("calendars.change_calendarday")):
        raise PermissionDenied(_("Only calendar administrators can change the work calendar."))


def calendar_day_set(
    *, actor, day: date, is_working_day: bool, name: str, reason: str
) -> CalendarDay:
    """Mark a day as a holiday or a make-up working day (an announced change, usually)."""
    _require_calendar_admin(actor)
    if not reason.strip():
        raise ValidationFailed.single(
            "reason", "required", _("Say why the calendar changes (e.g. the notice).")
        )
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = audit.snapshot(row, ["is_working_day", "name"]) if row else {}
        if row is None:
            row = CalendarDay(date=day, source="manual")
        row.is_working_day = is_working_day
        row.name = name.strip()
        row.source = "manual"
        row.save()
        _bump_revision()
        audit.record(
            actor=actor,
            action="calendar.day_set",
            obj=row,
            reason=reason,
            changes=audit.diff(before, audit.snapshot(row, ["is_working_day", "name"])),
        )
    return row


def calendar_day_clear(*, actor, day: date, reason: str) -> None:
    """Return a day to the Monday–Friday default."""
    _require_calendar_admin(actor)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            return
        before = audit.snapshot(row, ["date", "is_working_day", "name"])
        audit.record(
            actor=actor, action="calendar.day_cleared", obj=row, reason=reason, changes=before
        )
        row.delete()
        _bump_revision()


def calendar_year_publish(*, actor, year: int, note: str = "") -> CalendarYear:
    """Declare a year's holidays complete: its deadlines stop being provisional."""
    _require_calendar_admin(actor)
    if not 2000 <= year <= 2100:
        raise ValidationFailed.single("year", "range", _("The year must be between 2000 and 2100."))
    with transaction.atomic():
        published, created = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": "manual", "note": note}
        )
        if not created:
            raise Conflict(_("The calendar of %(year)s is already published.") % {"year": year})
        _bump_revision()
        audit.record(actor=actor, action="calendar.year_published", obj=published, reason=note)
    return published


def calendar_missing_alert(*, today: date | None = None) -> bool:
    """From 1 November, tell administrators (daily) that next year's calendar is missing."""
    from mdss.accounts.models import User

    today = today or selectors.local_today()
    year = selectors.calendar_missing_for(today)
    if year is None:
        return False
    with transaction.atomic():
        for admin in User.objects.filter(is_superuser=True, is_active=True):
            notify(
                recipient=admin,
                kind="calendar.missing",
                subject=_("The work calendar of %(year)s is missing") % {"year": year},
                body=_(
                    "Deadlines in %(year)s fall back to Monday–Friday and are marked provisional. "
                    "Enter the State Council's holidays and make-up days, then publish the year."
                )
                % {"year": year},
                link="/calendars/",
                dedupe_key=f"calendar-missing-{year}-{admin.pk}-{today.isoformat()}",
            )
    return True


# --- policy ----------------------------------------------------------------------------
