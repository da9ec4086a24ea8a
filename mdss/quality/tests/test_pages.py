"""Quality pages: the dashboard, the trace and the recalls, as quality sees them;
refusals; fixed query counts."""

from datetime import date

from mdss.catalog.models import UdiDeviceIdentifier
from mdss.core.testing import assert_fixed_queries
from mdss.devices import services as devices
from mdss.quality import services

from .conftest import open_incident, report


def _recall(quality, model, serials):
    it = services.recall_create(
        actor=quality, level="1", model=model, serials=serials, manufacturer_notice="M-9",
        notice_on=date(2026, 11, 20), reason="电源过热", action="更换电源",
    )  # fmt: skip
    return services.recall_activate(actor=quality, recall=it)


def test_the_dashboard_shows_clocks_recalls_incidents_and_alerts(
    client, quality, monitor, device, reference_data
):
    for _ in range(3):
        report(quality, monitor, lot="L7")
    open_incident(quality)
    services.ae_create(
        actor=quality, reporter_name="周主任", event_on=date(2026, 11, 26),
        aware_at=device.created_at, outcome="death",
        model=monitor, narrative="除颤失败",
    )  # fmt: skip
    _recall(quality, monitor, ["SN-1"])
    client.force_login(quality)
    page = client.get("/quality/").content.decode()
    assert "AE-2026-" in page and "ZS-2026-" in page and "ZH-2026-" in page
    assert "L7: 3" in page  # the trend alert
    assert 'data-testid="feedback-open">3<' in page


def test_the_trace_page_finds_the_unit_and_its_customer(
    client, warehouse, quality, monitor, device, reference_data
):
    client.force_login(warehouse)
    page = client.get("/quality/trace/?q=SN-1&by=serial").content.decode()
    assert device.customer.name in page and 'data-testid="trace-count"' in page
    empty = client.get("/quality/trace/?q=(01)1&by=udi").content.decode()
    assert 'data-testid="form-error"' in empty


def test_the_recall_page_lists_customers_units_and_notices(
    client, quality, service_manager, monitor, device, reference_data
):
    it = _recall(quality, monitor, ["SN-1"])
    client.force_login(service_manager)
    page = client.get(f"/quality/recalls/{it.pk}/").content.decode()
    assert device.customer.name in page and "SN-1" in page


def test_pages_cost_fixed_queries(
    client, quality, service_manager, monitor, hospital, reference_data
):
    UdiDeviceIdentifier.objects.create(model=monitor, di="06901234567892")
    n = [0]

    def unit():
        n[0] += 1
        return devices.device_register(
            actor=service_manager, customer=hospital, model=monitor, serial=f"S{n[0]}", lot="LA",
            origin="taken_over", site="ICU", delivered_on=date(2025, 1, 1), today=date(2026, 1, 5),
        )  # fmt: skip

    unit()
    it = _recall(quality, monitor, [])
    client.force_login(quality)

    def grow():
        for _ in range(3):
            unit()
            report(quality, monitor, lot="LA")
            open_incident(quality)
        _recall(quality, monitor, ["S2"])

    assert_fixed_queries(
        client,
        [
            "/quality/",
            "/quality/recalls/",
            f"/quality/recalls/{it.pk}/",
            "/quality/trace/?q=LA&by=lot",
        ],
        grow,
    )


def test_who_opens_the_pages(client, rep, engineer, warehouse, quality, reference_data):
    for user, path, code in (
        (rep, "/quality/", 403),
        (engineer, "/quality/recalls/", 403),
        (warehouse, "/quality/trace/", 200),
        (warehouse, "/quality/", 403),
        (quality, "/quality/recalls/999/", 404),
    ):
        client.force_login(user)
        assert client.get(path).status_code == code, (user, path)
