"""Each role's home page in a browser (issue 15, "Dashboards by role"): the figures
are there, the trend is drawn, a figure opens the list it counts, and on a phone
nothing is wider than the screen."""

import pytest

from tests.e2e.test_phone_lists import assert_fits_a_phone

ROLES = [
    ("zhao.min", "sales-card", "management"),
    ("qian.wei", "sales-card", "sales-manager"),
    ("sun.li", "rep-card", "rep"),
    ("zheng.hao", "legal-card", "legal"),
    ("wei.na", "documents-card", "quality"),
    ("jiang.hua", "training-card", "trainer"),
]


@pytest.mark.mobile
def test_every_role_dashboard_fits_a_phone(page, live_server, demo_data, login, screenshot):
    for username, card, name in ROLES:
        page.context.clear_cookies()
        login(username)
        assert page.locator(f"[data-testid={card}]").is_visible(), username
        assert_fits_a_phone(page, f"dashboard of {username}")
        screenshot(f"phone-dashboard-{name}")


def test_management_sees_the_trend_and_a_figure_opens_its_list(
    page, live_server, demo_data, login, screenshot
):
    login("zhao.min")
    # ECharts draws into a canvas inside the chart's box.
    page.wait_for_selector("[data-testid=sales-chart] canvas")
    screenshot("dashboard-management")
    figure = page.locator("[data-testid=figure-receivables-overdue]")
    shown = figure.get_attribute("data-value")
    figure.click()
    page.wait_for_url("**/contracts/receivables/")
    assert page.locator("[data-testid=receivables-total]").get_attribute("data-amount") == shown
