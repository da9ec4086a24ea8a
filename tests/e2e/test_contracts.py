"""Contracts in the browser: a rep drafts a contract, the completeness check names
what is missing, legal approves it from the review inbox with an e-signature."""


def test_a_rep_drafts_and_legal_approves(page, live_server, demo_data, login, screenshot):
    from mdss.accounts.demo import DEMO_PASSWORD
    from mdss.customers.models import Customer

    customer = Customer.objects.get(name="上海市第一人民医院")
    login("sun.li")
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=new-contract]")
    page.fill("#id_delivery_place", "上海市第一人民医院 设备科")
    with page.expect_navigation():
        page.click("[data-testid=save-contract]")
    with page.expect_navigation():  # the payment plan comes next; it can wait
        page.click("[data-testid=skip-plan]")
    page.fill("[data-testid=product-search]", "PM-8000")  # the product picker
    page.click("[data-testid=pick-PM-8000]")
    page.fill("#id_line-quantity", "4")
    with page.expect_navigation():
        page.click("button[name=line]")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    errors = page.inner_text("[data-testid=submit-errors]")
    assert "质量标准" in errors and "售后服务条款" in errors and "交货时间" in errors
    screenshot("contracts-completeness")
    number = page.inner_text("h1").split()[0]
    from mdss.contracts.models import Contract
    from mdss.contracts.services import contract_submit, contract_update

    contract = Contract.objects.get(number=number)
    from datetime import date

    contract_update(
        actor=contract.rep,
        contract=contract,
        delivery_deadline=date(2027, 1, 20),
        quality_standard="符合产品技术要求",
        after_sales_terms="保修 24 个月，1 小时响应，24 小时到场",
    )
    from mdss.core.dates import local_today

    contract_submit(actor=contract.rep, contract=contract, today=local_today())
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")
    login("zheng.hao")
    page.goto(f"{live_server.url}/contracts/review/")
    with page.expect_navigation():
        page.click(f"main >> text={number}")  # not the bell menu's message about it
    page.fill("#id_approve-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=legal-approve]")
    assert "法务已审核" in page.inner_text("[data-testid=contract-status]")
    screenshot("contracts-approved")


def test_legal_approves_an_amendment_and_the_rep_prints_the_contract(
    page, live_server, demo_data, login, screenshot
):
    """The demo's amendment waiting for legal: 郑浩 approves it; 孙丽 signs it on her
    phone-sized screen and the contract prints with the amended quantity."""
    from mdss.accounts.demo import DEMO_PASSWORD
    from mdss.contracts.models import Amendment

    amendment = Amendment.objects.get(status="in_review")
    login("zheng.hao")
    page.goto(f"{live_server.url}/contracts/review/")
    with page.expect_navigation():
        page.click(f"main >> text={amendment.number}")
    assert "SPO-10 × 30" in page.inner_text("body")
    screenshot("contracts-amendment-review")
    page.fill("#id_approve-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=amendment-approve]")
    assert "法务已审核" in page.inner_text("[data-testid=amendment-status]")
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")
    page.set_viewport_size({"width": 390, "height": 844})
    login("sun.li")
    page.goto(f"{live_server.url}/contracts/amendments/{amendment.pk}/")
    page.set_input_files(
        "#id_sign-scan",
        files=[{"name": "bg.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    with page.expect_navigation():
        page.click("[data-testid=amendment-sign]")
    assert "已签订生效" in page.inner_text("[data-testid=amendment-status]")
    screenshot("contracts-amendment-signed-mobile")
    contract = amendment.contract
    contract.refresh_from_db()
    assert contract.lines.get(model__code="SPO-10").quantity == 30
    response = page.request.get(f"{live_server.url}/contracts/{contract.pk}/contract.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
