"""Drafting a contract in few steps (issue 15): from the customer's page to a contract
submitted for legal review with one product in at most six clicks. Typing is not a
click; every click goes through ``Clicks`` so the test counts them."""

from datetime import date

MAX_CLICKS = 6


class Clicks:
    """``page.click`` that counts (navigation waited for when asked)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def __call__(self, selector: str, *, navigates: bool = False) -> None:
        self.count += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.click(selector)
        else:
            self.page.click(selector)


def test_a_rep_drafts_and_submits_a_contract_in_six_clicks(
    page, live_server, demo_data, login, screenshot
):
    from django.utils import timezone

    from mdss.calendars.selectors import clocks_for
    from mdss.contracts.models import Contract
    from mdss.customers.models import Customer

    customer = Customer.objects.get(name="上海市第一人民医院")
    before = set(Contract.objects.values_list("pk", flat=True))
    login("sun.li")
    click = Clicks(page)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")

    click("[data-testid=new-contract]", navigates=True)
    # The terms (the delivery place comes from the customer's address).
    assert page.input_value("#id_delivery_place").startswith("上海市第一人民医院")
    page.fill("#id_delivery_deadline", date(2027, 1, 20).isoformat())
    page.fill("#id_quality_standard", "符合产品技术要求")
    page.fill("#id_after_sales_terms", "保修 24 个月，1 小时响应，24 小时到场")
    # The product, by type-ahead: part of the model is enough.
    page.fill("[data-testid=product-search]", "PM-8")
    page.wait_for_selector("[data-testid=pick-PM-8000]")
    assert "38,000.00" in page.inner_text("[data-testid=picker-matches]")
    assert page.locator("[data-testid=sellable]").count() >= 1
    screenshot("drafting-picker")
    click("[data-testid=pick-PM-8000]")
    assert page.input_value("#id_line-unit_price") == "38000.00"  # the list price
    assert "PM-8000" in page.inner_text("[data-testid=picked]")
    page.fill("#id_line-unit_price", "37000")  # the deviation follows the typing
    assert "-2.6%" in page.inner_text("[data-testid=price-deviation]")
    page.fill("#id_line-unit_price", "38000")
    page.fill("#id_line-quantity", "4")
    click("[data-testid=save-contract]", navigates=True)

    # Next: the payment plan, proposed as one instalment of the total.
    assert "152,000.00" in page.inner_text("[data-testid=plan-total]")
    screenshot("drafting-plan")
    click("[data-testid=save-plan]", navigates=True)

    click("[data-testid=submit]", navigates=True)
    (contract,) = Contract.objects.exclude(pk__in=before)
    assert contract.status == "in_review"
    assert contract.lines.get().quantity == 4 and contract.instalments.count() == 1
    # The message says who reviews it and by when.
    clock = clocks_for(contract).get()
    message = page.inner_text(".alert-success")
    assert str(clock.responsible) in message
    assert timezone.localtime(clock.due_at).date().isoformat() in message
    screenshot("drafting-submitted")
    assert click.count <= MAX_CLICKS, f"{click.count} clicks"

    # A link opens a tab: by the address's #hash or ?tab=.
    page.goto(f"{live_server.url}/contracts/{contract.pk}/?tab=payments")
    page.wait_for_selector("[data-testid=pane-payments]", state="visible")
    page.goto(f"{live_server.url}/contracts/{contract.pk}/?tab=payments#timeline")
    page.wait_for_selector("[data-testid=pane-timeline]", state="visible")
    page.click("[data-testid=tab-lines]")
    page.wait_for_selector("[data-testid=pane-lines]", state="visible")
    assert page.url.endswith("#lines")


def test_an_amendment_adds_a_product_with_the_same_picker(
    page, live_server, demo_data, login, screenshot
):
    """Each product an amendment adds has its own picker: choosing in the second row
    fills that row (model, list price, deviation), not the first."""
    from mdss.contracts.models import Contract

    contract = Contract.objects.filter(status="in_performance", rep__username="sun.li").first()
    login("sun.li")
    page.goto(f"{live_server.url}/contracts/{contract.pk}/amend/")
    page.fill("#new-line-2-product-search", "PM-8")
    page.wait_for_selector("#new-line-2-product-matches [data-testid=pick-PM-8000]")
    page.click("#new-line-2-product-matches [data-testid=pick-PM-8000]")
    model = page.locator("[name='new_lines.2.model']").input_value()
    assert model and page.locator("[name='new_lines.1.model']").input_value() == ""
    assert page.input_value("[name='new_lines.2.unit_price']") == "38000.00"
    page.fill("[name='new_lines.2.unit_price']", "37000")
    assert "-2.6%" in page.inner_text("#new-line-2-deviation")
    assert page.inner_text("#new-line-1-deviation") == ""
    screenshot("amendment-picker")
