"""API tokens and the internal organisation are for staff; a customer's account shows
neither (issue 15)."""

import pytest

from mdss.accounts.models import ApiToken
from mdss.accounts.services import api_token_create
from mdss.core.errors import PermissionDenied


def test_a_customer_account_gets_no_token_by_any_door(client, api_client, customer_user, rep):
    with pytest.raises(PermissionDenied):
        api_token_create(user=customer_user, name="x", actor=customer_user)
    client.force_login(customer_user)
    assert client.post("/accounts/profile/tokens/", {"name": "x"}).status_code == 403
    # A token from before (raw_token_for) still reaches only the account's own doors.
    api = api_client.as_user(customer_user)
    assert api.post("/api/v1/accounts/tokens", {"name": "x"}).status_code == 403
    assert api.get("/api/v1/accounts/tokens").status_code == 403
    assert not ApiToken.objects.filter(user=customer_user).exclude(name="legacy").exists()
    assert api_token_create(user=rep, name="x", actor=rep)[0].user == rep


def test_a_customer_sees_no_internal_organisation(client, customer_user, rep):
    client.force_login(customer_user)
    for path in ("/", "/accounts/profile/"):
        page = client.get(path).content.decode()
        assert "上级" not in page and "直接下属" not in page and "API 令牌" not in page, path
    client.force_login(rep)
    profile = client.get("/accounts/profile/").content.decode()
    assert "上级" in profile and 'data-testid="api-docs"' in profile


def test_the_api_documentation_is_in_the_sidebar_of_administrators_only(client, rep, admin_user):
    client.force_login(rep)
    assert "/api/v1/docs" not in client.get("/").content.decode()
    client.force_login(admin_user)
    assert "/api/v1/docs" in client.get("/").content.decode()


def test_the_admins_lockout_pages_speak_chinese(client, admin_user):
    client.force_login(admin_user)
    for path, words in [
        ("/admin/axes/accessattempt/", ["登录尝试"]),
        ("/admin/axes/accesslog/", ["登录日志"]),
        ("/admin/axes/accessfailurelog/", ["登录失败"]),
    ]:
        page = client.get(path).content.decode()
        assert [w for w in words if w not in page] == [], path
