"""Stock levels (A10): computed for a warehouse from the last year of issues, or set
by hand (kept by later computations)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import ValidationFailed

from .. import levels
from ..choices import InventoryAction, MoveKind
from ..models import StockLevel, StockMove
from ..permissions import require_action


def levels_compute(
    *, actor, warehouse, today: date, lead_time_days: int = 14, service_level: float = 0.95
) -> int:
    """Recompute every level of ``warehouse`` from its issues in the year before
    ``today`` (issues to jobs and transfers out to vans both count as demand); levels
    set by hand stay. Returns how many levels were written."""
    require_action(actor, InventoryAction.ORDER)
    if not 0 <= lead_time_days <= 365:
        raise ValidationFailed.single("lead_time_days", "range", _("From 0 to 365 days."))
    if not 0.5 <= service_level < 1:
        raise ValidationFailed.single("service_level", "range", _("From 0.5 to 0.999."))
    since = today - timedelta(days=levels.HISTORY_DAYS)
    rows = (
        StockMove.objects.filter(
            kind__in=[MoveKind.ISSUE, MoveKind.TRANSFER],
            from_location__warehouse=warehouse,
            moved_at__date__gt=since,
            moved_at__date__lte=today,
        )
        .exclude(to_location__warehouse=warehouse)
        .annotate(day=TruncDate("moved_at"))
        .values("part_id", "day")
        .annotate(n=Sum("quantity"))
        .order_by()
    )
    demand: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        demand[row["part_id"]][(today - row["day"]).days] = row["n"]
    growth = _growth(list(demand), today)
    manual = set(
        StockLevel.objects.filter(warehouse=warehouse, set_by_hand=True).values_list(
            "part_id", flat=True
        )
    )
    computed = []
    for part_id, issues in demand.items():
        if part_id in manual:
            continue
        level = levels.compute_sparse(
            issues,
            lead_time_days=lead_time_days,
            service_level=service_level,
            factor=growth.get(part_id, 1.0),
        )
        computed.append(
            StockLevel(
                part_id=part_id,
                warehouse=warehouse,
                reorder_point=level.reorder_point,
                target_level=level.target_level,
                lead_time_days=lead_time_days,
                service_level=Decimal(str(service_level)).quantize(Decimal("0.001")),
                mean_daily=Decimal(level.mean_daily).quantize(Decimal("0.001")),
            )
        )
    with transaction.atomic():
        StockLevel.objects.bulk_create(
            computed,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["part", "warehouse"],
            update_fields=[
                "reorder_point",
                "target_level",
                "lead_time_days",
                "service_level",
                "mean_daily",
            ],
        )
        audit.record(
            actor=actor,
            action="inventory.levels_computed",
            obj=warehouse,
            changes={
                "levels": len(computed),
                "lead_time_days": lead_time_days,
                "service_level": service_level,
            },
        )
    return len(computed)


def _growth(part_ids: list[int], today: date) -> dict[int, float]:
    """Per part: how much the installed base of the models it fits grew over the year
    (devices.selectors.installed_base_growth), the largest of its models', bounded to
    0.5–2 so one new hospital does not double a part's stock. Two queries."""
    from mdss.devices.selectors import installed_base_growth

    from ..models import Part

    fits = Part.models_served.through.objects.filter(part_id__in=part_ids).values_list(
        "part_id", "productmodel_id"
    )
    fits = list(fits)
    by_model = installed_base_growth({model for _part, model in fits}, today)
    growth: dict[int, float] = {}
    for part_id, model_id in fits:
        if model_id in by_model:
            growth[part_id] = max(growth.get(part_id, 0.0), by_model[model_id])
    return {part: min(max(value, 0.5), 2.0) for part, value in growth.items()}


def level_set(*, actor, part, warehouse, reorder_point, target_level) -> StockLevel:
    """Set a level by hand (later computations keep it)."""
    require_action(actor, InventoryAction.ORDER)
    try:
        rop, target = int(reorder_point), int(target_level)
    except (TypeError, ValueError):
        rop, target = -1, -1
    if not 0 <= rop <= 1_000_000:
        raise ValidationFailed.single("reorder_point", "range", _("From 0 to 1,000,000."))
    if not rop <= target <= 1_000_000:
        raise ValidationFailed.single("target_level", "below", _("At least the reorder point."))
    with transaction.atomic():
        level, _created = StockLevel.objects.update_or_create(
            part=part,
            warehouse=warehouse,
            defaults={"reorder_point": rop, "target_level": target, "set_by_hand": True},
        )
        audit.record(
            actor=actor,
            action="inventory.level_set",
            obj=part,
            changes={"warehouse": warehouse.code, "reorder_point": rop, "target_level": target},
        )
    return level
