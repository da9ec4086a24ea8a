from datetime import timedelta

import pytest
from django.utils import timezone

from mdss.accounts import services
from mdss.accounts.models import ApiToken
from mdss.accounts.selectors import api_token_authenticate
from mdss.core.errors import PermissionDenied, ValidationFailed


def test_token_is_stored_hashed_and_shown_once(rep):
    token, raw = services.api_token_create(user=rep, name="erp", actor=rep)
    assert raw.startswith("mdss_")
    assert raw not in token.token_hash
    assert ApiToken.objects.filter(token_hash=raw).count() == 0
    assert api_token_authenticate(raw) == rep
    assert raw.startswith(token.prefix)


def test_token_needs_a_name(rep):
    with pytest.raises(ValidationFailed) as exc:
        services.api_token_create(user=rep, name=" ", actor=rep)
    assert exc.value.errors[0].field == "name"


def test_token_expiry_must_be_in_the_future(rep):
    with pytest.raises(ValidationFailed) as exc:
        services.api_token_create(
            user=rep, name="x", actor=rep, expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert exc.value.errors[0].field == "expires_at"


def test_nobody_creates_tokens_for_somebody_else_except_an_admin(rep, other_rep, admin_user):
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=other_rep, name="x", actor=rep)
    token, _raw = services.api_token_create(user=other_rep, name="x", actor=admin_user)
    assert token.user == other_rep


def test_revoking_is_kept_and_idempotent(rep):
    token, raw = services.api_token_create(user=rep, name="erp", actor=rep)
    services.api_token_revoke(token=token, actor=rep)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    services.api_token_revoke(token=token, actor=rep)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert api_token_authenticate(raw) is None


def test_only_the_owner_revokes(rep, other_rep):
    token, _raw = services.api_token_create(user=rep, name="erp", actor=rep)
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, actor=other_rep)


def test_profile_update_validates_the_email(rep):
    with pytest.raises(ValidationFailed) as exc:
        services.user_update_profile(
            user=rep,
            actor=rep,
            full_name="孙丽",
            phone="1",
            email="not-an-email",
            preferred_language="en",
        )
    assert exc.value.errors[0].field == "email"
    rep.refresh_from_db()
    assert rep.full_name == "孙代表"  # nothing half-written


def test_profile_update_is_for_oneself(rep, other_rep):
    with pytest.raises(PermissionDenied):
        services.user_update_profile(
            user=other_rep, actor=rep, full_name="x", phone="", email="", preferred_language=""
        )


def test_regions_are_loaded_once(db):
    from mdss.accounts.models import Region

    added = services.region_seed_reference()
    assert added == Region.objects.count() > 370
    assert Region.objects.filter(level="province").count() == 34
    assert Region.objects.get(code="440300").parent.name == "广东省"
    assert services.region_seed_reference() == 0
