"""The installed base in the browser: the service manager finds a unit taken over
from another distributor, transfers it to another room, and the timeline shows it;
an engineer sees only the installation button."""


def test_the_service_manager_transfers_a_unit_taken_over(
    page, live_server, demo_data, login, screenshot
):
    from mdss.devices.models import InstalledDevice

    device = InstalledDevice.objects.get(serial="LOAN-PM9-0001")
    login("wang.lei")
    page.goto(f"{live_server.url}/devices/?origin=loaner")
    assert "LOAN-PM9-0001" in page.inner_text("[data-testid=devices]")
    assert page.is_visible("[data-testid=register-device]")
    with page.expect_navigation():
        page.click(f"[data-testid=devices] a[href='/devices/{device.pk}/']")
    with page.expect_navigation():
        page.click("[data-testid=action-transfer]")
    page.fill("#id_to_site", "手术室 2")
    page.fill("#id_transferred_on", "2020-01-01")
    page.fill("#id_reason", "科室调整")
    with page.expect_navigation():
        page.click("[data-testid=device-form] button.btn-primary")
    device.refresh_from_db()
    assert device.site == "手术室 2"
    assert page.is_visible("[data-testid=device-history] [data-kind=transferred]")
    screenshot("devices-transferred")
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")
    login("feng.tao")
    page.goto(f"{live_server.url}/devices/{device.pk}/")
    assert page.is_visible("[data-testid=action-install]")
    assert not page.is_visible("[data-testid=action-transfer]")
