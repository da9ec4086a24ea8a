"""A device's timeline, assembled from the apps that know something about it.

devices sits below contracts, service, complaints and quality (DESIGN.md: apps
depend downwards), so it cannot read their tables. Each registers a provider from
its ``AppConfig.ready()``::

    from mdss.devices.history import register_history_provider
    register_history_provider(device_deliveries)

A provider is ``fn(device) -> Iterable[DeviceEvent]``; it should cost a fixed number
of queries (the detail page's query count is tested). devices provides its own
events: registration, installation, transfers and decommissioning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DeviceEvent:
    on: date
    kind: str  # machine-readable: registered, delivered, installed, transferred, …
    title: str  # a translated sentence for a person
    reference: str = ""  # a document number (delivery note, service request, …)
    url: str = ""
    detail: str = ""
    source: str = "devices"  # the app that provided it
    permission: str = ""  # what a viewer needs to follow ``url`` (none: the unit's scope)


_providers: list[Callable[[object], Iterable[DeviceEvent]]] = []


def register_history_provider(fn: Callable[[object], Iterable[DeviceEvent]]) -> None:
    if fn not in _providers:
        _providers.append(fn)


def providers() -> list[Callable]:
    return [own_events, *_providers]


def device_history(device) -> list[DeviceEvent]:
    """Every provider's events for ``device``, oldest first (same day: in the order of
    the lifecycle, registration before delivery before installation)."""
    events: list[DeviceEvent] = []
    for provider in providers():
        events.extend(provider(device))
    order = {k: n for n, k in enumerate(KIND_ORDER)}
    return sorted(events, key=lambda e: (e.on, order.get(e.kind, len(order))))


KIND_ORDER = ["registered", "delivered", "installed", "transferred", "decommissioned"]


def own_events(device) -> list[DeviceEvent]:
    from django.utils import timezone

    from mdss.core.dates import local_tz

    from .choices import DeviceOrigin

    events = []
    if device.origin != DeviceOrigin.DELIVERED:
        events.append(
            DeviceEvent(
                on=timezone.localtime(device.created_at, local_tz()).date(),
                kind="registered",
                title=_("Registered: %(origin)s") % {"origin": device.get_origin_display()},
                detail=device.note,
            )
        )
    if device.installed_on:
        accepted = ""
        if device.accepted_by_customer:
            accepted = _("accepted by %(name)s on %(date)s") % {
                "name": device.accepted_by_customer,
                "date": device.accepted_on or device.installed_on,
            }
        events.append(
            DeviceEvent(
                on=device.installed_on,
                kind="installed",
                title=_("Installed by %(engineer)s")
                % {"engineer": getattr(device.installed_by, "display_name", "") or "—"},
                detail=accepted,
            )
        )
    for transfer in device.transfers.select_related("from_customer", "to_customer"):
        events.append(
            DeviceEvent(
                on=transfer.transferred_on,
                kind="transferred",
                title=_("Transferred from %(old)s to %(new)s")
                % {
                    "old": " · ".join(
                        filter(None, [transfer.from_customer.name, transfer.from_site])
                    ),
                    "new": " · ".join(filter(None, [transfer.to_customer.name, transfer.to_site])),
                },
                detail=transfer.reason,
            )
        )
    if device.decommissioned_on:
        events.append(
            DeviceEvent(
                on=device.decommissioned_on,
                kind="decommissioned",
                title=_("Decommissioned"),
                detail=device.decommission_reason,
            )
        )
    return events
