"""Every change to users and tokens goes through here."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import PermissionDenied, ValidationFailed

from .models import ApiToken, User
from .selectors import hash_token

logger = logging.getLogger(__name__)


def api_token_create(
    *, user: User, name: str, actor: User, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token (shown only once)."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("Only administrators can create tokens for other users."))
    from mdss.core.permissions import is_staff_member

    if not is_staff_member(user):
        # The API is for the distributor's staff and its integrations; a customer's
        # account reaches only its own profile and notifications.
        raise PermissionDenied(_("API tokens are for staff accounts."))
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.single("name", "required", _("Give the token a name."))
    if len(name) > 100:
        raise ValidationFailed.single(
            "name", "max_length", _("The name is longer than 100 characters.")
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed.single(
            "expires_at", "future", _("The expiry must be in the future.")
        )
    if expires_at is None:
        expires_at = timezone.now() + timedelta(days=settings.MDSS_API_TOKEN_DAYS)
    raw = settings.MDSS_API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[: len(settings.MDSS_API_TOKEN_PREFIX) + 6],
            token_hash=hash_token(raw),
            expires_at=expires_at,
        )
        audit.record(
            actor=actor,
            action="accounts.token_created",
            obj=user,
            changes={
                "token": token.pk,
                "name": name,
                "prefix": token.prefix,
                "expires_at": expires_at,
            },
        )
    logger.info("API token %s created for %s by %s", token.pk, user.username, actor.username)
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor=actor,
                action="accounts.token_revoked",
                obj=token.user,
                changes={"token": token.pk, "name": token.name, "prefix": token.prefix},
            )
    logger.info("API token %s revoked by %s", token.pk, actor.username)
    return token


def user_update_profile(
    *, user: User, actor: User, full_name: str, phone: str, email: str, preferred_language: str
) -> User:
    """The fields a person may change about themselves; roles and scope are admin-only."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own profile."))
    if preferred_language not in {"", "zh-hans", "en"}:
        raise ValidationFailed.single(
            "preferred_language", "choice", _("Choose 简体中文 or English.")
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.full_name = full_name.strip()
        user.phone = phone.strip()
        user.email = email.strip()
        user.preferred_language = preferred_language
        try:
            user.full_clean(exclude=["password", "username"])
        except DjangoValidationError as exc:
            raise ValidationFailed.from_django(exc) from exc
        user.save(update_fields=["full_name", "phone", "email", "preferred_language"])
    return user


def region_seed_reference() -> int:
    """Add China's provinces and cities from data/regions_cn.txt; existing rows are kept.

    Returns how many regions were added (0 on a second run). Administrators may have
    corrected names in the admin, so nothing is overwritten.
    """
    from pathlib import Path

    from .choices import RegionLevel
    from .models import Region

    path = Path(__file__).parent / "data" / "regions_cn.txt"
    existing = set(Region.objects.values_list("code", flat=True))
    added = 0
    province = None
    with transaction.atomic():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            kind, code, name, *english = line.split(maxsplit=3)
            if kind == "P":
                province = Region.objects.filter(code=code).first()
                if province is None:
                    province = Region.objects.create(
                        code=code, name=name, name_en=" ".join(english), level=RegionLevel.PROVINCE
                    )
                    added += 1
            elif code not in existing:
                Region.objects.create(code=code, name=name, level=RegionLevel.CITY, parent=province)
                added += 1
    return added
