"""The corrective action of a recall on one installed unit: a service request of kind
recall, ready for the dispatcher, due at the end of the day quality set. Once
completed it follows the repair's path (confirmation, follow-up)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_tz
from mdss.core.numbers import next_number

from ..choices import URGENCY_RANK, Channel, RequestKind, Urgency
from ..choices import RequestStatus as S
from ..models import ServiceRequest


def recall_request_create(
    *, actor, device, recall_number: str, action: str, due_on: date, urgent: bool = False
) -> ServiceRequest:
    """One request to carry out ``action`` on ``device`` for recall ``recall_number``.
    The caller (quality's recall service) has checked who may plan it."""
    now = timezone.now()
    urgency = Urgency.HIGH if urgent else Urgency.NORMAL
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            number=next_number("FW"),
            channel=Channel.RECALL,
            kind=RequestKind.RECALL,
            customer=device.customer,
            province_id=device.customer.province_id,
            device=device,
            reporter_name=_("Recall %(no)s") % {"no": recall_number},
            symptom=_("Recall %(no)s: %(action)s") % {"no": recall_number, "action": action},
            urgency=urgency,
            urgency_rank=URGENCY_RANK[urgency],
            reported_at=now,
            status=S.TO_DISPATCH,
            due_at=datetime.combine(due_on, time(23, 59, 59), tzinfo=local_tz()),
            under_warranty=bool(device.warranty_until and device.warranty_until >= now.date()),
        )
        audit.record(
            actor=actor,
            action="service.recall_planned",
            obj=request,
            changes={"device": device.pk, "recall": recall_number, "due_on": due_on},
        )
    return request
