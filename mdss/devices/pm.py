"""Preventive maintenance (预防性维护): plans per model and when each unit is due.

A unit's next PM is due a plan's interval after its last PM (recorded by service when
a PM visit is completed), else after its installation or delivery. Service turns the
units due soon into PM requests (service/services/pm.py)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed

from .choices import DeviceAction, DeviceStatus
from .models import InstalledDevice, PmPlan
from .permissions import may_act

MAX_INTERVAL = 60


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def pm_plan_save(*, actor, model, interval_months, checklist: str) -> PmPlan:
    """A model's plan; an earlier one is kept, deactivated (the PMs done under it
    still show what they followed)."""
    if not may_act(actor, DeviceAction.PM_PLAN):
        raise PermissionDenied(_("The service manager keeps preventive maintenance plans."))
    errors = []
    if not isinstance(interval_months, int) or not 1 <= interval_months <= MAX_INTERVAL:
        errors.append(
            FieldError(
                "interval_months", "range", _("From 1 to %(n)s months.") % {"n": MAX_INTERVAL}
            )
        )
    checklist = (checklist or "").strip()
    if not checklist:
        errors.append(FieldError("checklist", "required", _("List what is checked.")))
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        previous = PmPlan.objects.select_for_update().filter(model=model, is_active=True).first()
        if previous is not None:
            previous.is_active = False
            previous.save(update_fields=["is_active", "updated_at"])
        plan = PmPlan.objects.create(
            model=model, interval_months=interval_months, checklist=checklist, created_by=actor
        )
        audit.record(
            actor=actor,
            action="devices.pm_plan_saved",
            obj=plan,
            changes={
                "model": model.pk,
                "interval_months": interval_months,
                "replaces": getattr(previous, "pk", None),
            },
        )
    return plan


def device_pm_done(*, actor, device: InstalledDevice, on: date) -> None:
    """Record the unit's preventive maintenance on ``on`` (service calls this when a
    PM visit is completed); the next one is due an interval later."""
    from mdss.accounts import roles

    if not (actor.is_superuser or actor.has_role(roles.SERVICE_ENGINEER, roles.SERVICE_MANAGER)):
        raise PermissionDenied(_("Service records preventive maintenance."))
    with transaction.atomic():
        unit = InstalledDevice.objects.select_for_update().get(pk=device.pk)
        before = unit.last_pm_on
        if before is None or on > before:
            unit.last_pm_on = on
            unit.save(update_fields=["last_pm_on", "updated_at"])
            audit.record(
                actor=actor,
                action="devices.pm_done",
                obj=unit,
                changes={"last_pm_on": [before, on]},
            )


def active_plans():
    return PmPlan.objects.filter(is_active=True).select_related("model__product")


@dataclass(frozen=True)
class PmDue:
    device: InstalledDevice
    plan: PmPlan
    due_on: date


def next_pm_due(device: InstalledDevice, plan: PmPlan) -> date:
    base = device.last_pm_on or device.installed_on or device.delivered_on
    if base is None:
        base = device.created_at.date()
    return add_months(base, plan.interval_months)


def pm_due(today: date, horizon_days: int = 30, *, exclude_ids=()) -> list[PmDue]:
    """Units in service whose next PM falls within ``horizon_days`` (or is past), by
    due date; ``exclude_ids``: units that already have an open PM request."""
    plans = {p.model_id: p for p in active_plans()}
    if not plans:
        return []
    until = today + timedelta(days=horizon_days)
    units = (
        InstalledDevice.objects.filter(status=DeviceStatus.IN_SERVICE, model_id__in=list(plans))
        .exclude(pk__in=list(exclude_ids))
        .select_related("customer", "model__product")
    )
    due = [PmDue(u, plans[u.model_id], next_pm_due(u, plans[u.model_id])) for u in units]
    return sorted((d for d in due if d.due_on <= until), key=lambda d: (d.due_on, d.device.pk))
