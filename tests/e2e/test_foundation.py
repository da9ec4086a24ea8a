"""Every demo role logs in, sees its dashboard and can switch language."""

import pytest
from django.utils import translation

from mdss.accounts import roles


def test_every_demo_role_logs_in_and_sees_the_dashboard(
    page, live_server, demo_data, login, screenshot
):
    from mdss.accounts.models import User

    for username, name, _role in demo_data:
        login(username)
        assert page.url == f"{live_server.url}/", username
        assert name in page.inner_text("body")
        user = User.objects.get(username=username)
        sidebar = page.inner_text("[data-testid=sidebar]")
        assert "工作台首页" in sidebar
        if user.has_perm("accounts.view_user"):
            assert "人员" in sidebar
        if user.role_codes and not user.is_superuser:
            with translation.override("zh-hans"):
                label = str(roles.role_label(sorted(user.role_codes)[0]))
            assert label in page.inner_text("[data-testid=my-roles]")
        screenshot(f"dashboard-{username}")
        page.click("[data-testid=user-menu]")
        page.click("[data-testid=logout]")
        page.wait_for_url("**/accounts/login/")


def test_language_switch_changes_the_interface(page, live_server, demo_data, login, screenshot):
    login("qian.wei")
    assert "工作台首页" in page.inner_text("[data-testid=sidebar]")
    with page.expect_navigation():
        page.select_option("[data-testid=language-select]", "en")
    assert "Dashboard" in page.inner_text("[data-testid=sidebar]")
    screenshot("dashboard-english")
    page.goto(f"{live_server.url}/accounts/users/")
    assert "People" in page.inner_text("h1")
    screenshot("people-english")
    with page.expect_navigation():
        page.select_option("[data-testid=language-select]", "zh-hans")
    assert "人员" in page.inner_text("h1")


def test_people_directory_searches_as_you_type(page, live_server, demo_data, login, screenshot):
    login("zhao.min")
    page.goto(f"{live_server.url}/accounts/users/")
    assert "孙丽" in page.inner_text("[data-testid=user-table]")
    page.fill("main input[name=q]", "冯")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=user-table]').innerText.includes('孙丽')"
    )
    assert "冯涛" in page.inner_text("[data-testid=user-table]")
    screenshot("people-search")


def test_a_wrong_password_is_refused_with_a_message(page, live_server, demo_data, login):
    login("sun.li", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger").count() == 1


@pytest.mark.mobile
def test_the_layout_works_on_a_phone(page, live_server, demo_data, login, screenshot):
    login("feng.tao")
    screenshot("dashboard-phone")
    assert not page.is_visible("[data-testid=sidebar]")
    page.click("[aria-controls=sidebar]")
    page.wait_for_selector("#sidebar.show", state="visible")
    page.wait_for_timeout(500)  # the off-canvas slides in; let it finish before the picture
    assert "个人资料" in page.inner_text("[data-testid=sidebar]")
    screenshot("sidebar-phone")
