"""What the service app does when requests miss deadlines (calendars' batch breach
hook, once after each sweep that marked some): each request's timeline records it,
and every dispatcher covering a request's province (every dispatcher when none
does) hears of it at once, so someone can step in while the sweep's ladder
escalates to the responsible person's superior and then management.

One message per dispatcher and sweep: a single request is named in the subject; a
backlog (the first sweep after downtime can mark thousands) is listed, the first
``DIGEST_LINES`` of it, in one message. The queries do not grow with the number of
breaches beyond one read and one insert of events per ``CHUNK`` requests."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

CHUNK = 200  # requests read and audited per statement
DIGEST_LINES = 50  # requests listed in one message; the rest are counted


def requests_missed_deadlines(breaches: list[tuple[int, object]]) -> None:
    from mdss.audit import services as audit

    from .models import ServiceRequest

    missed: list[tuple[ServiceRequest, object]] = []
    for start in range(0, len(breaches), CHUNK):
        chunk = breaches[start : start + CHUNK]
        found = (
            ServiceRequest.objects.only("id", "number", "symptom", "customer__province")
            .select_related("customer")
            .in_bulk([object_id for object_id, _clock in chunk])
        )
        # The chunk's events are written together, in one transaction of their own.
        with audit.batch():
            for object_id, clock in chunk:
                request = found.get(object_id)
                if request is None:
                    continue
                audit.record(
                    actor=None,
                    action="service.deadline_missed",
                    obj=request,
                    changes={"code": clock.code, "due_at": clock.due_at},
                )
                missed.append((request, clock))
    if missed:
        _tell_dispatchers(missed)


def _dispatchers_by_province() -> tuple[list, dict[int, set[int]]]:
    """Every active dispatcher, and who covers which province: a dispatcher's region
    is a province or a city in it (the region's parent)."""
    from mdss.accounts import roles
    from mdss.accounts.models import User

    dispatchers = list(
        User.objects.filter(groups__name=roles.SERVICE_MANAGER, is_active=True).distinct()
    )
    covering: dict[int, set[int]] = defaultdict(set)
    rows = User.regions.through.objects.filter(user__in=dispatchers).values_list(
        "user_id", "region_id", "region__parent_id"
    )
    for user_id, region_id, parent_id in rows:
        covering[region_id].add(user_id)
        if parent_id is not None:
            covering[parent_id].add(user_id)
    return dispatchers, covering


def _tell_dispatchers(missed: list[tuple[object, object]]) -> None:
    from mdss.notifications.services import notify_many

    dispatchers, covering = _dispatchers_by_province()
    everyone = {person.pk for person in dispatchers}
    told: dict[int, list[tuple[object, object]]] = defaultdict(list)
    for request, clock in missed:
        for person_id in covering.get(request.customer.province_id) or everyone:
            told[person_id].append((request, clock))
    for person in dispatchers:
        items = told.get(person.pk)
        if not items:
            continue
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            notify_many([person], kind="service.breach", **_message(items))


def _message(items: list[tuple[object, object]]) -> dict[str, str]:
    if len(items) == 1:
        [(request, clock)] = items
        return {
            "subject": _("%(no)s missed its deadline: %(target)s")
            % {"no": request.number, "target": clock.target.name},
            "body": request.symptom[:500],
            "link": f"/service/{request.pk}/",
        }
    lines = [f"• {request.number} — {clock.target.name}" for request, clock in items[:DIGEST_LINES]]
    if len(items) > DIGEST_LINES:
        lines.append(_("… and %(n)s more.") % {"n": len(items) - DIGEST_LINES})
    return {
        "subject": _("%(n)s service requests missed their deadlines") % {"n": len(items)},
        "body": "\n".join(lines),
        "link": "/service/",
    }
