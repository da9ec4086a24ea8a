"""Dispatch: the dispatcher gives the job to an engineer qualified for the device's
model (training's competence check; an override needs a reason and is recorded by
training). Before the visit is decided it assigns who contacts and guides; after,
it sends the engineer on site. Reassigning keeps every running clock and hands it
to the new engineer."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.dates import local_tz
from mdss.core.errors import ValidationFailed

from ..choices import CLOCKS
from ..choices import RequestStatus as S
from ..choices import ServiceAction as A
from ..models import ServiceRequest
from ..permissions import require_action
from .common import fresh, locked, move, now_or, track_due


def request_dispatch(
    *,
    actor,
    request: ServiceRequest,
    engineer,
    override_reason: str = "",
    at: datetime | None = None,
) -> ServiceRequest:
    from mdss.calendars.services import clock_reassign_for
    from mdss.training.selectors import is_qualified
    from mdss.training.services import competence_override

    require_action(actor, A.DISPATCH)
    request = fresh(request)
    at = now_or(at)
    if not (engineer.is_active and engineer.has_role(roles.SERVICE_ENGINEER)):
        raise ValidationFailed.single(
            "engineer", "not_engineer", _("Choose an active service engineer.")
        )
    override_reason = (override_reason or "").strip()
    on_date = timezone.localtime(at, local_tz()).date()
    model = request.device.model if request.device_id else None
    decision = is_qualified(engineer, model, on_date) if model is not None else None
    if decision is not None and not decision.ok and not override_reason:
        raise ValidationFailed(
            _("%(person)s is not qualified for %(model)s.")
            % {"person": engineer.display_name, "model": model},
            errors=decision.field_errors("engineer"),
        )
    on_site = request.status in (S.TO_DISPATCH, S.DISPATCHED)
    to = S.DISPATCHED if on_site else request.status
    with transaction.atomic():
        request = locked(request, to, actor, A.DISPATCH)
        before = request.engineer_id
        if decision is not None and not decision.ok:
            competence_override(
                actor=actor,
                engineer=engineer,
                model=model,
                valid_on=on_date,
                reason=override_reason,
            )
        fields = {"engineer": engineer}
        if on_site:
            fields["dispatched_at"] = at
            fields["dispatch_override"] = override_reason if decision and not decision.ok else ""
        move(request, to, **fields)
        for code in CLOCKS:
            clock_reassign_for(subject=request, code=code, responsible=engineer, actor=actor)
        track_due(request)
        audit.record(
            actor=actor,
            action="service.dispatched" if on_site else "service.assigned",
            obj=request,
            reason=override_reason,
            changes={"engineer": [before, engineer.pk], "on_site": on_site},
        )
        from mdss.notifications.services import notify

        subject = (
            _("Go on site: %(no)s, %(customer)s — arrive by %(due)s")
            if on_site
            else _("New job %(no)s, %(customer)s: contact the customer by %(due)s")
        )
        notify(
            recipient=engineer,
            kind="service.dispatch",
            subject=subject
            % {
                "no": request.number,
                "customer": request.customer.name,
                "due": timezone.localtime(request.due_at, local_tz()).strftime("%m-%d %H:%M")
                if request.due_at
                else "—",
            },
            body=request.symptom[:500],
            link=f"/service/{request.pk}/",
            webhook=True,
        )
    return request
