"""Customers in the browser (issue 5's "done when"): a rep sees whom to visit this
quarter, records a visit with feedback on a phone; the manager sees the team's
overdue visits and the open feedback, and closes it with a decision."""

import pytest


@pytest.mark.mobile
def test_a_rep_records_a_return_visit_with_feedback_on_a_phone(
    page, live_server, demo_data, login, screenshot
):
    from mdss.customers.models import Customer, Feedback

    login("sun.li")
    card = page.inner_text("[data-testid=visits-card]")
    assert "本期回访" in card
    screenshot("customers-dashboard-rep-phone")
    page.goto(f"{live_server.url}/customers/visits/")
    table = page.inner_text("[data-testid=visits-due]")
    assert "已超时" in table
    screenshot("customers-visits-due-rep-phone")
    customer = (
        Customer.objects.filter(owner__username="sun.li", status="existing")
        .order_by("next_visit_due", "id")
        .first()
    )
    page.goto(f"{live_server.url}/customers/{customer.pk}/visits/new/")
    page.fill("#id_product_use", "每天使用约 40 例，运行稳定")
    page.select_option("#id_satisfaction", "3")
    page.fill("#id_feedback", "希望增加便携型号，方便床旁使用")
    page.check("#id_flag_for_strategy")
    page.select_option("#id_feedback_category", "product")
    screenshot("customers-visit-form-phone")
    with page.expect_navigation():
        page.click("button:has-text('保存')")
    assert "回访已登记" in page.inner_text("body")
    customer.refresh_from_db()
    assert customer.next_visit_due.isoformat() > customer.last_visit_on.isoformat()
    assert Feedback.objects.filter(customer=customer, status="open").exists()
    screenshot("customers-360-after-visit-phone")


def test_a_manager_sees_the_team_and_closes_feedback(
    page, live_server, demo_data, login, screenshot
):
    login("qian.wei")
    page.goto(f"{live_server.url}/customers/visits/")
    by_rep = page.inner_text("[data-testid=visits-by-rep]")
    assert "孙丽" in by_rep and "李强" in by_rep
    page.wait_for_selector("#visits-chart canvas")
    screenshot("customers-visits-due-manager")
    page.goto(f"{live_server.url}/customers/?visit=overdue")
    assert "已超时" in page.inner_text("[data-testid=customer-table]")
    screenshot("customers-list-overdue")
    page.goto(f"{live_server.url}/customers/feedback/")
    page.click("[data-testid=feedback-list] tbody a[href*='/customers/feedback/']")
    page.fill("#id_close-decision", "纳入明年产品线规划，先安排便携机型试用")
    with page.expect_navigation():
        page.click("[data-testid=close-feedback]")
    assert "纳入明年产品线规划" in page.inner_text("[data-testid=feedback-decision]")
    screenshot("customers-feedback-closed")


def test_a_plan_shows_planned_against_achieved(page, live_server, demo_data, login, screenshot):
    from mdss.customers.models import DevelopmentPlan

    login("qian.wei")
    plan = DevelopmentPlan.objects.get(owner__username="qian.wei")
    page.goto(f"{live_server.url}/customers/plans/{plan.pk}/")
    assert "新客户" in page.inner_text("[data-testid=plan-achievement]")
    page.wait_for_selector("#plan-chart canvas")
    screenshot("customers-plan")
