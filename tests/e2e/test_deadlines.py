"""Foundation II in the browser: the calendar, a policy change, a breached deadline in the bell."""

from datetime import timedelta

from django.utils import timezone


def test_an_administrator_sees_and_edits_the_work_calendar(
    page, live_server, demo_data, login, screenshot
):
    login("admin")
    page.goto(f"{live_server.url}/calendars/?year=2026")
    table = page.inner_text("[data-testid=calendar-days]")
    assert "国庆节" in table and "2026-10-10" in table
    screenshot("calendar-2026")
    page.fill("#id_day-day", "2026-12-31")
    page.select_option("#id_day-is_working_day", "0")
    page.fill("#id_day-name", "公司年终休假")
    page.fill("#id_day-reason", "总经理办公会决定")
    with page.expect_navigation():
        page.click("main >> text=保存")
    assert "公司年终休假" in page.inner_text("[data-testid=calendar-days]")


def test_management_changes_the_policy_with_an_e_signature(
    page, live_server, demo_data, login, screenshot
):
    from mdss.accounts.demo import DEMO_PASSWORD

    login("zhao.min")
    page.goto(f"{live_server.url}/calendars/policy/")
    assert "接到服务请求后联系客户" in page.inner_text("[data-testid=policy-targets]")
    page.fill("#id_t_service\\.contact_duration", "0.5")
    page.fill("#id_note", "热线联系时限缩短为30分钟")
    page.fill("#id_password", "wrong-password")
    page.click("main >> text=签名并生效")
    assert "密码不正确" in page.inner_text("body")
    page.fill("#id_t_service\\.contact_duration", "0.5")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main >> text=签名并生效")
    assert "v2" in page.inner_text("h1")
    screenshot("policy-v2")


def test_a_breached_deadline_reaches_the_engineers_bell(
    page, live_server, demo_data, login, screenshot
):
    from mdss.accounts.models import User
    from mdss.calendars import services
    from mdss.notifications.models import Notification

    engineer = User.objects.get(username="feng.tao")
    # The demo's new jobs are already in his bell; the breach adds one message.
    unread = Notification.objects.filter(
        recipient=engineer, channel="in_app", read_at__isnull=True
    ).count()
    services.clock_start(
        subject=engineer,
        code="service.contact",
        responsible=engineer,
        at=timezone.now() - timedelta(minutes=90),
    )
    services.clock_sweep()
    login("feng.tao")
    page.wait_for_selector("[data-testid=bell-count]")
    assert page.inner_text("[data-testid=bell-count]") == str(unread + 1)
    page.click("[data-testid=bell]")
    assert "已超时的时限：1 项" in page.inner_text("[data-testid=bell-menu]")
    screenshot("notifications-bell")
    with page.expect_navigation():
        page.click("[data-testid=bell-all]")
    assert "已超时的时限：1 项" in page.inner_text("[data-testid=notification-list]")
    screenshot("notifications")
    page.goto(f"{live_server.url}/calendars/clocks/?overdue=1")
    assert "接到服务请求后联系客户" in page.inner_text("[data-testid=clock-table]")
    screenshot("deadlines-overdue")
