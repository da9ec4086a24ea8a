"""A price-list change through its approval in the browser (S12)."""


def test_a_price_change_is_drafted_submitted_and_signed(
    page, live_server, demo_data, login, screenshot
):
    from mdss.accounts.demo import DEMO_PASSWORD
    from mdss.catalog.models import ProductModel
    from mdss.core.dates import local_today

    model = ProductModel.objects.get(product__name="多参数监护仪", code="PM-8000")
    login("qian.wei")
    page.goto(f"{live_server.url}/pricing/changes/new/")
    # In force from today (a change is never backdated), so approving applies it at once.
    page.fill("#id_effective_from", local_today().isoformat())
    page.fill("#id_reason", "进口传感器涨价，监护仪上调 5%")
    page.select_option("#id_lines-0-model", str(model.pk))
    page.fill("#id_lines-0-list_price", "39900")
    page.fill("#id_lines-0-floor_price", "35100")
    with page.expect_navigation():
        page.click("main >> text=保存草稿")
    with page.expect_navigation():
        page.click("[data-testid=submit-change]")
    assert "待审批" in page.inner_text("[data-testid=change-status]")
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")

    login("zhao.min")
    page.goto(f"{live_server.url}/pricing/changes/")
    assert "进口传感器" in page.inner_text("[data-testid=approval-inbox]")
    page.click("[data-testid=approval-inbox] a")
    assert "5.0%" in page.inner_text("[data-testid=change-lines]")
    page.fill("#id_approve-password", DEMO_PASSWORD)
    screenshot("pricing-approve")
    with page.expect_navigation():
        page.click("[data-testid=approve-change]")
    assert "已生效" in page.inner_text("[data-testid=change-status]")
    page.goto(f"{live_server.url}/pricing/?q=监护仪")
    assert "39,900" in page.inner_text("[data-testid=price-table]")
    screenshot("pricing-price-list-management")


def test_a_deal_discount_goes_through_the_superior(page, live_server, demo_data, login, screenshot):
    from mdss.accounts.demo import DEMO_PASSWORD
    from mdss.accounts.models import User
    from mdss.catalog.models import ProductModel
    from mdss.customers.models import Customer

    rep = User.objects.get(username="sun.li")
    customer = Customer.objects.get(name="上海市第六人民医院", owner=rep)  # from the demo
    model = ProductModel.objects.get(product__name="多参数监护仪", code="PM-8000")
    login("sun.li")
    page.goto(f"{live_server.url}/pricing/adjustments/new/")
    page.select_option("#id_customer", str(customer.pk))
    page.select_option("#id_model", str(model.pk))
    page.fill("#id_quantity", "10")
    page.fill("#id_requested_price", "35500")
    page.fill("#id_reason", "批量采购 10 台，竞品报价 35000")
    with page.expect_navigation():
        page.click("main >> text=提交审批")
    assert "待上级审批" in page.inner_text("[data-testid=adjustment-status]")
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")

    login("qian.wei")
    page.click("[data-testid=sidebar] >> text=价格调整申请")
    page.click("[data-testid=adjustment-inbox] a")
    page.fill("#id_approve-password", DEMO_PASSWORD)
    screenshot("pricing-adjustment-approve")
    with page.expect_navigation():
        page.click("[data-testid=approve-adjustment]")
    assert "已批准" in page.inner_text("[data-testid=adjustment-status]")
