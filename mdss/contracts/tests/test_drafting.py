"""Drafting a contract in few steps (issue 15): the product picker, the first product
on the create form, the payment plan as the next page, the detail page's tabs and the
next-step messages after each action."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mdss.catalog.tests.factories import sellable_model
from mdss.contracts import services
from mdss.contracts.models import Contract
from mdss.contracts.tests.conftest import CLAUSES, PASSWORD, TODAY, deliver, expire_certificate
from mdss.core.testing import assert_fixed_queries
from mdss.pricing.models import PriceEntry


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def _picker(client, **params):
    return client.get("/contracts/products/", params)


def _add_priced_models(n, prefix="XM"):
    """``n`` sellable models with a list price in the active price list."""
    from mdss.pricing.selectors import active_version

    version = active_version()
    models = []
    for i in range(n):
        model = sellable_model("II", code=f"{prefix}-{i:03d}")
        model.product.category_code = "07-03-01"
        model.product.save()
        PriceEntry.objects.create(
            version=version,
            model=model,
            list_price=Decimal("1000.00") + i,
            floor_price=Decimal("900.00"),
        )
        models.append(model)
    return models


def _approved_request(rep, sales_manager, customer, model, quantity, price):
    from mdss.pricing.services import adjustments

    request = adjustments.adjustment_create(
        actor=rep,
        customer_id=customer.pk,
        model=model,
        quantity=quantity,
        requested_price=price,
        reason="竞争对手报价",
        today=TODAY,
    )
    adjustments.adjustment_submit(adjustment=request, actor=rep)
    return adjustments.adjustment_approve(
        adjustment=request, actor=sales_manager, password=PASSWORD, today=TODAY
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the product picker -------------------------------------------------------------


def test_the_picker_shows_model_list_price_and_that_it_may_be_sold(
    client, rep, hospital, monitor, authorised
):
    client.force_login(rep)
    response = _picker(client, customer=hospital.pk, q="pm-80")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="pick-PM-8000"' in page and "多参数监护仪" in page
    assert "38,000.00" in page and 'data-list-price="38000.00"' in page
    assert 'data-testid="sellable"' in page and 'data-testid="not-sellable"' not in page


def test_the_picker_says_why_a_model_may_not_be_sold_today(
    client, rep, hospital, monitor, authorised
):
    expire_certificate(monitor, TODAY - timedelta(days=1))
    client.force_login(rep)
    page = _picker(client, customer=hospital.pk, q="PM-8000").content.decode()
    assert 'data-testid="not-sellable"' in page
    assert str(TODAY - timedelta(days=1)) in page  # the certificate's date is named


def test_the_picker_judges_the_rep_s_authorisation_too(client, rep, hospital, monitor):
    client.force_login(rep)  # no 授权书 on file
    page = _picker(client, customer=hospital.pk, q="PM-8000").content.decode()
    assert 'data-testid="not-sellable"' in page and rep.display_name in page


def test_the_picker_offers_the_approved_price_request_of_this_customer(
    client, rep, sales_manager, hospital, monitor, authorised
):
    request = _approved_request(rep, sales_manager, hospital, monitor, 5, "36000.00")
    client.force_login(rep)
    page = _picker(client, customer=hospital.pk, q="PM").content.decode()
    assert f'data-testid="offer-{request.number}"' in page
    assert f'data-adjustment="{request.pk}"' in page and 'data-price="36000.00"' in page


def test_a_used_up_price_request_is_not_offered(
    client, rep, sales_manager, hospital, monitor, authorised
):
    request = _approved_request(rep, sales_manager, hospital, monitor, 2, "36000.00")
    other = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    services.line_add(
        actor=rep,
        contract=other,
        model=monitor,
        quantity=2,
        unit_price=Decimal("36000.00"),
        adjustment=request,
    )
    services.contract_submit(actor=rep, contract=other, today=TODAY)  # reserves the 2 units
    client.force_login(rep)
    page = _picker(client, customer=hospital.pk, q="PM").content.decode()
    assert f"offer-{request.number}" not in page


def test_the_picker_shows_at_most_ten_matches(client, rep, hospital, monitor, authorised):
    _add_priced_models(12)
    client.force_login(rep)
    page = _picker(client, customer=hospital.pk, q="XM-").content.decode()
    assert page.count('data-testid="picker-match"') == 10
    assert 'data-testid="picker-more"' in page


def test_the_picker_is_limited_to_the_caller_s_customers_and_contracts(
    client, rep, other_rep, legal, hospital, monitor, authorised
):
    contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    client.force_login(other_rep)
    assert _picker(client, customer=hospital.pk, q="PM").status_code == 404
    assert _picker(client, contract=contract.pk, q="PM").status_code == 404
    client.force_login(legal)  # sees every contract, drafts none
    assert _picker(client, contract=contract.pk, q="PM").status_code == 403
    client.force_login(rep)
    assert _picker(client, contract=contract.pk, q="PM").status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"q": "PM"},  # neither a customer nor a contract
        {"customer": "abc", "q": "PM"},
        {"contract": "1 OR 1=1", "q": "PM"},
        {"customer": "9" * 30, "q": "PM"},
        {"customer": "HOSPITAL", "q": "x" * 61},
    ],
)
def test_bad_input_is_a_clear_400(client, rep, hospital, monitor, authorised, params):
    params = {k: (hospital.pk if v == "HOSPITAL" else v) for k, v in params.items()}
    client.force_login(rep)
    response = _picker(client, **params)
    assert response.status_code == 400
    if len(str(params.get("customer", ""))) < 19:  # longer: core's BadInputMiddleware answers
        assert 'data-testid="picker-problem"' in response.content.decode()


def test_an_empty_or_unknown_search_answers_without_matches(
    client, rep, hospital, monitor, authorised
):
    client.force_login(rep)
    assert (
        'data-testid="picker-hint"' in _picker(client, customer=hospital.pk, q=" ").content.decode()
    )
    page = _picker(client, customer=hospital.pk, q="%_'\"<b>").content.decode()
    assert 'data-testid="picker-empty"' in page and "<b>" not in page
    assert _picker(client, customer=999999, q="PM").status_code == 404


def test_the_picker_costs_a_fixed_number_of_queries(
    client, rep, sales_manager, hospital, monitor, authorised, django_assert_max_num_queries
):
    first = _add_priced_models(2)
    _approved_request(rep, sales_manager, hospital, first[0], 3, "950.00")
    client.force_login(rep)
    url = f"/contracts/products/?customer={hospital.pk}&q=M-"

    def grow():
        models = _add_priced_models(6, prefix="YM")
        for model in models[:3]:
            _approved_request(rep, sales_manager, hospital, model, 3, "950.00")

    assert_fixed_queries(client, [url], grow)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


# --- creating with the first product, then the payment plan ---------------------------


def _create(client, hospital, **line):
    return client.post(
        f"/contracts/new/?customer={hospital.pk}",
        {
            "kind": "purchase",
            "warranty_months": 24,
            "tax_rate": "13",
            **{k: str(v) for k, v in CLAUSES.items()},
            **{f"line-{k}": v for k, v in line.items()},
        },
    )


def test_the_create_form_takes_the_first_product_and_leads_to_the_payment_plan(
    client, rep, hospital, monitor, authorised
):
    client.force_login(rep)
    response = _create(client, hospital, model=monitor.pk, quantity=2, unit_price="38000")
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contracts/{contract.pk}/plan/?created=1"
    line = contract.lines.get()
    assert (line.model, line.quantity, line.list_price) == (monitor, 2, Decimal("38000.00"))
    assert any(contract.number in m for m in _messages(response))
    plan = client.get(response["Location"])
    assert 'data-testid="drafting-steps"' in plan.content.decode()
    assert plan.context["form"]["instalments.1.amount"].value() == Decimal("76000.00")
    assert plan.context["form"]["instalments.1.due_on"].value() == CLAUSES["delivery_deadline"]


def test_the_create_form_without_a_product_still_drafts(client, rep, hospital):
    client.force_login(rep)
    assert _create(client, hospital).status_code == 302
    assert Contract.objects.get().lines.count() == 0


def test_a_refused_first_product_keeps_the_form_and_writes_nothing(
    client, rep, hospital, monitor, authorised
):
    client.force_login(rep)
    response = _create(client, hospital, model=monitor.pk, unit_price="38000")
    assert response.status_code == 200 and not Contract.objects.exists()
    assert response.context["line_form"].errors["quantity"]
    assert 'data-testid="picked"' in response.content.decode()
    assert str(monitor) in response.content.decode()  # the choice is shown again
    response = _create(client, hospital, model=999999, quantity=1, unit_price="1")
    assert response.context["line_form"].errors["model"] and not Contract.objects.exists()


def test_the_payment_plan_is_saved_and_the_next_step_named(client, rep, draft):
    client.force_login(rep)
    response = client.post(
        f"/contracts/{draft.pk}/plan/",
        {
            "instalments.1.due_on": "2027-01-31",
            "instalments.1.amount": "114000",
            "instalments.1.note": "预付款",
            "instalments.2.due_on": "2027-03-31",
            "instalments.2.amount": "266000",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?tab=payments")
    assert [i.amount for i in draft.instalments.order_by("due_on")] == [
        Decimal("114000.00"),
        Decimal("266000.00"),
    ]
    assert any(str(rep) in m for m in _messages(response))


def test_a_plan_that_does_not_add_up_is_refused_on_the_page(client, rep, draft):
    client.force_login(rep)
    response = client.post(
        f"/contracts/{draft.pk}/plan/",
        {"instalments.1.due_on": "2027-01-31", "instalments.1.amount": "1000"},
    )
    assert response.status_code == 200 and not draft.instalments.exists()
    assert 'data-testid="plan-errors"' in response.content.decode()
    response = client.post(f"/contracts/{draft.pk}/plan/", {"instalments.1.amount": "1000"})
    assert response.context["form"].errors["instalments.1.due_on"]


def test_the_payment_plan_page_costs_a_bounded_number_of_queries(
    client, rep, draft, monitor, django_assert_max_num_queries
):
    client.force_login(rep)
    url = f"/contracts/{draft.pk}/plan/"
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(5):
        services.line_add(
            actor=rep, contract=draft, model=monitor, quantity=1, unit_price=Decimal("38000")
        )
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_payment_plan_is_the_sales_team_s(client, draft, legal, other_rep):
    client.force_login(legal)
    assert client.get(f"/contracts/{draft.pk}/plan/").status_code == 403
    client.force_login(other_rep)
    assert client.get(f"/contracts/{draft.pk}/plan/").status_code == 404


# --- the detail page's tabs ------------------------------------------------------------

TABS = ["terms", "lines", "deliveries", "payments", "problems", "documents", "amendments"]


def _active(page: str) -> list[str]:
    import re

    return re.findall(r'class="tab-pane fade show active" id="(\w+)"', page)


def test_the_detail_page_has_its_tabs_and_opens_the_one_asked_for(client, rep, draft):
    client.force_login(rep)
    page = client.get(f"/contracts/{draft.pk}/").content.decode()
    for tab in [*TABS, "timeline"]:
        assert f'data-testid="tab-{tab}"' in page and f'data-testid="pane-{tab}"' in page
    assert _active(page) == ["lines"]  # a draft opens on its products
    assert "data-tabs-in-url" in page  # static/js/mdss.js keeps the tab in the #hash
    page = client.get(f"/contracts/{draft.pk}/?tab=payments").content.decode()
    assert _active(page) == ["payments"] and 'data-testid="set-plan"' in page
    page = client.get(f"/contracts/{draft.pk}/?tab=nonsense").content.decode()
    assert _active(page) == ["lines"]


def test_a_signed_contract_opens_on_its_terms_and_a_refused_form_on_its_tab(client, rep, signed):
    client.force_login(rep)
    assert _active(client.get(f"/contracts/{signed.pk}/").content.decode()) == ["terms"]
    response = client.post(f"/contracts/{signed.pk}/payments/", {"pay-amount": "-1"})
    assert response.status_code == 200 and _active(response.content.decode()) == ["payments"]


def test_the_page_shows_only_the_actions_allowed_now(client, rep, legal, draft):
    client.force_login(rep)
    page = client.get(f"/contracts/{draft.pk}/").content.decode()
    assert 'data-testid="submit"' in page and 'data-testid="legal-approve"' not in page
    assert 'data-testid="add-line"' in page and 'data-testid="product-picker"' in page
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    page = client.get(f"/contracts/{draft.pk}/").content.decode()
    assert 'data-testid="submit"' not in page and 'data-testid="add-line"' not in page
    assert 'data-testid="set-plan"' not in page
    client.force_login(legal)
    page = client.get(f"/contracts/{draft.pk}/").content.decode()
    assert 'data-testid="legal-approve"' in page and 'data-testid="cancel"' not in page


def test_the_detail_page_costs_a_bounded_number_of_queries(
    client, rep, signed, django_assert_max_num_queries
):
    client.force_login(rep)
    url = f"/contracts/{signed.pk}/"
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


# --- what happens next, and who acts ------------------------------------------------------


def test_submitting_names_the_reviewer_and_the_review_deadline(client, rep, legal, draft):
    from mdss.calendars.selectors import clocks_for

    client.force_login(rep)
    response = client.post(f"/contracts/{draft.pk}/submit/")
    clock = clocks_for(draft).get()
    due = timezone.localtime(clock.due_at).date().isoformat()
    (message,) = _messages(response)
    assert str(legal) in message and due in message


def test_without_a_legal_reviewer_the_message_names_the_role(draft, rep):
    from django.utils import translation

    from mdss.accounts import roles
    from mdss.contracts import next_steps

    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    with translation.override("en"):
        assert roles.role_label(roles.LEGAL) in next_steps.after_submit(draft)


def test_legal_s_decision_tells_who_acts_next(client, rep, legal, draft):
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    client.force_login(legal)
    response = client.post(f"/contracts/{draft.pk}/return/", {"return-comment": "交货期不明确"})
    assert str(rep) in _messages(response)[0]
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    response = client.post(f"/contracts/{draft.pk}/approve/", {"approve-password": PASSWORD})
    assert str(rep) in _messages(response)[0]


def test_signing_names_the_delivery_deadline_and_asks_for_the_plan(client, rep, legal, draft):
    day = TODAY - timedelta(days=2)
    with time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False):
        services.contract_submit(actor=rep, contract=draft, today=day)
        services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    client.force_login(rep)
    response = client.post(
        f"/contracts/{draft.pk}/sign/",
        {
            "sign-signed_on": TODAY.isoformat(),
            "sign-customer_signed_on": TODAY.isoformat(),
            "sign-scan": SimpleUploadedFile("s.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    draft.refresh_from_db()
    assert draft.status == "signed"
    (message,) = _messages(response)
    assert str(rep) in message and "2027-01-15" in message


def test_deliveries_and_payments_say_what_is_left(client, rep, signed):
    from django.utils import translation

    from mdss.contracts import next_steps

    services.instalments_set(
        actor=rep,
        contract=signed,
        rows=[(TODAY, Decimal("100000"), ""), (TODAY + timedelta(days=60), Decimal("280000"), "")],
    )
    deliver(signed, rep, 4)
    with translation.override("en"):
        assert "6 units" in next_steps.after_deliver(signed)
    client.force_login(rep)
    response = client.post(
        f"/contracts/{signed.pk}/payments/",
        {"pay-received_on": TODAY.isoformat(), "pay-amount": "100000"},
    )
    message = _messages(response)[-1]
    assert (TODAY + timedelta(days=60)).isoformat() in message and "¥280,000.00" in message
    deliver(signed, rep, 6)
    with translation.override("en"):
        assert "everything is delivered" in next_steps.after_deliver(signed)
    response = client.post(
        f"/contracts/{signed.pk}/payments/",
        {"pay-received_on": TODAY.isoformat(), "pay-amount": "280000"},
    )
    signed.refresh_from_db()
    assert signed.status == "completed"
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert _messages(response)[-1] == next_steps.after_pay(signed)
    with translation.override("en"):
        assert "completed" in next_steps.after_pay(signed)


def test_a_problem_names_who_resolves_it_and_by_when(client, rep, signed):
    from mdss.calendars.selectors import clocks_for

    client.force_login(rep)
    response = client.post(
        f"/contracts/{signed.pk}/problems/",
        {"problem-kind": "late_delivery", "problem-description": "到货延迟"},
    )
    clock = clocks_for(signed.problems.get()).get()
    (message,) = _messages(response)
    assert str(rep) in message and timezone.localtime(clock.due_at).date().isoformat() in message


def test_escalation_names_the_role_and_closing_says_nobody_needs_to_act(signed, management):
    from django.utils import translation

    from mdss.accounts import roles
    from mdss.contracts import next_steps

    with translation.override("en"):
        assert roles.role_label(roles.MANAGEMENT) in next_steps.after_problem("escalate", None)
        assert "nobody needs to act" in next_steps.after_cancel(signed)
        assert "nobody needs to act" in next_steps.after_terminate(signed)
