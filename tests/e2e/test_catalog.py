"""The catalog in the browser: a refused model names its expired certificate; quality
sees expiring documents; a UDI is scanned."""


def test_a_rep_sees_why_a_model_may_not_be_sold(page, live_server, demo_data, login, screenshot):
    login("sun.li")
    page.goto(f"{live_server.url}/catalog/")
    page.fill("main input[name=q]", "雾化器")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=model-table]').innerText.includes('压缩式雾化器')"
        " && !document.querySelector('[data-testid=model-table]').innerText.includes('呼吸机')"
    )
    screenshot("catalog-search")
    page.click("main >> text=压缩式雾化器")
    gate = page.inner_text("[data-testid=gate]")
    assert "今日不可销售" in gate and "注册证" in gate and "已于" in gate and "过期" in gate
    screenshot("catalog-refused-model")


def test_quality_sees_expiring_documents_on_the_dashboard(
    page, live_server, demo_data, login, screenshot
):
    login("wei.na")
    card = page.inner_text("[data-testid=documents-card]")
    assert "剩余" in card
    screenshot("dashboard-quality")
    page.goto(f"{live_server.url}/catalog/expiring/")
    assert "已过期" in page.inner_text("[data-testid=expiring-table]")
    screenshot("catalog-expiring")


def test_an_engineer_scans_a_udi(page, live_server, demo_data, login, screenshot):
    from mdss.catalog.models import UdiDeviceIdentifier

    identifier = UdiDeviceIdentifier.objects.select_related("model__product").first()
    login("feng.tao")
    page.goto(f"{live_server.url}/catalog/scan/")
    page.fill("#id_text", f"(01){identifier.di}(17)280600(10)LOT7(21)SN123")
    page.click("main >> text=识别")
    page.wait_for_selector("[data-testid=scan-model] a")
    assert identifier.model.product.name in page.inner_text("[data-testid=scan-model]")
    assert "2028-06-30" in page.inner_text("[data-testid=scan-result]")
    screenshot("catalog-scan")
