"""Preventive maintenance visits (预防性维护): every unit whose model has a plan gets a
PM request ahead of its due date (devices.pm), ready for the dispatcher. A PM request
carries its due date as its deadline (``due_at``, the end of that day) instead of the
policy's hotline clocks; once completed it follows the same path as a repair
(confirmation, follow-up within 3 working days), and the unit's last PM is recorded."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_tz
from mdss.core.numbers import next_number

from ..choices import ACTIVE_STATUSES, URGENCY_RANK, Channel, RequestKind, Urgency
from ..choices import RequestStatus as S
from ..models import ServiceRequest

HORIZON_DAYS = 30


def pm_requests_generate(*, today: date, horizon_days: int = HORIZON_DAYS) -> list[ServiceRequest]:
    """PM requests for the units due within ``horizon_days`` that have none open.
    Run daily by a periodic task; a second run the same day creates nothing."""
    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.devices.pm import pm_due
    from mdss.notifications.services import notify_many

    open_pm = ServiceRequest.objects.filter(
        kind=RequestKind.PM, status__in=ACTIVE_STATUSES
    ).values_list("device_id", flat=True)
    created = []
    now = timezone.now()
    with transaction.atomic():
        for due in pm_due(today, horizon_days, exclude_ids=set(open_pm)):
            device, plan = due.device, due.plan
            deadline = datetime.combine(due.due_on, time(23, 59, 59), tzinfo=local_tz())
            request = ServiceRequest.objects.create(
                number=next_number("FW", on=today),
                channel=Channel.PM,
                kind=RequestKind.PM,
                customer=device.customer,
                province_id=device.customer.province_id,
                device=device,
                reporter_name=_("Preventive maintenance plan"),
                symptom=_("Preventive maintenance every %(n)s months, due %(date)s:")
                % {"n": plan.interval_months, "date": due.due_on}
                + "\n"
                + "\n".join(f"□ {item}" for item in plan.items),
                urgency=Urgency.LOW,
                urgency_rank=URGENCY_RANK[Urgency.LOW],
                reported_at=now,
                status=S.TO_DISPATCH,
                due_at=deadline,
                under_warranty=bool(device.warranty_until and device.warranty_until >= today),
            )
            audit.record(
                actor=None,
                action="service.pm_planned",
                obj=request,
                changes={"device": device.pk, "plan": plan.pk, "due_on": due.due_on},
            )
            created.append(request)
        if created:
            notify_many(
                User.objects.filter(groups__name=roles.SERVICE_MANAGER, is_active=True),
                kind="service.pm",
                subject=_("%(n)s preventive maintenance visits to dispatch") % {"n": len(created)},
                body="\n".join(
                    f"{r.number} {r.customer.name} {r.due_at:%Y-%m-%d}" for r in created
                ),
                link="/service/board/",
            )
    return created
