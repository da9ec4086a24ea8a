"""The timeline registry: devices' own events, and providers registered by the apps
above it (contracts registers its deliveries from ContractsConfig.ready)."""

import ast
from datetime import date
from pathlib import Path

from mdss.devices import history
from mdss.devices.history import DeviceEvent, device_history, register_history_provider

from .conftest import TODAY


def test_a_registered_device_has_no_contract_in_its_timeline(device):
    events = device_history(device)
    assert [e.kind for e in events] == ["registered"]
    assert all(e.source == "devices" for e in events)
    assert not device.delivery_items.exists()


def test_providers_are_merged_by_date(device, monkeypatch):
    monkeypatch.setattr(history, "_providers", list(history._providers))

    def visits(d):
        return [DeviceEvent(on=date(2025, 1, 1), kind="service", title="repair", source="service")]

    register_history_provider(visits)
    register_history_provider(visits)  # once only
    events = device_history(device)
    assert [(e.on, e.kind) for e in events] == [
        (date(2025, 1, 1), "service"),
        (TODAY, "registered"),
    ]


def test_contracts_registered_their_provider():
    from mdss.contracts.selectors import device_deliveries

    assert device_deliveries in history.providers()


def test_devices_imports_nothing_from_the_apps_above_it():
    """devices is a foundation: contracts, service, complaints… register into it."""
    root = Path(__file__).resolve().parents[1]
    above = ("mdss.contracts", "mdss.pricing")
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            assert not [n for n in names if n.startswith(above)], (path, names)
