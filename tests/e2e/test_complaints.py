"""Complaints in the browser, on a phone: the queue with its countdowns, the
workspace of a major complaint, recording a complaint from the complaint line, and
the customer rating our answer in the portal."""

import pytest

from tests.e2e.test_phone_lists import assert_fits_a_phone


@pytest.mark.mobile
def test_the_queue_the_workspace_and_the_complaint_line_fit_a_phone(
    page, live_server, demo_data, login, screenshot
):
    from mdss.complaints.models import Complaint

    login("wei.na")
    page.goto(f"{live_server.url}/complaints/")
    assert_fits_a_phone(page, "complaint queue")
    assert page.locator("[data-testid=countdown]").count() >= 3
    screenshot("complaints-queue")
    investigating = Complaint.objects.filter(status="investigating").order_by("pk").first()
    page.goto(f"{live_server.url}/complaints/{investigating.pk}/")
    assert_fits_a_phone(page, "complaint workspace")
    assert page.locator("[data-testid=team] li").count() == 3
    screenshot("complaints-workspace")
    page.goto(f"{live_server.url}/complaints/new/?find=13900001111")
    page.fill("#id_complainant_name", "设备科 周主任")
    page.fill("#id_complainant_phone", "13911110001")
    page.select_option("#id_concerns", "service")
    page.fill("#id_content", "工程师上门迟到")
    assert_fits_a_phone(page, "complaint form")
    with page.expect_navigation():
        page.click("[data-testid=submit-complaint]")
    created = Complaint.objects.order_by("-pk").first()
    assert created.content == "工程师上门迟到" and created.handler.username == "wei.na"
    assert page.locator("[data-testid=countdown]").count() >= 1
    screenshot("complaints-recorded")


@pytest.mark.mobile
def test_the_customer_rates_our_answer_in_the_portal(
    page, live_server, demo_data, login, screenshot
):
    from mdss.complaints.models import Complaint

    answered = Complaint.objects.get(channel="portal", status="resolved")
    login("han.xue")
    page.goto(f"{live_server.url}/portal/complaints/{answered.pk}/")
    assert_fits_a_phone(page, "portal complaint")
    screenshot("portal-complaint-answer")
    page.check("#id_acceptance_0")
    page.check("#id_satisfaction_1")
    with page.expect_navigation():
        page.click("[data-testid=portal-rate]")
    answered.refresh_from_db()
    assert answered.status == "fed_back" and answered.satisfaction == 4
