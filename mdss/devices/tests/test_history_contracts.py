"""A unit delivered under a contract shows its delivery in the device's timeline."""

# The contracts app's fixtures (they replace this folder's hospital and monitor here).
from mdss.contracts.tests.conftest import (  # noqa: F401
    _contract_day,
    authorised,
    deliver,
    draft,
    hospital,
    monitor,
    region,
    signed,
)
from mdss.devices.history import device_history
from mdss.devices.models import InstalledDevice


def test_a_contract_delivery_shows_in_the_timeline(signed, rep, client, service_manager):  # noqa: F811
    delivery = deliver(signed, rep, 1, units=["SN-TL-1"])
    device = InstalledDevice.objects.get(serial="SN-TL-1")
    assert device.origin == "delivered"
    assert list(device.delivery_items.values_list("delivery", flat=True)) == [delivery.pk]
    events = device_history(device)
    assert [(e.kind, e.reference, e.source) for e in events] == [
        ("delivered", delivery.number, "contracts")
    ]
    assert events[0].url == f"/contracts/{signed.pk}/"
    client.force_login(service_manager)
    page = client.get(f"/devices/{device.pk}/").content.decode()
    assert delivery.number in page and signed.number in page
