"""Requests that arrive by e-mail (A4, A13's "dedicated channels"): the mail gateway
posts each message to the API (``POST /api/v1/service/inbound-email``, with the
Message-ID as its Idempotency-Key so a retried delivery makes one request). The
sender's address finds the customer through its contacts; a serial number of one
of the customer's units in the text names the device. A sender nobody knows is
refused (422 on ``sender``) so the gateway hands the mail to the hotline. A mail
longer than a symptom's 2,000 characters is kept to its first 1,999 and "…" (the
gateway keeps the original)."""

from __future__ import annotations

import re
from datetime import datetime

from django.utils.translation import gettext as _

from mdss.core.errors import ValidationFailed
from mdss.customers.selectors import contact_for_email

from ..choices import Channel, Urgency
from ..choices import ServiceAction as A
from ..permissions import require_action
from .requests import request_create

URGENT_WORDS = ("紧急", "急", "停机", "urgent", "emergency")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]{3,}")


def request_from_email(
    *, actor, sender: str, subject: str, body: str, received_at: datetime | None = None
):
    """A service request from one inbound e-mail."""
    from mdss.devices.models import InstalledDevice

    require_action(actor, A.CREATE)
    contact = contact_for_email(sender)
    if contact is None:
        raise ValidationFailed.single(
            "sender",
            "unknown_sender",
            _("No customer contact has this e-mail address: pass the mail to the hotline."),
        )
    text = f"{subject or ''}\n{body or ''}".strip()
    tokens = {t.upper() for t in WORD.findall(text)}
    device = None
    if tokens:
        device = (
            InstalledDevice.objects.filter(customer=contact.customer, status="in_service")
            .filter(serial__in=list(tokens)[:50])
            .first()
        )
    urgent = any(word in text.lower() for word in URGENT_WORDS)
    return request_create(
        actor=actor,
        customer=contact.customer,
        device=device,
        channel=Channel.EMAIL,
        reporter_name=contact.name,
        reporter_phone=contact.mobile or contact.phone,
        symptom=text if len(text) <= 2000 else text[:1999] + "…",
        urgency=Urgency.HIGH if urgent else Urgency.NORMAL,
        reported_at=received_at,
    )
