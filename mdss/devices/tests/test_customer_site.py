"""An engineer on a device's page reaches the customer's site card (address and
contacts, no commercial data) instead of a customer page that answers 403 (issue 15);
sales staff still reach the customer page."""

import re

import pytest

from mdss.customers.tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def customer_link(client, user, device) -> str:
    client.force_login(user)
    page = client.get(f"/devices/{device.pk}/").content.decode()
    return re.search(r'<a href="([^"]+)" data-testid="device-customer">', page).group(1)


def test_an_engineer_opens_the_customers_site_card_from_a_device(
    engineer, rep, device, hospital, client
):
    hospital.address = "解放路 88 号"
    hospital.credit_code = "12330000470051726K"
    hospital.save()
    ContactFactory(customer=hospital, name="设备科王工", mobile="13900001111", notes="关键决策人")
    ContactFactory(customer=hospital, name="已离职", is_active=False)
    url = customer_link(client, engineer, device)
    assert url == f"/customers/{hospital.pk}/site/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "解放路 88 号" in html and "设备科王工" in html and "13900001111" in html
    # No commercial data: no credit code, no notes, no former contacts, no owning rep.
    for hidden in ("12330000470051726K", "关键决策人", "已离职", rep.display_name):
        assert hidden not in html
    # The customer page itself sends the engineer to the site card.
    detail = client.get(f"/customers/{hospital.pk}/")
    assert detail.status_code == 302 and detail["Location"] == url


def test_the_rep_still_opens_the_customer_page(rep, device, hospital, client):
    assert customer_link(client, rep, device) == f"/customers/{hospital.pk}/"


def test_the_site_card_is_limited_to_customers_with_devices(
    engineer, trainer, device, other_rep, client
):
    elsewhere = CustomerFactory(owner=other_rep, name="没有设备的诊所")
    client.force_login(engineer)
    assert client.get(f"/customers/{elsewhere.pk}/site/").status_code == 404
    assert client.get(f"/customers/{elsewhere.pk}/").status_code == 302  # → then 404
    # A role that reaches customers neither through devices nor contracts: 403 as before.
    client.force_login(trainer)
    assert client.get(f"/customers/{device.customer_id}/site/").status_code == 403
    assert client.get(f"/customers/{device.customer_id}/").status_code == 403


def test_an_engineer_sees_a_delivery_without_a_link_to_the_contract(engineer, device):
    from datetime import date

    from mdss.devices import history
    from mdss.devices.selectors import device_history

    def delivered(unit):
        return [
            history.DeviceEvent(
                on=date(2026, 1, 5),
                kind="delivered",
                title="交付",
                url="/contracts/1/",
                permission="contracts.view_contract",
            )
        ]

    history.register_history_provider(delivered)
    try:
        (event,) = [e for e in device_history(device, viewer=engineer) if e.kind == "delivered"]
        assert event.url == ""
        (event,) = [e for e in device_history(device) if e.kind == "delivered"]
        assert event.url == "/contracts/1/"
    finally:
        history._providers.remove(delivered)
