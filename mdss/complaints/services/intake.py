"""Receiving a complaint (A13) through any channel, with its two clocks (A14):
contact within 2 hours and, until it is classified major, an answer within 24 hours,
both from the moment it was received."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_tz
from mdss.core.errors import FieldError
from mdss.core.numbers import next_number

from ..choices import ANSWER_CLOCK, CONTACT_CLOCK, Channel, Concerns
from ..choices import ComplaintAction as A
from ..models import Complaint, OriginalMessage
from ..permissions import require_action, require_portal
from .common import default_handler, may_handle, notify, now_or, raise_if, require_text

# A complaint is recorded within a week of arriving (a letter opened late), never
# ahead of time.
LATE_LOGGING = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=5)
CONTENT_MAX = 4000
SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]{3,}")


def _check_links(errors, customer, device, service_request, contract, person) -> None:
    """Everything the complaint concerns belongs to the complainant's organisation."""
    for name, linked, owner in (
        ("device", device, getattr(device, "customer_id", None)),
        ("service_request", service_request, getattr(service_request, "customer_id", None)),
        ("contract", contract, getattr(contract, "customer_id", None)),
    ):
        if linked is not None and customer is not None and owner != customer.pk:
            errors.append(
                FieldError(name, "other_customer", _("This belongs to another customer."))
            )
    from mdss.accounts import roles

    staff = [code for code, role in roles.ROLES.items() if role.is_staff_role]
    if person is not None and (not person.is_active or not person.has_role(*staff)):
        errors.append(
            FieldError("person", "not_staff", _("Name a member of the staff, or leave it empty."))
        )


def complaint_create(
    *,
    actor,
    channel: str,
    complainant_name: str,
    content: str,
    concerns: str = Concerns.OTHER,
    customer=None,
    complainant_org: str = "",
    complainant_phone: str = "",
    complainant_email: str = "",
    device=None,
    service_request=None,
    contract=None,
    person=None,
    received_at: datetime | None = None,
    now: datetime | None = None,
    original: dict | None = None,
) -> Complaint:
    """Record a complaint as received. The person recording it handles it when they
    may (quality, a manager); else the quality officer with the fewest running."""
    from mdss.calendars.services import clock_start

    if channel == Channel.PORTAL:
        require_portal(actor, customer)
    else:
        require_action(actor, A.CREATE)
    now = now_or(now)
    received_at = received_at or now
    if customer is None:
        customer = next(
            (x.customer for x in (device, service_request, contract) if x is not None), None
        )
    errors: list[FieldError] = []
    complainant_name = require_text(errors, "complainant_name", complainant_name)
    content = require_text(errors, "content", content, _("Write down the complaint as received."))
    complainant_phone = (complainant_phone or "").strip()
    complainant_email = (complainant_email or "").strip()
    if channel not in Channel.values:
        errors.append(FieldError("channel", "invalid_choice", _("Choose a channel.")))
    if concerns not in Concerns.values:
        errors.append(FieldError("concerns", "invalid_choice", _("Choose what it concerns.")))
    if complainant_email:
        try:
            validate_email(complainant_email)
        except ValidationError:
            errors.append(FieldError("complainant_email", "invalid", _("Enter a valid e-mail.")))
    if not (complainant_phone or complainant_email or channel == Channel.PORTAL):
        errors.append(
            FieldError(
                "complainant_phone",
                "no_way_back",
                _("Give a phone number or an e-mail: the complainant is contacted within 2 hours."),
            )
        )
    if received_at > now + CLOCK_SKEW:
        errors.append(FieldError("received_at", "future", _("This time has not come yet.")))
    elif received_at < now - LATE_LOGGING:
        errors.append(
            FieldError(
                "received_at",
                "too_old",
                _("A complaint is recorded within %(n)s days of arriving.")
                % {"n": LATE_LOGGING.days},
            )
        )
    _check_links(errors, customer, device, service_request, contract, person)
    raise_if(errors)
    if channel != Channel.PORTAL and may_handle(actor) and actor != person:
        handler = actor
    else:
        handler = default_handler()
    local_day = timezone.localtime(received_at, local_tz()).date()
    with transaction.atomic():
        complaint = Complaint.objects.create(
            number=next_number("TS", on=local_day),
            channel=channel,
            received_at=received_at,
            complainant_name=complainant_name,
            complainant_org=(complainant_org or getattr(customer, "name", ""))[:200],
            complainant_phone=complainant_phone,
            complainant_email=complainant_email,
            customer=customer,
            concerns=concerns,
            device=device,
            service_request=service_request,
            contract=contract,
            person=person,
            content=content,
            handler=handler,
            created_by=actor,
        )
        if original is not None:
            OriginalMessage.objects.create(complaint=complaint, received_at=received_at, **original)
        contact = clock_start(
            subject=complaint, code=CONTACT_CLOCK, responsible=handler, actor=actor, at=received_at
        )
        clock_start(
            subject=complaint, code=ANSWER_CLOCK, responsible=handler, actor=actor, at=received_at
        )
        complaint.due_at = contact.due_at
        complaint.save(update_fields=["due_at"])
        audit.record(
            actor=actor,
            action="complaint.created",
            obj=complaint,
            changes={
                "channel": channel,
                "received_at": received_at,
                "complainant": complainant_name,
                "customer": getattr(customer, "pk", None),
                "concerns": concerns,
                "device": getattr(device, "pk", None),
                "service_request": getattr(service_request, "pk", None),
                "contract": getattr(contract, "pk", None),
                "person": getattr(person, "pk", None),
                "content": content,
            },
        )
        if handler != actor:
            notify(
                handler,
                complaint,
                _("Complaint %(no)s: contact the complainant by %(due)s")
                % {
                    "no": complaint.number,
                    "due": timezone.localtime(contact.due_at, local_tz()).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                },
            )
    return complaint


def _sender_name(sender: str) -> tuple[str, str]:
    """("张三", "zhang@x.cn") from "张三 <zhang@x.cn>"; the address twice if no name."""
    match = re.match(r"\s*\"?([^\"<]*)\"?\s*<([^>]+)>", sender or "")
    if match:
        address = match.group(2).strip()
        return (match.group(1).strip() or address), address
    address = (sender or "").strip()
    return address, address


def complaint_from_email(
    *,
    actor,
    sender: str,
    subject: str = "",
    body: str = "",
    message_id: str = "",
    received_at: datetime | None = None,
) -> Complaint:
    """A complaint from one message to the complaint address (A13). The message is
    kept whole; the complaint's text is its first 4,000 characters. A sender who is
    a customer's contact links the customer (and a unit whose serial the text names);
    a sender nobody knows is still a complaint. The same Message-ID twice gives the
    first complaint back (the mail gateway retries)."""
    from mdss.customers.selectors import contact_for_email
    from mdss.devices.models import InstalledDevice

    require_action(actor, A.CREATE)
    message_id = (message_id or "").strip()[:300]
    if message_id:
        kept = OriginalMessage.objects.filter(message_id=message_id).select_related("complaint")
        if kept.exists():
            return kept.first().complaint
    name, address = _sender_name(sender)
    contact = contact_for_email(address)
    customer = contact.customer if contact else None
    text = f"{subject or ''}\n{body or ''}".strip()
    device = None
    if customer is not None:
        serials = list({t.upper() for t in SERIAL.findall(text)})[:50]
        device = InstalledDevice.objects.filter(customer=customer, serial__in=serials).first()
    return complaint_create(
        actor=actor,
        channel=Channel.EMAIL,
        complainant_name=(contact.name if contact else name)[:100],
        complainant_email=address[:254] if "@" in address else "",
        complainant_phone=(contact.mobile or contact.phone) if contact else "",
        customer=customer,
        device=device,
        concerns=Concerns.PRODUCT if device else Concerns.OTHER,
        content=text if len(text) <= CONTENT_MAX else text[: CONTENT_MAX - 1] + "…",
        received_at=received_at,
        original={
            "message_id": message_id,
            "sender": (sender or "")[:320],
            "subject": (subject or "")[:500],
            "body": body or "",
        },
    )
