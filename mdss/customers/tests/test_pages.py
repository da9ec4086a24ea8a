from datetime import date

import pytest
import time_machine

from mdss.core.testing import assert_fixed_queries
from mdss.customers.models import Customer, Feedback, ReturnVisit
from mdss.customers.tests.factories import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    FeedbackFactory,
    PlanFactory,
    QualificationFactory,
    ReturnVisitFactory,
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def _customer_urls(customer):
    pk = customer.pk
    return [
        f"/customers/{pk}/",
        f"/customers/{pk}/edit/",
        f"/customers/{pk}/contacts/new/",
        f"/customers/{pk}/qualifications/new/",
        f"/customers/{pk}/activities/new/",
        f"/customers/{pk}/visits/new/",
        f"/customers/{pk}/feedback/new/",
    ]


def test_a_rep_cannot_see_or_guess_another_reps_customer(client, rep, other_rep):
    theirs = CustomerFactory(owner=other_rep, existing=True, name="别人的医院")
    CustomerFactory(owner=rep, name="我的医院")
    client.force_login(rep)
    for url in _customer_urls(theirs):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/customers/{theirs.pk}/visits/new/", {}).status_code == 404
    page = client.get("/customers/").content.decode()
    assert "我的医院" in page and "别人的医院" not in page
    export = client.get("/customers/export.xlsx")
    assert "别人的医院".encode() not in export.content  # xlsx is zipped; checked below too
    from io import BytesIO

    from openpyxl import load_workbook

    names = [
        r[0]
        for r in load_workbook(BytesIO(export.content))["客户"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert names == ["我的医院"]


def test_a_manager_sees_the_team_but_not_another_team(client, rep, sales_manager, other_manager):
    mine = CustomerFactory(owner=rep, existing=True)
    client.force_login(sales_manager)
    for url in _customer_urls(mine):
        assert client.get(url).status_code == 200, url
    client.force_login(other_manager)
    assert client.get(f"/customers/{mine.pk}/").status_code == 404


def test_the_list_filters_by_region_grade_and_overdue_visit(client, rep, city):
    overdue = CustomerFactory(owner=rep, existing=True, region=city, name="逾期医院")
    CustomerFactory(owner=rep, existing=True, next_visit_due=date(2027, 3, 31), name="已回访医院")
    CustomerFactory(owner=rep, name="潜在医院", grade="A")
    client.force_login(rep)
    page = client.get("/customers/", {"visit": "overdue"}).content.decode()
    assert "逾期医院" in page and "已回访医院" not in page and "潜在医院" not in page
    page = client.get("/customers/", {"province": city.parent_id}).content.decode()
    assert "逾期医院" in page and "已回访医院" not in page
    page = client.get("/customers/", {"region": city.pk}).content.decode()
    assert "逾期医院" in page and "已回访医院" not in page
    page = client.get("/customers/", {"grade": "A"}).content.decode()
    assert "潜在医院" in page and "逾期医院" not in page
    page = client.get("/customers/", {"q": "逾期"}, HTTP_HX_REQUEST="true").content.decode()
    assert "逾期医院" in page and "<html" not in page
    assert overdue.next_visit_due < date(2026, 11, 27)


def test_the_rep_records_a_visit_with_feedback_in_the_page(client, rep, sales_manager):
    customer = CustomerFactory(owner=rep, existing=True)
    client.force_login(rep)
    page = client.get("/customers/visits/").content.decode()
    assert customer.name in page
    response = client.post(
        f"/customers/{customer.pk}/visits/new/",
        {
            "visited_on": "2026-11-26",
            "method": "on_site",
            "product_use": "每天使用约 40 例",
            "satisfaction": "3",
            "feedback": "耗材价格偏高",
            "follow_up": "",
            "flag_for_strategy": "on",
            "feedback_category": "price",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.next_visit_due == date(2027, 3, 31)
    assert customer.name not in client.get("/customers/visits/").content.decode()
    # the manager sees the open feedback and closes it with a decision
    client.force_login(sales_manager)
    assert "耗材价格偏高" in client.get("/customers/feedback/").content.decode()
    feedback = Feedback.objects.get()
    response = client.post(
        f"/customers/feedback/{feedback.pk}/close/",
        {"close-decision": "下季度调整耗材价格"},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "closed"


def test_a_bad_visit_shows_the_field_errors_and_writes_nothing(client, rep):
    customer = CustomerFactory(owner=rep, existing=True)
    client.force_login(rep)
    response = client.post(
        f"/customers/{customer.pk}/visits/new/",
        {
            "visited_on": "2026-12-01",
            "method": "on_site",
            "product_use": "x",
            "satisfaction": "4",
            "feedback_category": "other",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["visited_on"]
    assert not ReturnVisit.objects.exists()


def test_a_customer_form_reports_duplicates_on_the_field(client, rep, city):
    CustomerFactory(owner=rep, name="杭州市第一人民医院")
    client.force_login(rep)
    response = client.post(
        "/customers/new/",
        {
            "name": "杭州市第一人民医院",
            "kind": "public_hospital",
            "hospital_level": "3",
            "region": city.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    response = client.post(
        "/customers/new/",
        {
            "name": "杭州市第二人民医院",
            "kind": "public_hospital",
            "hospital_level": "3",
            "region": city.pk,
            "departments": "心内科、ICU",
        },
    )
    assert response.status_code == 302
    created = Customer.objects.get(name="杭州市第二人民医院")
    assert created.owner == rep and created.departments == ["ICU", "心内科"]


def test_the_manager_sees_the_teams_overdue_visits_by_rep(client, rep, other_rep, sales_manager):
    CustomerFactory(owner=rep, existing=True)
    CustomerFactory(owner=other_rep, existing=True)
    CustomerFactory(owner=other_rep, existing=True, next_visit_due=date(2026, 12, 31))
    client.force_login(sales_manager)
    response = client.get("/customers/visits/")
    by_rep = {r["owner__username"]: (r["due"], r["overdue"]) for r in response.context["by_rep"]}
    assert by_rep == {"rep": (1, 1), "rep2": (2, 1)}
    assert 'id="visits-chart"' in response.content.decode()


def test_the_dashboard_card_counts_visits_and_feedback(client, rep):
    CustomerFactory(owner=rep, existing=True)
    FeedbackFactory(customer=CustomerFactory(owner=rep, existing=True))
    client.force_login(rep)
    card = next(
        c for c in client.get("/").context["cards"] if c["template"].startswith("customers")
    )
    assert (card["due"], card["overdue"], card["open_feedback"]) == (2, 2, 1)


def test_the_manager_s_card_counts_the_team_and_charts_the_worst_reps(
    client, rep, other_rep, sales_manager
):
    """Counted per owner, then the owners outside the team left out: another team's
    customers count for nobody here; the chart lists the worst rep first (drawn at
    the top, so last in the option) and ties by the rep's key."""
    from mdss.accounts import roles
    from mdss.accounts.tests.factories import UserFactory

    elsewhere = UserFactory(username="rep-north", full_name="北区代表", roles=[roles.SALES_REP])
    CustomerFactory(owner=rep, existing=True)
    for _ in range(2):
        CustomerFactory(owner=other_rep, existing=True)
    CustomerFactory(owner=other_rep, existing=True, next_visit_due=date(2026, 12, 31))
    CustomerFactory(owner=sales_manager, existing=True, next_visit_due=date(2026, 12, 31))
    for _ in range(3):
        CustomerFactory(owner=elsewhere, existing=True)
    client.force_login(sales_manager)
    card = next(
        c for c in client.get("/").context["cards"] if c["template"].startswith("customers")
    )
    assert (card["due"], card["overdue"]) == (5, 3)
    assert card["chart"]["yAxis"]["data"] == [rep.display_name, other_rep.display_name]
    assert card["chart"]["series"][0]["data"] == [1, 2]


def test_lists_cost_fixed_queries(client, rep, sales_manager):
    def add(n):
        for _ in range(n):
            customer = CustomerFactory(owner=rep, existing=True)
            FeedbackFactory(customer=customer)
            PlanFactory(owner=rep)

    add(2)
    client.force_login(sales_manager)
    urls = [
        "/customers/",
        "/customers/?visit=overdue",
        "/customers/visits/",
        "/customers/feedback/",
        "/customers/plans/",
    ]
    assert_fixed_queries(client, urls, lambda: add(5))


def test_the_customer_page_costs_fixed_queries(client, rep):
    customer = CustomerFactory(owner=rep, existing=True)

    def add(n):
        for _ in range(n):
            ContactFactory(customer=customer)
            QualificationFactory(customer=customer)
            ActivityFactory(customer=customer)
            ReturnVisitFactory(customer=customer)
            FeedbackFactory(customer=customer)

    add(1)
    client.force_login(rep)
    assert_fixed_queries(client, [f"/customers/{customer.pk}/"], lambda: add(4))


def test_a_plan_shows_planned_against_achieved(client, rep, sales_manager):
    plan = PlanFactory(owner=rep, target_new_customers=4, target_kinds=["public_hospital"])
    CustomerFactory(owner=rep, status="existing", became_existing_on=date(2026, 3, 1))
    CustomerFactory(owner=rep, status="existing", became_existing_on=date(2025, 3, 1))
    CustomerFactory(
        owner=rep,
        kind="dealer",
        hospital_level="",
        status="existing",
        became_existing_on=date(2026, 3, 1),
    )
    client.force_login(sales_manager)
    response = client.get(f"/customers/plans/{plan.pk}/")
    result = response.context["result"]
    assert (result["new_customers"], result["new_customer_percent"]) == (1, 25)
    assert result["target_customers"] == 2


def test_a_rep_cannot_reassign_or_import(client, rep):
    customer = CustomerFactory(owner=rep)
    client.force_login(rep)
    assert client.get(f"/customers/{customer.pk}/reassign/").status_code == 403
    assert client.get("/customers/import/").status_code == 403
    assert client.get("/customers/export.xlsx?contacts=1").status_code == 403


@pytest.mark.parametrize("persona", ["engineer", "warehouse", "customer_user"])
def test_people_outside_sales_do_not_open_customers(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/customers/").status_code == 403


def test_a_lead_becomes_a_customer_and_counts_as_converted(client, rep, city):
    from mdss.customers.models import Campaign, Lead

    plan = PlanFactory(owner=rep)
    campaign = Campaign.objects.create(
        plan=plan, kind="trade_show", name="CMEF", starts_on=date(2026, 4, 8)
    )
    lead = Lead.objects.create(campaign=campaign, organisation="嘉兴市第一医院", captured_by=rep)
    client.force_login(rep)
    form = client.get(f"/customers/new/?lead={lead.pk}").context["form"]
    assert (form.initial["name"], form.initial["source"]) == ("嘉兴市第一医院", "trade_show")
    response = client.post(
        f"/customers/new/?lead={lead.pk}",
        {
            "name": "嘉兴市第一医院",
            "kind": "public_hospital",
            "hospital_level": "3",
            "region": city.pk,
            "source": "trade_show",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.customer.name == "嘉兴市第一医院"
    result = client.get(f"/customers/plans/{plan.pk}/").context["result"]
    assert (result["leads"], result["leads_converted"]) == (1, 1)


def test_the_admin_shows_customers_read_only(client, admin_user, rep):
    customer = CustomerFactory(owner=rep)
    client.force_login(admin_user)
    assert client.get("/admin/customers/customer/").status_code == 200
    page = client.get(f"/admin/customers/customer/{customer.pk}/change/").content.decode()
    assert 'name="_save"' not in page


def test_the_import_page_lists_every_problem_and_imports_nothing(client, sales_manager, rep, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mdss.customers.tests.test_excel import _book, _row

    client.force_login(sales_manager)
    bad = _book([_row("杭州市第一人民医院"), _row("杭州市第二人民医院", kind="医院")])
    response = client.post("/customers/import/", {"file": SimpleUploadedFile("c.xlsx", bad)})
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "客户类型" in page
    assert not Customer.objects.exists()
    good = _book([_row("杭州市第一人民医院")])
    response = client.post("/customers/import/", {"file": SimpleUploadedFile("c.xlsx", good)})
    assert response.status_code == 302
    assert Customer.objects.get().owner == rep


def test_a_manager_filters_the_list_by_rep(client, rep, other_rep, sales_manager):
    CustomerFactory(owner=rep, name="孙的医院")
    CustomerFactory(owner=other_rep, name="李的医院")
    client.force_login(sales_manager)
    page = client.get("/customers/", {"owner": other_rep.pk}).content.decode()
    assert "李的医院" in page and "孙的医院" not in page
    assert f'<option value="{other_rep.pk}" selected>' in page


def test_the_customer_table_sorts_by_its_headers_keeping_the_filters(client, rep):
    from mdss.customers.tests.factories import CustomerFactory

    for name, grade in [("乙医院", "A"), ("甲医院", "C"), ("丙医院", "B")]:
        CustomerFactory(owner=rep, name=name, grade=grade, kind="public_hospital")
    client.force_login(rep)
    page = client.get("/customers/", {"kind": "public_hospital", "sort": "-grade", "page": "1"})
    html = page.content.decode()
    assert html.index("甲医院") < html.index("丙医院") < html.index("乙医院")
    # The grade header now sorts ascending, with the filter kept and the page dropped.
    assert 'href="?kind=public_hospital&amp;sort=grade" data-testid="sort-grade"' in html
    assert 'name="sort" value="-grade"' in html


def test_the_visits_due_list_searches_by_name(client, rep):
    CustomerFactory(owner=rep, existing=True, name="上海市第一人民医院")
    CustomerFactory(owner=rep, existing=True, name="杭州市口腔医院")
    client.force_login(rep)
    page = client.get("/customers/visits/", {"q": "口腔"}).content.decode()
    assert "杭州市口腔医院" in page and "上海市第一人民医院" not in page
    assert 'data-count="1"' in page
    long = client.get("/customers/visits/", {"q": "医" * 500})
    assert long.status_code == 200  # too long: refused, nothing filtered, no 500


def test_the_visits_due_list_sorts_by_name(client, rep):
    CustomerFactory(owner=rep, existing=True, name="B医院")
    CustomerFactory(owner=rep, existing=True, name="A医院")
    client.force_login(rep)
    page = client.get("/customers/visits/", {"sort": "-name"}).content.decode()
    assert page.index("B医院") < page.index("A医院")
    page = client.get("/customers/visits/", {"sort": "name"}).content.decode()
    assert page.index("A医院") < page.index("B医院")
