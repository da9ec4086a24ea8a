"""Credentials: audited logins and tokens, guarded password doors, lockout behind a proxy."""

from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from mdss.accounts import services
from mdss.accounts.models import ApiToken
from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.audit.models import AuditEvent
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.notifications.models import Notification


@pytest.fixture(autouse=True)
def _day():
    """A fixed day: the dates these tests use are set around 27 November 2026."""
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def _events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def _login(client, username, password, **headers):
    headers.setdefault("REMOTE_ADDR", "10.9.8.7")
    return client.post("/accounts/login/", {"username": username, "password": password}, **headers)


# --- tokens -------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_days_by_default(rep, settings):
    settings.MDSS_API_TOKEN_DAYS = 30
    token, _raw = services.api_token_create(user=rep, name="热线系统", actor=rep)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_creating_and_revoking_a_token_are_audit_events(rep):
    token, _raw = services.api_token_create(user=rep, name="ERP", actor=rep)
    created = _events("accounts.token_created", object_id=str(rep.pk)).get()
    assert created.actor == rep and created.changes["prefix"] == token.prefix
    services.api_token_revoke(token=token, actor=rep)
    services.api_token_revoke(token=token, actor=rep)  # idempotent: one event
    assert _events("accounts.token_revoked", object_id=str(rep.pk)).count() == 1


def test_a_new_password_revokes_every_token_and_is_audited(client, rep):
    services.api_token_create(user=rep, name="a", actor=rep)
    services.api_token_create(user=rep, name="b", actor=rep)
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
    assert not ApiToken.objects.filter(user=rep, revoked_at__isnull=True).exists()
    event = _events("accounts.password_changed", object_id=str(rep.pk)).get()
    assert event.actor == rep and event.changes["tokens_revoked"] == 2


def test_a_password_set_by_an_administrator_is_audited_with_the_administrator(
    client, rep, admin_user
):
    services.api_token_create(user=rep, name="a", actor=rep)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{rep.pk}/password/",
        {
            "password1": "Admin-Set-2026-x",
            "password2": "Admin-Set-2026-x",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert _events("accounts.password_changed", object_id=str(rep.pk)).get().actor == admin_user
    assert not ApiToken.objects.filter(user=rep, revoked_at__isnull=True).exists()


# --- logins -------------------------------------------------------------------------


def test_logins_and_failed_logins_are_audit_events(client, rep):
    _login(client, "rep", "wrong")
    _login(client, "nobody", "wrong")
    _login(client, "rep", TEST_PASSWORD)
    failed = _events("accounts.login_failed", object_id=str(rep.pk)).get()
    assert failed.changes["ip"] == "10.9.8.7" and failed.actor is None
    assert _events("accounts.login_failed", object_repr="nobody").exists()
    assert _events("accounts.login", actor=rep).exists()


def test_a_lockout_is_audited_and_told_to_the_user(client, rep, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "rep", "wrong")
    assert _events("accounts.locked_out", object_id=str(rep.pk)).exists()
    assert Notification.objects.filter(recipient=rep, kind="accounts.locked").exists()
    assert Notification.objects.filter(recipient=admin_user, kind="accounts.locked").exists()


def test_behind_the_proxy_a_lockout_is_for_the_address_the_proxy_saw(client, rep, settings):
    settings.MDSS_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    # The attacker at 203.0.113.9 also forges an address of its own on the left.
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "rep", "wrong", **attacker)
    assert _login(client, "rep", TEST_PASSWORD, **attacker).status_code == 429
    colleague = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.50"}
    assert _login(client, "rep", TEST_PASSWORD, **colleague).status_code == 302


def test_password_spraying_from_one_address_is_refused(client, rep, other_rep, settings):
    settings.MDSS_LOGIN_FAILURES_PER_ADDRESS = 3
    for username in ("rep", "rep2", "manager"):
        _login(client, username, "Spring2026!")
    assert _login(client, "rep", TEST_PASSWORD).status_code == 429
    assert _login(client, "rep", TEST_PASSWORD, REMOTE_ADDR="10.9.8.1").status_code == 302


def test_passwords_need_twelve_characters_and_say_so_in_chinese(rep):
    with pytest.raises(ValidationError):
        validate_password("Yl-2026-abc", rep)
    validate_password("Yi-Liao-2026-ok", rep)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password("Yl-2026-abc", rep)
    assert "12" in " ".join(exc.value.messages) and "密码" in " ".join(exc.value.messages)


# --- the password doors --------------------------------------------------------------


def _override(quality, password):
    from mdss.catalog import services as catalog
    from mdss.catalog.tests.factories import ModelFactory

    return catalog.override_grant(
        model=ModelFactory(),
        actor=quality,
        password=password,
        reason="注册证延续申请已受理",
        valid_from=date(2026, 11, 27),
        valid_until=date(2026, 12, 31),
    )


def test_wrong_signature_passwords_count_and_lock_the_signer(quality, admin_user):
    for n in range(settings.MDSS_PASSWORD_FAILURE_LIMIT):
        with pytest.raises(ValidationFailed) as exc:
            _override(quality, f"guess-{n}")
        assert exc.value.errors[0].field == "password"
    # Each failure is recorded although the refused change rolled back.
    assert _events("accounts.password_failed", actor=quality).count() == 5
    assert _events("accounts.locked_out", object_id=str(quality.pk)).exists()
    assert Notification.objects.filter(recipient=quality, kind="accounts.locked").exists()
    assert Notification.objects.filter(recipient=admin_user, kind="accounts.locked").exists()
    # Locked: even the right password is refused until the cool-off ends.
    with pytest.raises(PermissionDenied):
        _override(quality, TEST_PASSWORD)
    quality.refresh_from_db()
    quality.password_locked_until = timezone.now() - timedelta(seconds=1)
    quality.save(update_fields=["password_locked_until"])
    assert _override(quality, TEST_PASSWORD).pk


def test_a_right_password_resets_the_count(quality):
    for n in range(settings.MDSS_PASSWORD_FAILURE_LIMIT - 1):
        with pytest.raises(ValidationFailed):
            _override(quality, f"guess-{n}")
    _override(quality, TEST_PASSWORD)
    quality.refresh_from_db()
    assert quality.password_failures == 0


def test_the_password_change_form_is_a_guarded_door(client, rep):
    client.force_login(rep)
    for n in range(settings.MDSS_PASSWORD_FAILURE_LIMIT):
        response = client.post(
            "/accounts/password/",
            {
                "old_password": f"guess-{n}",
                "new_password1": "Yi-Liao-2026-new",
                "new_password2": "Yi-Liao-2026-new",
            },
        )
        assert "old_password" in response.context["form"].errors
    rep.refresh_from_db()
    assert rep.password_locked_until is not None
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Yi-Liao-2026-new",
            "new_password2": "Yi-Liao-2026-new",
        },
    )
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    rep.refresh_from_db()
    assert rep.check_password(TEST_PASSWORD)
