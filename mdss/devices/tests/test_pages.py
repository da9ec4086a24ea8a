from datetime import date

import pytest

from mdss.core.testing import assert_fixed_queries
from mdss.devices import services
from mdss.devices.models import DeviceTransfer, InstalledDevice

from .conftest import TODAY, register
from .test_import import row, workbook


def _more(service_manager, hospital, monitor, clinic, n=5):
    """Rows that would cost more queries on a page that does one per row."""
    start = InstalledDevice.objects.count()
    for i in range(n):
        device = register(service_manager, hospital, monitor, serial=f"MORE-{start + i}")
        services.device_installation_record(
            actor=service_manager,
            device=device,
            installed_on=TODAY,
            engineer=service_manager,
            accepted_by_customer="x",
            today=TODAY,
        )
        services.device_transfer(
            actor=service_manager,
            device=device,
            to_customer=clinic,
            transferred_on=TODAY,
            reason="r",
            today=TODAY,
        )


def test_the_list_and_the_detail_cost_a_fixed_number_of_queries(
    client, service_manager, device, hospital, monitor, clinic
):
    client.force_login(service_manager)

    def grow():
        _more(service_manager, hospital, monitor, clinic)
        for n in range(3):
            services.device_transfer(
                actor=service_manager,
                device=device,
                to_site=f"room {n}",
                transferred_on=TODAY,
                reason="r",
                today=TODAY,
            )

    assert_fixed_queries(
        client,
        ["/devices/", "/devices/?status=in_service&origin=taken_over", f"/devices/{device.pk}/"],
        grow,
    )


def test_the_list_filters_by_status_origin_customer_and_model(
    client, service_manager, device, hospital, monitor, clinic
):
    loaner = register(service_manager, clinic, monitor, serial="LOAN-1", origin="loaner")
    client.force_login(service_manager)
    page = client.get("/devices/?origin=loaner").content.decode()
    assert "LOAN-1" in page and device.serial not in page
    page = client.get(f"/devices/?customer={hospital.pk}").content.decode()
    assert device.serial in page and "LOAN-1" not in page
    services.device_decommission(
        actor=service_manager, device=loaner, decommissioned_on=TODAY, reason="lost", today=TODAY
    )
    page = client.get("/devices/?status=decommissioned").content.decode()
    assert "LOAN-1" in page and device.serial not in page
    assert device.serial in client.get(f"/devices/?model={monitor.pk}").content.decode()
    assert client.get("/devices/?model=999999&status=bogus").status_code == 200


@pytest.mark.parametrize(
    "persona, buttons",
    [
        ("service_manager", {"install", "transfer", "decommission"}),
        ("engineer", {"install"}),
        ("quality", set()),
        ("management", set()),
        ("rep", set()),
    ],
)
def test_the_detail_shows_the_buttons_the_user_may_use(request, client, persona, buttons, device):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(f"/devices/{device.pk}/").content.decode()
    shown = {
        a for a in ("install", "transfer", "decommission") if f'data-testid="action-{a}"' in page
    }
    assert shown == buttons
    listing = client.get("/devices/").content.decode()
    assert ('data-testid="register-device"' in listing) == (persona == "service_manager")


def test_a_rep_sees_only_the_devices_of_own_customers(client, rep, other_rep, device):
    client.force_login(other_rep)
    assert client.get(f"/devices/{device.pk}/").status_code == 404
    client.force_login(rep)
    assert client.get(f"/devices/{device.pk}/").status_code == 200


def test_the_register_page(client, service_manager, hospital, monitor):
    client.force_login(service_manager)
    assert client.get("/devices/register/").status_code == 200
    response = client.post(
        "/devices/register/",
        {"customer": hospital.pk, "model": monitor.pk, "origin": "demo", "serial": "", "lot": ""},
    )
    assert response.status_code == 200
    assert "请填写序列号或批号" in response.content.decode()
    response = client.post(
        "/devices/register/",
        {"customer": hospital.pk, "model": monitor.pk, "origin": "demo", "serial": "DEMO-1"},
    )
    device = InstalledDevice.objects.get(serial="DEMO-1")
    assert response.status_code == 302 and response.url == f"/devices/{device.pk}/"
    assert device.origin == "demo"


def test_the_action_pages_are_refused_by_role_and_state(client, rep, engineer, device):
    client.force_login(rep)
    assert client.get("/devices/register/").status_code == 403
    assert client.get(f"/devices/{device.pk}/transfer/").status_code == 403
    client.force_login(engineer)
    assert client.get(f"/devices/{device.pk}/decommission/").status_code == 403
    assert client.get(f"/devices/{device.pk}/installation/").status_code == 200


def test_transfer_decommission_and_installation_pages_post_to_their_service(
    client, service_manager, engineer, device, clinic
):
    client.force_login(engineer)
    response = client.post(
        f"/devices/{device.pk}/installation/",
        {
            "installed_on": "2024-05-02",
            "engineer": engineer.pk,
            "accepted_by_customer": "刘主任",
        },
    )
    assert response.status_code == 302
    client.force_login(service_manager)
    response = client.post(
        f"/devices/{device.pk}/transfer/",
        {"to_customer": clinic.pk, "transferred_on": "2026-11-26", "reason": ""},
    )
    assert response.status_code == 200  # the reason is required
    response = client.post(
        f"/devices/{device.pk}/transfer/",
        {"to_customer": clinic.pk, "transferred_on": "2026-11-26", "reason": "合并"},
    )
    assert response.status_code == 302 and DeviceTransfer.objects.count() == 1
    response = client.post(
        f"/devices/{device.pk}/decommission/",
        {"decommissioned_on": "2026-11-27", "reason": "报废"},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.installed_on == date(2024, 5, 2) and device.status == "decommissioned"
    assert client.get(f"/devices/{device.pk}/transfer/").status_code == 409
    page = client.get(f"/devices/{device.pk}/").content.decode()
    for kind in ("registered", "installed", "transferred", "decommissioned"):
        assert f'data-kind="{kind}"' in page


def test_the_import_page_lists_the_bad_rows_and_offers_the_template(
    client, service_manager, hospital, monitor
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(service_manager)
    template = client.get("/devices/import/?template=1")
    assert template.status_code == 200 and template.content.startswith(b"PK")
    bad = workbook(row(hospital, monitor, ""))
    response = client.post("/devices/import/", {"file": SimpleUploadedFile("d.xlsx", bad)})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in page
    assert "serial_or_lot" in page and "序列号" in page
    good = workbook(row(hospital, monitor, "IMP-9"))
    response = client.post("/devices/import/", {"file": SimpleUploadedFile("d.xlsx", good)})
    assert response.status_code == 302
    assert InstalledDevice.objects.filter(serial="IMP-9").exists()
    response = client.post(
        "/devices/import/", {"file": SimpleUploadedFile("d.xlsx", b"<html>not excel</html>")}
    )
    assert response.status_code == 200 and not InstalledDevice.objects.filter(serial="").exists()
