"""The people directory: scope per role, 404 outside scope, fixed query counts."""

import pytest

from mdss.accounts.selectors import user_list_for_user
from mdss.accounts.tests.factories import UserFactory


def test_a_manager_sees_the_own_department_and_reports(sales_manager, rep, other_rep, engineer):
    visible = set(user_list_for_user(sales_manager).values_list("username", flat=True))
    assert {"manager", "rep", "rep2"} <= visible
    assert "engineer" not in visible


def test_management_and_hr_see_everybody(management, trainer, rep, engineer):
    for viewer in (management, trainer):
        visible = set(user_list_for_user(viewer).values_list("username", flat=True))
        assert {"rep", "engineer", "boss", "trainer"} <= visible


def test_a_user_outside_scope_is_a_404_in_page_and_api(client, api_client, sales_manager, engineer):
    client.force_login(sales_manager)
    assert client.get(f"/accounts/users/{engineer.pk}/").status_code == 404
    api_client.as_user(sales_manager)
    response = api_client.get(f"/api/v1/accounts/users/{engineer.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_rep_may_not_list_people(client, api_client, rep):
    client.force_login(rep)
    assert client.get("/accounts/users/").status_code == 403
    response = api_client.as_user(rep).get("/api/v1/accounts/users")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_search_filters_the_directory_in_page_and_api(
    client, api_client, management, rep, other_rep
):
    client.force_login(management)
    page = client.get("/accounts/users/", {"q": "孙"}).content.decode()
    assert "孙代表" in page and "李代表" not in page
    body = api_client.as_user(management).get("/api/v1/accounts/users", {"search": "孙"}).json()
    assert [u["username"] for u in body["items"]] == ["rep"]


def test_htmx_search_returns_only_the_table(client, management, rep):
    client.force_login(management)
    response = client.get("/accounts/users/", {"q": "孙"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert 'data-testid="user-table"' in content
    assert "<html" not in content


@pytest.mark.parametrize("extra_people", [0, 20])
def test_directory_page_costs_a_fixed_number_of_queries(
    client, management, extra_people, django_assert_num_queries
):
    from mdss.accounts.tests.factories import RegionFactory

    region = RegionFactory()
    for i in range(extra_people):
        person = UserFactory(username=f"p{i}", roles=["sales_rep"], superior=management)
        person.regions.add(region)
    client.force_login(management)
    client.get("/accounts/users/")
    # session, user, count, page, groups, regions (roles and permissions: access cache)
    with django_assert_num_queries(6):
        client.get("/accounts/users/")


@pytest.mark.parametrize("extra_people", [0, 20])
def test_directory_api_costs_a_fixed_number_of_queries(
    api_client, management, extra_people, django_assert_num_queries
):
    for i in range(extra_people):
        UserFactory(username=f"p{i}", roles=["sales_rep"])
    api_client.as_user(management).get("/api/v1/accounts/users")
    # token and user, page, groups, regions, count (roles and permissions: access cache)
    with django_assert_num_queries(5):
        api_client.get("/api/v1/accounts/users")
