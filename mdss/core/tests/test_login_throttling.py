import pytest
from django.conf import settings

from mdss.accounts.tests.factories import TEST_PASSWORD


def _login(client, username, password, ip="10.9.8.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_correct_password_logs_in(client, rep):
    response = _login(client, "rep", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_shows_an_error_in_the_form(client, rep):
    response = _login(client, "rep", "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_login_locks_after_repeated_failures_for_that_user_and_address(client, rep):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "rep", "wrong")
    locked = _login(client, "rep", TEST_PASSWORD)
    assert locked.status_code == 429
    assert b'data-testid="locked-out"' in locked.content
    # Another address is not locked for the same user …
    assert _login(client, "rep", TEST_PASSWORD, ip="10.9.8.8").status_code == 302


def test_lockout_of_one_user_leaves_other_users_alone(client, rep, other_rep):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "rep", "wrong")
    assert _login(client, "rep2", TEST_PASSWORD).status_code == 302
