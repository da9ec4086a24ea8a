"""Holds on a model, a lot or a serial that no document can lift (a recall).

catalog sits below the apps that decide holds (quality), so they register here from
their ``AppConfig.ready()`` and the gates ask here: the compliance gate refuses a
model held whole (contracts, quotes), a delivery refuses a held unit, and the stock
ledger refuses to take held stock anywhere but quarantine or the scrap. A hold is a
``Reason`` of the shared ``Decision`` type, so it is listed with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mdss.core.decisions import Reason

# fn(model_ids) -> {model_id: [Reason, …]} for models held whole.
_model_checks: list[Callable[[list[int]], dict[int, list[Reason]]]] = []
# fn(model_id, lot, serial) -> Reason | None for one unit or one lot of stock.
_unit_checks: list[Callable[[int, str, str], Reason | None]] = []


def register_model_hold(fn) -> None:
    if fn not in _model_checks:
        _model_checks.append(fn)


def register_unit_hold(fn) -> None:
    if fn not in _unit_checks:
        _unit_checks.append(fn)


def models_held(model_ids: Iterable[int]) -> dict[int, list[Reason]]:
    ids = list(model_ids)
    held: dict[int, list[Reason]] = {}
    for check in _model_checks:
        for model_id, reasons in check(ids).items():
            held.setdefault(model_id, []).extend(reasons)
    return held


def unit_held(model_id: int, lot: str = "", serial: str = "") -> Reason | None:
    for check in _unit_checks:
        reason = check(model_id, lot or "", serial or "")
        if reason is not None:
            return reason
    return None


def part_held(part, lot: str = "") -> Reason | None:
    """A spare part that is itself a registered device (its UDI-DI is a catalog
    model's) is held with that model's lot."""
    if not part.udi_di or not _unit_checks:
        return None
    from .models import UdiDeviceIdentifier

    model_id = (
        UdiDeviceIdentifier.objects.filter(di=part.udi_di)
        .values_list("model_id", flat=True)
        .first()
    )
    return unit_held(model_id, lot) if model_id else None
