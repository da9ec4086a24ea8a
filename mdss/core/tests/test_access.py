"""Who may open what: anonymous users, users without a role, personas."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from mdss.core.navigation import _REGISTRY, user_may_see

PUBLIC = {"/accounts/login/", "/i18n/setlang/", "/healthz"}


def _walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue  # admin and API have their own tests below
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            # Fill every converter with 1: the login check runs before the view.
            yield "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).replace("^", "").replace("$", "")


def all_page_paths():
    return sorted(set(_walk(get_resolver().url_patterns)) - PUBLIC)


@pytest.mark.parametrize("path", all_page_paths())
def test_anonymous_user_is_sent_to_login_from_every_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_user_is_sent_to_admin_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_login_page_and_health_check_are_public(client, db):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok"}


def test_user_without_a_role_sees_no_business_pages(client, outsider):
    client.force_login(outsider)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert b'data-testid="no-role"' in dashboard.content
    # The sidebar offers only the dashboard, notifications and the profile.
    visible = [item.url_name for item in _REGISTRY if user_may_see(outsider, item)]
    assert sorted(visible) == ["accounts:profile", "core:dashboard", "notifications:list"]
    assert client.get("/calendars/").status_code == 403
    assert client.get("/accounts/users/").status_code == 403
    assert client.get(f"/accounts/users/{outsider.pk}/").status_code == 200  # oneself only


def test_customer_role_does_not_open_staff_directory(client, customer_user):
    client.force_login(customer_user)
    assert client.get("/accounts/users/").status_code == 403


def test_sidebar_follows_the_role(client, rep, sales_manager):
    client.force_login(rep)
    page = client.get("/").content.decode()
    assert "/accounts/users/" not in page
    client.force_login(sales_manager)
    page = client.get("/").content.decode()
    assert "/accounts/users/" in page


def test_every_demo_role_can_open_its_dashboard(client, db):
    from mdss.accounts.models import User
    from mdss.core.management.commands.seed_demo import demo_modules
    from mdss.core.reference import load_reference_data

    load_reference_data()
    for module in demo_modules():
        module.seed()
    for user in User.objects.all():
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200, user.username
        assert user.display_name in response.content.decode()


def test_the_dashboard_costs_the_same_queries_whatever_the_data(client, engineer, rep, other_rep):
    from mdss.calendars import services
    from mdss.core.testing import assert_fixed_queries

    def busy():
        for subject in (rep, other_rep, engineer):
            services.clock_start(subject=subject, code="service.contact", responsible=engineer)

    client.force_login(engineer)
    assert assert_fixed_queries(client, ["/"], busy)[0] <= 12


def test_only_the_best_matching_sidebar_item_is_active(management):
    from mdss.core.navigation import nav_for_user

    items = [
        i for section in nav_for_user(management, "/pricing/changes/3/") for i in section["items"]
    ]
    assert [i["url"] for i in items if i["active"]] == ["/pricing/changes/"]
