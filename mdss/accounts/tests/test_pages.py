from mdss.accounts.tests.factories import TEST_PASSWORD


def test_password_change_then_login_with_the_new_password(client, rep):
    client.force_login(rep)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Yi-Liao-2026-new",
            "new_password2": "Yi-Liao-2026-new",
        },
    )
    assert response.status_code == 302
    client.logout()
    login = client.post("/accounts/login/", {"username": "rep", "password": "Yi-Liao-2026-new"})
    assert login.status_code == 302 and login["Location"] == "/"


def test_password_change_names_the_wrong_field(client, rep):
    client.force_login(rep)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "Yi-Liao-2026-new",
            "new_password2": "Yi-Liao-2026-new",
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_profile_page_saves_contact_details_and_language(client, rep):
    client.force_login(rep)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "孙丽",
            "phone": "13900001111",
            "email": "sun@example.com",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert (rep.full_name, rep.phone, rep.preferred_language) == ("孙丽", "13900001111", "en")
    assert response.cookies["django_language"].value == "en"


def test_profile_page_shows_a_bad_email_in_the_form(client, rep):
    client.force_login(rep)
    response = client.post(
        "/accounts/profile/",
        {"full_name": "孙丽", "phone": "", "email": "not-an-email", "preferred_language": ""},
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_a_token_is_shown_once_on_the_profile_page_and_can_be_revoked(client, rep):
    from mdss.accounts.models import ApiToken

    client.force_login(rep)
    client.post("/accounts/profile/tokens/", {"name": "热线系统"})
    first = client.get("/accounts/profile/").content.decode()
    assert 'data-testid="new-token"' in first
    assert 'data-testid="new-token"' not in client.get("/accounts/profile/").content.decode()
    token = ApiToken.objects.get(user=rep)
    client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_logout_ends_the_session(client, rep):
    client.force_login(rep)
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_the_language_switch_names_each_language_in_itself(client, rep):
    """A reader of the other language must recognise it: 简体中文 and English, not 英语."""
    from django.test import Client

    client.force_login(rep)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">English</option>" in page and ">简体中文</option>" in page
    assert "英语" not in page
    login = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="en">English</button>' in login and "英语" not in login
