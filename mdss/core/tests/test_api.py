"""The API contract every router relies on: auth, error shape, idempotency, OpenAPI."""

import pytest
from openapi_spec_validator import validate

from mdss.accounts.services import api_token_create, api_token_revoke


def test_openapi_document_is_valid(client, rep):
    assert client.get("/api/v1/openapi.json").status_code == 401  # not for anonymous callers
    client.force_login(rep)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/accounts/me" in document["paths"]
    assert "BearerTokenAuth" in document["components"]["securitySchemes"]


def test_docs_are_served_without_a_cdn(client, rep):
    assert client.get("/api/v1/docs").status_code == 302  # to the log-in page
    client.force_login(rep)
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "unpkg" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page


def test_api_without_a_token_answers_401_with_the_error_shape(api_client, db):
    response = api_client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert set(body) == {"code", "message", "errors", "request_id"}
    assert body["request_id"] == response["X-Request-ID"]


def test_an_unknown_token_answers_401(api_client, db):
    api_client.token = "mdss_not-a-real-token"
    assert api_client.get("/api/v1/accounts/me").status_code == 401


def test_a_revoked_token_answers_401(api_client, rep):
    token, raw = api_token_create(user=rep, name="erp", actor=rep)
    api_client.token = raw
    assert api_client.get("/api/v1/accounts/me").status_code == 200
    api_token_revoke(token=token, actor=rep)
    assert api_client.get("/api/v1/accounts/me").status_code == 401


def test_an_expired_token_answers_401(api_client, rep, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    _t, raw = api_token_create(
        user=rep, name="erp", actor=rep, expires_at=timezone.now() + timedelta(hours=1)
    )
    api_client.token = raw
    assert api_client.get("/api/v1/accounts/me").status_code == 200
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert api_client.get("/api/v1/accounts/me").status_code == 401


def test_a_deactivated_users_token_answers_401(api_client, rep):
    api_client.as_user(rep)
    rep.is_active = False
    rep.save()
    assert api_client.get("/api/v1/accounts/me").status_code == 401


def test_me_returns_roles_and_regions(api_client, rep):
    from mdss.accounts.tests.factories import RegionFactory

    rep.regions.add(RegionFactory(code="310000", name="上海市"))
    body = api_client.as_user(rep).get("/api/v1/accounts/me").json()
    assert body["username"] == "rep"
    assert [r["code"] for r in body["roles"]] == ["sales_rep"]
    assert body["regions"] == [{"code": "310000", "name": "上海市"}]
    assert body["superior"]["display_name"] == "钱经理"


def test_session_auth_works_for_the_browser(client, rep):
    client.force_login(rep)
    assert client.get("/api/v1/accounts/me").json()["username"] == "rep"


def test_session_auth_requires_csrf_on_posts(rep):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(rep)
    response = browser.post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_a_422_names_the_field_and_the_rule(api_client, rep):
    api_client.as_user(rep)
    missing = api_client.post("/api/v1/accounts/tokens", {})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "name", "rule": "missing", "message": "Field required"}
    ]
    blank = api_client.post("/api/v1/accounts/tokens", {"name": "  "})
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "name"
    assert blank.json()["errors"][0]["rule"] == "required"


def test_bad_query_parameters_get_the_same_shape(api_client, rep):
    response = api_client.as_user(rep).get("/api/v1/accounts/regions", {"page": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


def test_errors_are_translated_to_chinese_by_default(api_client, rep):
    api_client.as_user(rep)
    body = api_client.post("/api/v1/accounts/tokens", {"name": ""}).json()
    assert body["message"] == "请为令牌起一个名字。"
    english = api_client.post(
        "/api/v1/accounts/tokens", {"name": ""}, headers={"Accept-Language": "en"}
    ).json()
    assert english["message"] == "Give the token a name."


class TestIdempotency:
    def test_a_repeated_key_returns_the_first_response(self, api_client, rep):
        from mdss.accounts.models import ApiToken

        api_client.as_user(rep)
        headers = {"Idempotency-Key": "abc-123"}
        first = api_client.post("/api/v1/accounts/tokens", {"name": "hotline"}, headers=headers)
        second = api_client.post("/api/v1/accounts/tokens", {"name": "hotline"}, headers=headers)
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert second["Idempotent-Replayed"] == "true"
        assert ApiToken.objects.filter(user=rep, name="hotline").count() == 1

    def test_without_a_key_each_post_creates(self, api_client, rep):
        from mdss.accounts.models import ApiToken

        api_client.as_user(rep)
        api_client.post("/api/v1/accounts/tokens", {"name": "hotline"})
        api_client.post("/api/v1/accounts/tokens", {"name": "hotline"})
        assert ApiToken.objects.filter(user=rep, name="hotline").count() == 2

    def test_the_same_key_with_another_body_is_refused(self, api_client, rep):
        api_client.as_user(rep)
        headers = {"Idempotency-Key": "k1"}
        api_client.post("/api/v1/accounts/tokens", {"name": "a"}, headers=headers)
        response = api_client.post("/api/v1/accounts/tokens", {"name": "b"}, headers=headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"

    def test_keys_are_private_to_each_caller(self, api_client, rep, other_rep):
        headers = {"Idempotency-Key": "shared"}
        mine = api_client.as_user(rep).post(
            "/api/v1/accounts/tokens", {"name": "a"}, headers=headers
        )
        theirs = api_client.as_user(other_rep).post(
            "/api/v1/accounts/tokens", {"name": "a"}, headers=headers
        )
        assert theirs.status_code == 201
        assert "Idempotent-Replayed" not in theirs
        assert mine.json()["id"] != theirs.json()["id"]

    def test_a_replayed_key_needs_a_valid_token(self, api_client, rep):
        from mdss.accounts.models import ApiToken

        api_client.as_user(rep)
        headers = {"Idempotency-Key": "k2"}
        api_client.post("/api/v1/accounts/tokens", {"name": "a"}, headers=headers)
        api_token_revoke(token=ApiToken.objects.get(name="test", user=rep), actor=rep)
        assert (
            api_client.post("/api/v1/accounts/tokens", {"name": "a"}, headers=headers).status_code
            == 401
        )


def test_lists_are_paginated(api_client, rep):
    from mdss.accounts.services import region_seed_reference

    region_seed_reference()
    body = (
        api_client.as_user(rep).get("/api/v1/accounts/regions", {"page_size": 10, "page": 2}).json()
    )
    assert body["count"] > 300
    assert body["page"] == 2 and body["page_size"] == 10
    assert len(body["items"]) == 10


@pytest.mark.parametrize("page_size", [1, 50])
def test_region_list_costs_a_fixed_number_of_queries(
    api_client, rep, page_size, django_assert_num_queries
):
    from mdss.accounts.services import region_seed_reference

    region_seed_reference()
    api_client.as_user(rep).get("/api/v1/accounts/regions")  # first use stamps last_used_at
    # token lookup, page, count
    with django_assert_num_queries(3):
        api_client.get("/api/v1/accounts/regions", {"page_size": page_size, "level": "city"})


def test_openapi_json_answers_a_bearer_token(client, rep):
    _token, raw = api_token_create(user=rep, name="schemathesis", actor=rep)
    response = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/pricing/price-lists",
        "/api/v1/accounts/departments",
        "/api/v1/training/sessions",
        "/api/v1/calendars/policy",
    ],
)
def test_a_customer_reads_no_internal_data_through_the_api(api_client, customer_user, rep, path):
    assert api_client.as_user(customer_user).get(path).status_code == 403
    assert api_client.as_user(rep).get(path).status_code == 200


def test_every_api_schema_has_a_name_of_its_own():
    """Two schemas of one name overwrite each other in openapi.json (Ninja keys them by
    class name), so an endpoint would be documented with another app's shape."""
    from collections import defaultdict

    from ninja import Schema

    import mdss.api  # noqa: F401 (every router imported)

    modules = defaultdict(set)

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("mdss."):
                modules[sub.__name__].add(sub.__module__)
            walk(sub)

    walk(Schema)
    assert {name: m for name, m in modules.items() if len(m) > 1} == {}


def test_the_documented_bodies_name_their_fields(client, rep):
    client.force_login(rep)
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    lines = document["paths"]["/api/v1/contracts/{contract_id}/lines"]["post"]
    body = lines["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert set(schemas[body]["properties"]) == {
        "model_id",
        "quantity",
        "unit_price",
        "adjustment_id",
    } or {
        "model_id",
        "quantity",
        "unit_price",
    } <= set(schemas[body]["properties"])
    decisions = [
        op["post"]
        for path, op in document["paths"].items()
        if path.startswith("/api/v1/pricing/adjustments/") and path.endswith("/approve")
    ]
    assert decisions
    ref = decisions[0]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "password" in schemas[ref.split("/")[-1]]["properties"]
