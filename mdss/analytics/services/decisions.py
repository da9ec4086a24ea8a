"""Management's decision on a growing or declining province (D2), kept as a record
with an audit event; a later decision for the same province and period is the one
in force, the earlier ones stay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import ValidationFailed

from ..choices import RegionAction, RegionTrend
from ..models import RegionDecision
from ..permissions import require

NOTE_MAX = 2000


def region_decide(
    *,
    actor,
    province,
    period_start: date,
    period_end: date,
    change: Decimal,
    action: str,
    note: str,
) -> RegionDecision:
    require(actor, "decide")
    note = (note or "").strip()
    if action not in RegionAction.values:
        raise ValidationFailed.single("action", "choice", _("Choose invest, analyse or keep."))
    if not note:
        raise ValidationFailed.single("note", "required", _("Say why and what happens next."))
    if len(note) > NOTE_MAX:
        raise ValidationFailed.single(
            "note", "max_length", _("At most %(n)d characters.") % {"n": NOTE_MAX}
        )
    if period_end < period_start:
        raise ValidationFailed.single("period_end", "order", _("The period ends before it starts."))
    if province is None or province.parent_id is not None:
        raise ValidationFailed.single("province", "province", _("Choose a province."))
    trend = RegionTrend.GROWING if change >= 0 else RegionTrend.DECLINING
    with transaction.atomic():
        decision = RegionDecision.objects.create(
            province=province,
            period_start=period_start,
            period_end=period_end,
            trend=trend,
            change=change,
            action=action,
            note=note,
            decided_by=actor,
        )
        audit.record(
            actor=actor,
            action="analytics.region_decided",
            obj=decision,
            changes={"action": action, "change": change, "note": note},
        )
    return decision
