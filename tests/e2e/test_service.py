"""After-sales service in the browser, on a phone: the engineer's jobs, the request
page with its countdowns, the customer signing on the engineer's screen, the
dispatch board, and the customer portal."""

import pytest

from tests.e2e.test_phone_lists import assert_fits_a_phone


@pytest.mark.mobile
def test_the_customer_signs_on_the_engineers_phone(page, live_server, demo_data, login, screenshot):
    from mdss.service.models import ServiceRequest

    waiting = ServiceRequest.objects.get(status="completed", engineer__username="feng.tao")
    login("feng.tao")
    page.goto(f"{live_server.url}/service/mine/")
    assert_fits_a_phone(page, "my jobs")
    assert page.locator("[data-testid=job]").count() >= 5
    assert page.locator("[data-testid=countdown]").count() >= 3
    screenshot("service-my-jobs")
    page.goto(f"{live_server.url}/service/{waiting.pk}/confirm/")
    assert_fits_a_phone(page, "confirmation")
    page.fill("#id_signer_name", "李护士长")
    pad = page.locator("[data-testid=signature-pad]").bounding_box()
    page.mouse.move(pad["x"] + 30, pad["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(pad["x"] + 30 + step * 25, pad["y"] + 100 + (25 if step % 2 else -25))
    page.mouse.up()
    screenshot("service-signature")
    with page.expect_navigation():
        page.click("[data-testid=submit-action]")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    confirmation = waiting.confirmations.get()
    assert bytes(confirmation.signature_png).startswith(b"\x89PNG")
    assert (
        page.locator("[data-testid=confirmation] img")
        .get_attribute("src")
        .startswith("data:image/png;base64,")
    )
    assert_fits_a_phone(page, "request page")
    screenshot("service-request-confirmed")


@pytest.mark.mobile
def test_the_board_the_request_list_and_the_portal_fit_a_phone(
    page, live_server, demo_data, login, screenshot
):
    login("wang.lei")
    for path, name in (
        ("/service/board/", "service-board"),
        ("/service/improvements/", "service-improvements"),
        ("/devices/pm-plans/", "pm-plans"),
    ):
        assert page.goto(f"{live_server.url}{path}").status == 200
        assert_fits_a_phone(page, path)
        screenshot(name)
    assert page.locator("[data-testid=pm-plans] .list-group-item").count() == 2
    page.context.clear_cookies()
    login("han.xue")
    assert page.goto(f"{live_server.url}/portal/").status == 200
    assert_fits_a_phone(page, "portal")
    assert page.locator("[data-testid=portal-devices] a").count() >= 1
    screenshot("portal-home")
