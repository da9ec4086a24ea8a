"""Training in the browser: the sales manager sees which rules were met and who is
missing; a failed exam leads to a make-up exam at once."""


def test_the_manager_sees_the_compliance_grid(page, live_server, demo_data, login, screenshot):
    login("qian.wei")
    page.goto(f"{live_server.url}/training/compliance/?team=sales")
    sessions = page.locator("[data-testid=rule-session] [data-testid=cell]")
    states = [sessions.nth(i).get_attribute("data-state") for i in range(sessions.count())]
    assert "missed" in states and "met" in states  # the demo year has one month without training
    assert "培训考核达标情况" in page.inner_text("h1")
    screenshot("training-compliance-sales")


def test_a_failed_exam_leads_to_a_makeup(page, live_server, demo_data, login, screenshot):
    from datetime import timedelta

    from mdss.accounts.models import User
    from mdss.core.dates import local_today
    from mdss.training import services
    from mdss.training.models import Assessment

    trainer = User.objects.get(username="jiang.hua")
    rep = User.objects.get(username="wu.fang")
    today = local_today()
    a = services.assessment_schedule(
        actor=trainer,
        user=rep,
        team="sales",
        period_start=today.replace(day=1) - timedelta(days=400),
        period_end=today,
        due_on=today,
    )
    login("jiang.hua")
    page.goto(f"{live_server.url}/training/assessments/{a.pk}/")
    page.fill("#id_record-score", "52")
    with page.expect_navigation():
        page.click("[data-testid=record-score]")
    makeup = Assessment.objects.get(follows=a)
    page.goto(f"{live_server.url}/training/assessments/{makeup.pk}/")
    chain = page.inner_text("[data-testid=chain]")
    assert "定期考核" in chain and "补考" in chain
    screenshot("training-makeup-chain")
    page.goto(f"{live_server.url}/training/people/{rep.pk}/")
    screenshot("training-record")
