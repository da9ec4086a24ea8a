from mdss.core.testing import assert_fixed_queries
from mdss.devices.models import InstalledDevice

from .conftest import register
from .test_import import row, workbook


def test_the_detail_returns_the_allowed_actions_by_role(
    api_client, service_manager, engineer, quality, device
):
    url = f"/api/v1/devices/{device.pk}"
    body = api_client.as_user(service_manager).get(url).json()
    assert body["allowed_actions"] == ["install", "transfer", "decommission"]
    assert body["origin"] == "taken_over" and body["status"] == "in_service"
    assert [e["kind"] for e in body["history"]] == ["registered"]
    assert api_client.as_user(engineer).get(url).json()["allowed_actions"] == ["install"]
    assert api_client.as_user(quality).get(url).json()["allowed_actions"] == []


def test_scope_and_roles_in_the_api(api_client, rep, other_rep, customer_user, device):
    url = f"/api/v1/devices/{device.pk}"
    assert api_client.as_user(rep).get(url).status_code == 200
    assert api_client.as_user(other_rep).get(url).status_code == 404
    assert api_client.as_user(customer_user).get(url).status_code == 403
    from django.test import Client

    assert Client().get(url).status_code == 401


def test_register_through_the_api(api_client, service_manager, rep, hospital, monitor):
    payload = {
        "customer_id": hospital.pk,
        "model_id": monitor.pk,
        "origin": "loaner",
        "serial": "API-1",
        "site": "急诊",
    }
    assert api_client.as_user(rep).post("/api/v1/devices", payload).status_code == 403
    response = api_client.as_user(service_manager).post("/api/v1/devices", payload)
    assert response.status_code == 201, response.json()
    assert response.json()["serial"] == "API-1"
    again = api_client.as_user(service_manager).post("/api/v1/devices", payload)
    assert again.status_code == 422
    assert again.json()["errors"][0] == {
        "field": "serial",
        "rule": "serial_taken",
        "message": again.json()["errors"][0]["message"],
    }
    bad = api_client.as_user(service_manager).post(
        "/api/v1/devices", {**payload, "model_id": 10**12, "serial": "API-2"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "model_id"


def test_actions_through_the_api(api_client, service_manager, engineer, device, clinic):
    api = api_client.as_user(engineer)
    url = f"/api/v1/devices/{device.pk}"
    transfer = {"to_customer_id": clinic.pk, "transferred_on": "2026-11-27", "reason": "合并"}
    assert api.post(f"{url}/transfer", transfer).status_code == 403
    installed = api.post(
        f"{url}/installation",
        {"installed_on": "2024-05-02", "engineer_id": engineer.pk, "accepted_by_customer": "刘"},
    )
    assert installed.status_code == 200 and installed.json()["allowed_actions"] == []
    api = api_client.as_user(service_manager)
    moved = api.post(f"{url}/transfer", transfer)
    assert moved.status_code == 200 and moved.json()["customer_id"] == clinic.pk
    refused = api.post(f"{url}/decommission", {"decommissioned_on": "2026-11-27", "reason": ""})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    done = api.post(f"{url}/decommission", {"decommissioned_on": "2026-11-27", "reason": "报废"})
    assert done.status_code == 200 and done.json()["status"] == "decommissioned"
    assert api.post(f"{url}/transfer", transfer).status_code == 409
    kinds = [e["kind"] for e in api.get(url).json()["history"]]
    # By date: the unit was installed (2024) before it was registered here (today).
    assert kinds == ["installed", "registered", "transferred", "decommissioned"]


def test_import_through_the_api(api_client, service_manager, hospital, monitor):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    api_client.as_user(service_manager)

    class Multipart(Client):
        def post(self, path, data):
            return super().post(path, data, headers={"Authorization": f"Bearer {api_client.token}"})

    api = Multipart()
    bad = api.post(
        "/api/v1/devices/import",
        {"file": SimpleUploadedFile("d.xlsx", workbook(row(hospital, monitor, "")))},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "rows.2.serial"
    assert bad.json()["errors"][0]["rule"] == "serial_or_lot"
    not_excel = api.post(
        "/api/v1/devices/import", {"file": SimpleUploadedFile("d.xlsx", b"%PDF-1.4")}
    )
    assert not_excel.status_code == 422 and not_excel.json()["errors"][0]["field"] == "file"
    good = api.post(
        "/api/v1/devices/import",
        {"file": SimpleUploadedFile("d.xlsx", workbook(row(hospital, monitor, "API-IMP")))},
    )
    assert good.status_code == 201 and good.json()["created"] == 1
    assert InstalledDevice.objects.filter(serial="API-IMP").exists()


def test_the_api_list_filters_and_costs_fixed_queries(
    api_client, service_manager, device, clinic, monitor
):
    api = api_client.as_user(service_manager)
    register(service_manager, clinic, monitor, serial="DEMO-9", origin="demo")
    serials = [d["serial"] for d in api.get("/api/v1/devices?origin=demo").json()["items"]]
    assert serials == ["DEMO-9"]
    counter = iter(range(100))
    assert_fixed_queries(
        api,
        ["/api/v1/devices", f"/api/v1/devices/{device.pk}"],
        lambda: [
            register(service_manager, clinic, monitor, serial=f"Q-{next(counter)}")
            for _ in range(4)
        ],
    )


def test_the_list_sorts_by_serial_and_refuses_a_bad_filter_by_name(
    api_client, client, service_manager, clinic, monitor
):
    for serial in ("S-B", "S-A", "S-C"):
        register(service_manager, clinic, monitor, serial=serial)
    api = api_client.as_user(service_manager)
    items = api.get("/api/v1/devices?sort=serial&search=S-").json()["items"]
    assert [d["serial"] for d in items] == ["S-A", "S-B", "S-C"]
    items = api.get("/api/v1/devices?sort=-serial&search=S-").json()["items"]
    assert [d["serial"] for d in items] == ["S-C", "S-B", "S-A"]
    bad = api.get("/api/v1/devices?sort=password")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "sort"
    bad = api.get("/api/v1/devices?status=melted")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    client.force_login(service_manager)
    page = client.get("/devices/", {"sort": "-serial", "q": "S-"}).content.decode()
    assert page.index("S-C") < page.index("S-A")
