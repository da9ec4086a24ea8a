from datetime import date

import pytest
import time_machine

from mdss.core.testing import assert_fixed_queries
from mdss.customers.models import Customer, Feedback
from mdss.customers.tests.factories import (
    ContactFactory,
    CustomerFactory,
    FeedbackFactory,
    PlanFactory,
    QualificationFactory,
)

API = "/api/v1/customers"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        yield


def test_a_rep_gets_own_customers_and_404_for_others(api_client, rep, other_rep):
    mine = CustomerFactory(owner=rep)
    theirs = CustomerFactory(owner=other_rep)
    ContactFactory(customer=theirs)
    api = api_client.as_user(rep)
    body = api.get(API).json()
    assert [c["id"] for c in body["items"]] == [mine.pk]
    for path in ["", "/contacts", "/qualifications", "/activities", "/visits", "/may-buy?model=1"]:
        assert api.get(f"{API}/{theirs.pk}{path}").status_code == 404, path
    assert (
        api.post(f"{API}/{theirs.pk}/contacts", {"name": "x", "mobile": "13800138000"}).status_code
        == 404
    )
    assert api.patch(f"{API}/{theirs.pk}", {"address": "x"}).status_code == 404
    assert api.get(f"{API}/{theirs.pk + 1000}").status_code == 404  # unknown looks the same


def test_create_with_bad_fields_answers_422_naming_each(api_client, rep, city):
    api = api_client.as_user(rep)
    response = api.post(
        API,
        {
            "name": "杭州市第一人民医院",
            "kind": "public_hospital",
            "region_id": city.pk,
            "credit_code": "91350100M000100Y44",
        },
    )
    assert response.status_code == 422
    rules = {(e["field"], e["rule"]) for e in response.json()["errors"]}
    assert rules == {("credit_code", "credit_code_check"), ("hospital_level", "required")}
    assert not Customer.objects.exists()
    response = api.post(
        API,
        {
            "name": "杭州市第一人民医院",
            "kind": "public_hospital",
            "hospital_level": "3",
            "region_id": city.pk,
            "departments": ["心内科"],
        },
    )
    assert response.status_code == 201
    assert response.json()["owner_id"] == rep.pk and response.json()["status"] == "potential"


def test_an_edit_through_the_api_is_audited(api_client, rep, city):
    from mdss.audit.testing import assert_audited

    customer = CustomerFactory(owner=rep, region=city)
    response = api_client.as_user(rep).patch(f"{API}/{customer.pk}", {"address": "上塘路 1 号"})
    assert response.status_code == 200 and response.json()["address"] == "上塘路 1 号"
    assert_audited("customers.customer_changed", customer, actor=rep)


def test_contacts_validate_phones(api_client, rep):
    customer = CustomerFactory(owner=rep)
    api = api_client.as_user(rep)
    response = api.post(f"{API}/{customer.pk}/contacts", {"name": "王主任", "mobile": "1380013800"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mobile"
    response = api.post(
        f"{API}/{customer.pk}/contacts", {"name": "王主任", "mobile": "+86 13800138000"}
    )
    assert response.status_code == 201 and response.json()["mobile"] == "13800138000"


def test_a_visit_through_the_api_replans_and_raises_feedback(api_client, rep, sales_manager):
    customer = CustomerFactory(owner=rep, existing=True)
    api = api_client.as_user(rep)
    due = api.get(f"{API}/visits/due").json()["items"]
    assert [(c["id"], c["overdue"]) for c in due] == [(customer.pk, True)]
    response = api.post(
        f"{API}/{customer.pk}/visits",
        {
            "visited_on": "2026-11-20",
            "product_use": "运行正常",
            "satisfaction": 5,
            "feedback": "希望增加便携型号",
            "flag_for_strategy": True,
            "feedback_category": "product",
        },
    )
    assert response.status_code == 201, response.json()
    assert api.get(f"{API}/{customer.pk}").json()["next_visit_due"] == "2027-03-31"
    assert api.get(f"{API}/visits/due").json()["items"] == []
    manager = api_client.as_user(sales_manager)
    open_items = manager.get(f"{API}/feedback?status=open").json()["items"]
    assert [f["text"] for f in open_items] == ["希望增加便携型号"]
    feedback_id = open_items[0]["id"]
    api_client.as_user(rep)
    assert api_client.post(f"{API}/feedback/{feedback_id}/close", {"text": "x"}).status_code == 403
    api_client.as_user(sales_manager)
    closed = manager.post(f"{API}/feedback/{feedback_id}/close", {"text": "明年引进"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert manager.post(f"{API}/feedback/{feedback_id}/act", {"text": "x"}).status_code == 409
    assert Feedback.objects.get().decision == "明年引进"


def test_may_buy_answers_with_reasons(api_client, rep):
    from mdss.catalog.tests.factories import ModelFactory

    model = ModelFactory()
    customer = CustomerFactory(owner=rep)
    QualificationFactory(customer=customer, valid_until=date(2026, 11, 1))
    body = api_client.as_user(rep).get(f"{API}/{customer.pk}/may-buy?model={model.pk}").json()
    assert body["may_buy"] is False
    assert [r["code"] for r in body["reasons"]] == ["qualification_expired"]


def test_plans_with_achievement(api_client, rep, city):
    api = api_client.as_user(rep)
    response = api.post(
        f"{API}/plans",
        {
            "name": "浙江三级医院开发",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "target_kinds": ["public_hospital"],
            "target_region_ids": [city.parent_id],
            "channels": ["trade_show"],
            "target_new_customers": 2,
        },
    )
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    CustomerFactory(owner=rep, region=city, status="existing", became_existing_on=date(2026, 6, 1))
    body = api.get(f"{API}/plans/{plan_id}/achievement").json()
    assert (body["new_customers"], body["new_customer_percent"]) == (1, 50)
    bad = api.post(
        f"{API}/plans",
        {
            "name": "x",
            "period_start": "2026-12-31",
            "period_end": "2026-01-01",
            "channels": ["fax"],
        },
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"period_end", "channels"}


def test_other_teams_plans_are_404(api_client, rep, other_manager):
    plan = PlanFactory(owner=rep)
    assert api_client.as_user(other_manager).get(f"{API}/plans/{plan.pk}").status_code == 404


def test_api_lists_cost_fixed_queries(api_client, rep, sales_manager):
    api = api_client.as_user(sales_manager)

    def add(n):
        for _ in range(n):
            FeedbackFactory(customer=CustomerFactory(owner=rep, existing=True))
            PlanFactory(owner=rep)

    urls = [API, f"{API}?visit=overdue", f"{API}/visits/due", f"{API}/feedback", f"{API}/plans"]
    add(2)
    assert_fixed_queries(api, urls, lambda: add(5))


def test_the_list_rows_say_what_the_detail_says(api_client, management, city):
    # The list is built from values() with the labels computed in SQL (core/rows.py);
    # each row must equal the detail of the same customer, field for field.
    from mdss.accounts.tests.factories import UserFactory

    province_only = CustomerFactory(owner=UserFactory(full_name="王五"), region=city.parent)
    in_city = CustomerFactory(
        owner=UserFactory(full_name="", first_name="Li", last_name="Ming"),
        region=city,
        departments=["放射科"],
    )
    nameless = CustomerFactory(owner=UserFactory(full_name="", username="zhang"), region=city)
    api = api_client.as_user(management)
    rows = {row["id"]: row for row in api.get(API, {"page_size": 50}).json()["items"]}
    for customer in (province_only, in_city, nameless):
        assert rows[customer.pk] == api.get(f"{API}/{customer.pk}").json()
    assert rows[in_city.pk]["region"] == "浙江省 杭州市"
    assert rows[province_only.pk]["region"] == "浙江省"
    assert rows[in_city.pk]["owner"] == "Li Ming"
    assert rows[nameless.pk]["owner"] == "zhang"


def test_the_list_counts_the_filtered_set_on_every_page(api_client, rep, other_rep):
    # The count rides on the page's rows (COUNT(*) OVER ()); past the end it is asked.
    mine = [CustomerFactory(owner=rep) for _ in range(3)]
    CustomerFactory(owner=other_rep)
    api = api_client.as_user(rep)
    pages = [api.get(API, {"page_size": 2, "page": n}).json() for n in (1, 2, 5)]
    assert [p["count"] for p in pages] == [3, 3, 3]
    assert [len(p["items"]) for p in pages] == [2, 1, 0]
    assert {row["id"] for p in pages for row in p["items"]} == {c.pk for c in mine}


def test_the_list_sorts_by_a_column_and_refuses_an_unknown_one(api_client, rep):
    for name, grade in [("乙医院", "A"), ("甲医院", "C"), ("丙医院", "B")]:
        CustomerFactory(owner=rep, name=name, grade=grade)
    api = api_client.as_user(rep)

    def names(sort):
        return [row["name"] for row in api.get(API, {"sort": sort}).json()["items"]]

    assert names("grade") == ["乙医院", "丙医院", "甲医院"]
    assert names("-grade") == ["甲医院", "丙医院", "乙医院"]
    response = api.get(API, {"sort": "password"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["sort"]


@pytest.mark.django_db(transaction=True)
def test_recording_an_activity_is_the_customer_and_one_write_that_commits_alone(api_client, rep):
    """issue 14 §6: the activity and its audit event are one statement, committed on
    its own (PostgreSQL; SQLite has no keys before the insert: row, then event); the
    token, read by the warm-up, is kept by the session (core/notified.py)."""
    from django.db import connection

    from mdss.audit.models import AuditEvent
    from mdss.audit.verify import verify_chain
    from mdss.core.prepared import forget_reserved_keys

    customer = CustomerFactory(owner=rep)
    api = api_client.as_user(rep)
    body = {"kind": "call", "occurred_on": "2026-11-26", "subject": "电话回访"}
    forget_reserved_keys()  # the warm-up takes a whole block of keys
    assert api.post(f"{API}/{customer.pk}/activities", body).status_code == 201  # warm
    sent = []

    def note(execute, sql, params, many, context):
        sent.append((sql.split(None, 1)[0], getattr(connection.connection, "autocommit", None)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        response = api.post(f"{API}/{customer.pk}/activities", body)
    assert response.status_code == 201
    if connection.vendor == "postgresql":
        assert sent == [("SELECT", True), ("WITH", True)]
    else:
        assert [verb for verb, _alone in sent if verb == "INSERT"] == ["INSERT", "INSERT"]
    event = AuditEvent.objects.filter(action="customers.activity_recorded").latest("pk")
    assert event.changes["activity"] == response.json()["id"]
    assert verify_chain().ok
