"""Recalls (X5): record the manufacturer's recall, start it (the affected stock goes
to quarantine and is held, sales and deliveries of what it covers are refused, every
affected unit is listed), tell each affected customer and record the acknowledgement,
plan each unit's corrective action as a service request, and close it when every
customer has acknowledged and every unit's action is done."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.dates import local_today
from mdss.core.decisions import Reason
from mdss.core.errors import Conflict, FieldError, ValidationFailed
from mdss.core.numbers import next_number

from ..choices import RECALL_TRANSITIONS, NoticeChannel, RecallLevel
from ..choices import QualityAction as A
from ..choices import RecallStatus as S
from ..models import Recall, RecallDevice, RecallNotice
from ..permissions import RECALL_STATE_ACTIONS, require_role
from .common import bounded, locked, move, notify_role, now_or, raise_if, require_text

MAX_CODES = 1000
# A corrective action is done once its request is completed by the engineer.
DONE_REQUEST_STATUSES = ("completed", "confirmed", "followed_up", "closed")


def _locked(recall, actor, action, to=None):
    return locked(recall, actor, action, RECALL_STATE_ACTIONS, RECALL_TRANSITIONS, to)


def _codes(errors: list, name: str, values) -> list[str]:
    if isinstance(values, str):
        values = values.replace(",", "\n").replace("，", "\n").splitlines()
    codes = []
    for value in values or []:
        code = str(value).strip()
        if not code or code in codes:
            continue
        if len(code) > 100:
            errors.append(
                FieldError(
                    name, "max_length", _("%(c)s: at most 100 characters.") % {"c": code[:20]}
                )
            )
        codes.append(code)
    if len(codes) > MAX_CODES:
        errors.append(FieldError(name, "max_items", _("At most %(n)s.") % {"n": MAX_CODES}))
    return codes


def recall_create(
    *,
    actor,
    level: str,
    model,
    manufacturer_notice: str,
    notice_on: date,
    reason: str,
    action: str,
    lots=(),
    serials=(),
    today: date | None = None,
) -> Recall:
    """Record the manufacturer's recall as a draft (nothing is held until it starts).
    No lot and no serial: the whole model is recalled."""
    require_role(actor, A.RECALL_CREATE)
    today = today or local_today()
    errors: list[FieldError] = []
    if level not in RecallLevel.values:
        errors.append(FieldError("level", "invalid_choice", _("Choose level I, II or III.")))
    if model is None:
        errors.append(FieldError("model", "required", _("Which model is recalled?")))
    manufacturer_notice = require_text(
        errors, "manufacturer_notice", manufacturer_notice, max_length=100
    )
    reason = require_text(errors, "reason", reason, _("Why is it recalled?"))
    action = require_text(errors, "action", action, _("What is to be done to each unit?"), 2000)
    if notice_on is None:
        errors.append(FieldError("notice_on", "required", _("The notice's date.")))
    elif notice_on > today:
        errors.append(FieldError("notice_on", "future", _("This day has not come yet.")))
    lots, serials = _codes(errors, "lots", lots), _codes(errors, "serials", serials)
    raise_if(errors)
    with transaction.atomic():
        recall = Recall.objects.create(
            number=next_number("ZH", on=today),
            level=level,
            model=model,
            lots=lots,
            serials=serials,
            manufacturer_notice=manufacturer_notice,
            notice_on=notice_on,
            reason=reason,
            action=action,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="quality.recall_recorded",
            obj=recall,
            changes={
                "level": level,
                "model": model.pk,
                "lots": lots,
                "serials": serials,
                "notice": manufacturer_notice,
            },
        )
    return recall


def affected_devices(recall: Recall):
    """The installed units the recall covers (decommissioned ones included: the
    customer must still be told)."""
    from mdss.devices.models import InstalledDevice

    from ..selectors import unit_filter

    return InstalledDevice.objects.filter(
        unit_filter(model_ids=[recall.model_id], lots=recall.lots, serials=recall.serials)
    )


def affected_stock(recall: Recall):
    """Balances of the spare parts that are the recalled device (same UDI-DI), in the
    recalled lots or serials, outside quarantine."""
    from mdss.inventory.models import StockBalance

    from ..selectors import model_dis

    rows = StockBalance.objects.filter(
        part__udi_di__in=model_dis([recall.model_id]), quantity__gt=0
    ).select_related("part", "location__warehouse")
    if not recall.whole_model:
        rows = rows.filter(lot__in=[*recall.lots, *recall.serials])
    return rows


def _quarantine(location):
    from mdss.inventory.models import Location

    found = (
        Location.objects.filter(warehouse_id=location.warehouse_id, is_quarantine=True)
        .order_by("pk")
        .first()
    )
    if found is None:
        found = Location.objects.create(
            warehouse_id=location.warehouse_id,
            code="QRT",
            name=_("quarantine"),
            is_quarantine=True,
        )
    return found


def recall_activate(*, actor, recall: Recall, at: datetime | None = None) -> Recall:
    """Start the recall: quarantine the affected stock, list every affected unit, hold
    further sales and deliveries, and tell the managers whose customers are affected."""
    from mdss.inventory.choices import MoveKind
    from mdss.inventory.services.ledger import move as ledger_move

    require_role(actor, A.RECALL_ACTIVATE)
    at = now_or(at)
    with transaction.atomic():
        recall = _locked(recall, actor, A.RECALL_ACTIVATE, S.ACTIVE)
        move(recall, S.ACTIVE, activated_at=at)
        quarantined = 0
        for balance in affected_stock(recall).filter(location__is_quarantine=False):
            ledger_move(
                kind=MoveKind.TRANSFER,
                actor=actor,
                part=balance.part,
                quantity=balance.quantity,
                from_location=balance.location,
                to_location=_quarantine(balance.location),
                lot=balance.lot,
                reference=recall.number,
                note=_("held for recall %(no)s") % {"no": recall.number},
            )
            quarantined += balance.quantity
        devices = list(affected_devices(recall).values_list("pk", flat=True))
        RecallDevice.objects.bulk_create(
            [RecallDevice(recall=recall, device_id=pk) for pk in devices],
            ignore_conflicts=True,
        )
        audit.record(
            actor=actor,
            action="quality.recall_started",
            obj=recall,
            changes={"devices": len(devices), "stock_quarantined": quarantined},
        )
        for role in (roles.QUALITY, roles.SERVICE_MANAGER, roles.SALES_MANAGER):
            notify_role(
                role,
                _("Recall %(no)s (%(level)s) of %(model)s: %(n)s units to act on")
                % {
                    "no": recall.number,
                    "level": recall.get_level_display(),
                    "model": recall.model,
                    "n": len(devices),
                },
                recall.reason,
                f"/quality/recalls/{recall.pk}/",
                kind="quality.recall",
            )
    return recall


def recall_notice(
    *,
    actor,
    recall: Recall,
    customer,
    channel: str,
    sent_at: datetime,
    note: str = "",
    now: datetime | None = None,
) -> RecallNotice:
    """Record that an affected customer was told (once per customer)."""
    require_role(actor, A.RECALL_NOTICE)
    errors: list[FieldError] = []
    if channel not in NoticeChannel.values:
        errors.append(FieldError("channel", "invalid_choice", _("Choose how.")))
    if sent_at is None:
        errors.append(FieldError("sent_at", "required", _("When?")))
    elif sent_at > now_or(now):
        errors.append(FieldError("sent_at", "future", _("This time has not come yet.")))
    note = bounded(errors, "note", note, 300)
    raise_if(errors)
    with transaction.atomic():
        recall = _locked(recall, actor, A.RECALL_NOTICE)
        if not recall.devices.filter(device__customer=customer).exists():
            raise ValidationFailed.single(
                "customer", "not_affected", _("This customer has no unit the recall covers.")
            )
        if recall.notices.filter(customer=customer).exists():
            raise Conflict(_("This customer's notice is recorded already."))
        notice = RecallNotice.objects.create(
            recall=recall,
            customer=customer,
            channel=channel,
            sent_at=sent_at,
            note=note,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="quality.recall_notice_sent",
            obj=recall,
            changes={"customer": customer.pk, "channel": channel, "sent_at": sent_at},
        )
    return notice


def recall_acknowledge(
    *,
    actor,
    notice: RecallNotice,
    acknowledged_by: str,
    at: datetime | None = None,
) -> RecallNotice:
    require_role(actor, A.RECALL_ACK)
    errors: list[FieldError] = []
    acknowledged_by = require_text(
        errors, "acknowledged_by", acknowledged_by, _("Who acknowledged it?"), 100
    )
    raise_if(errors)
    at = now_or(at)
    with transaction.atomic():
        recall = _locked(notice.recall, actor, A.RECALL_ACK)
        notice = RecallNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.acknowledged_at is not None:
            raise Conflict(_("This notice is acknowledged already."))
        if at < notice.sent_at:
            raise ValidationFailed.single(
                "acknowledged_at", "before_sent", _("Acknowledged before it was sent?")
            )
        notice.acknowledged_at, notice.acknowledged_by = at, acknowledged_by
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(
            actor=actor,
            action="quality.recall_notice_acknowledged",
            obj=recall,
            changes={"customer": notice.customer_id, "by": acknowledged_by},
        )
    return notice


def recall_plan_action(
    *, actor, recall: Recall, due_on: date, devices=None, today: date | None = None
) -> list:
    """One service request of kind recall per affected unit that has none yet (or
    for ``devices`` only); level I recalls are urgent."""
    from mdss.service.services import recall_request_create

    require_role(actor, A.RECALL_ACTION)
    today = today or local_today()
    if due_on is None or due_on < today:
        raise ValidationFailed.single("due_on", "past", _("Choose a day from today on."))
    created = []
    with transaction.atomic():
        recall = _locked(recall, actor, A.RECALL_ACTION)
        rows = recall.devices.filter(service_request__isnull=True).select_related(
            "device__customer"
        )
        if devices is not None:
            rows = rows.filter(device__in=devices)
        for row in rows.select_for_update(of=("self",)):
            if row.device.status == "decommissioned":
                continue
            request = recall_request_create(
                actor=actor,
                device=row.device,
                recall_number=recall.number,
                action=recall.action,
                due_on=due_on,
                urgent=recall.level == RecallLevel.I,
            )
            row.service_request = request
            row.save(update_fields=["service_request"])
            created.append(request)
        audit.record(
            actor=actor,
            action="quality.recall_actions_planned",
            obj=recall,
            changes={"requests": [r.number for r in created], "due_on": due_on},
        )
    return created


def recall_progress(recall: Recall) -> dict:
    """Customers affected / told / acknowledged; units affected / planned / done."""
    from django.db.models import Count, Q

    devices = recall.devices.aggregate(
        total=Count("pk"),
        planned=Count("pk", filter=Q(service_request__isnull=False)),
        done=Count("pk", filter=Q(service_request__status__in=DONE_REQUEST_STATUSES)),
        retired=Count(
            "pk", filter=Q(device__status="decommissioned", service_request__isnull=True)
        ),
        customers=Count("device__customer", distinct=True),
    )
    notices = recall.notices.aggregate(
        sent=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False))
    )
    return {**devices, **notices}


def recall_close(*, actor, recall: Recall, note: str = "", at: datetime | None = None) -> Recall:
    """Close when every affected customer acknowledged and every unit in service had
    its corrective action done. Held stock stays in quarantine for the warehouse to
    return or scrap."""
    require_role(actor, A.RECALL_CLOSE)
    errors: list[FieldError] = []
    note = bounded(errors, "note", note, 2000)
    raise_if(errors)
    with transaction.atomic():
        recall = _locked(recall, actor, A.RECALL_CLOSE, S.CLOSED)
        progress = recall_progress(recall)
        missing = []
        if progress["acknowledged"] < progress["customers"]:
            missing.append(
                _("%(n)s of %(t)s customers acknowledged")
                % {"n": progress["acknowledged"], "t": progress["customers"]}
            )
        if progress["done"] + progress["retired"] < progress["total"]:
            missing.append(
                _("%(n)s of %(t)s units corrected")
                % {"n": progress["done"], "t": progress["total"] - progress["retired"]}
            )
        if missing:
            raise Conflict(_("The recall is not finished: %(m)s.") % {"m": "; ".join(missing)})
        move(recall, S.CLOSED, closed_at=now_or(at), close_note=note)
        audit.record(
            actor=actor,
            action="quality.recall_closed",
            obj=recall,
            changes={"note": note, **progress},
        )
    return recall


# The holds the gates ask for (catalog/holds.py), registered from apps.py.
def _reason(recall_number: str, level: str) -> Reason:
    return Reason(
        "recalled",
        _("recalled under %(no)s (%(level)s)")
        % {"no": recall_number, "level": RecallLevel(level).label},
    )


def model_holds(model_ids: list[int]) -> dict[int, list[Reason]]:
    held: dict[int, list[Reason]] = {}
    for model_id, number, level, lots, serials in Recall.objects.filter(
        model_id__in_list=model_ids, status=S.ACTIVE
    ).values_list("model_id", "number", "level", "lots", "serials"):
        if not lots and not serials:
            held.setdefault(model_id, []).append(_reason(number, level))
    return held


def unit_hold(model_id: int, lot: str, serial: str) -> Reason | None:
    for recall in Recall.objects.filter(model_id=model_id, status=S.ACTIVE).only(
        "number", "level", "lots", "serials"
    ):
        if recall.covers(lot, serial):
            return _reason(recall.number, recall.level)
    return None
