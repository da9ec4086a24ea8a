"""Credentials: who logged in or failed to, and the doors where a password is re-entered.

- Logins, failed logins and lockouts (django-axes) are audit events, with the client
  address as the trusted proxies report it (``client_ip``).
- A password typed to sign (legal approval, price decisions, overrides, policy) or
  to change one's password is checked by ``check_password``: each failure is
  audited, and after ``MDSS_PASSWORD_FAILURE_LIMIT`` failures those doors lock for
  the cool-off time and the user and the administrators are told. Otherwise a stolen
  session could guess its owner's password through a signature form without limit.
- A password change revokes the user's API tokens (``password_changed``).

Services call ``check_password`` *before* opening their transaction, so the failure
it records is not rolled back with the refused change.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models import F, Sum
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.core.errors import PermissionDenied, ValidationFailed


def client_ip(request) -> str:
    """The client's address. Behind ``MDSS_TRUSTED_PROXY_COUNT`` reverse proxies each
    appends to X-Forwarded-For, so the address the outermost trusted one saw is the
    N-th from the right; anything further left was written by the client and is not
    believed. Without proxies, REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    proxies = settings.MDSS_TRUSTED_PROXY_COUNT
    if not proxies or request is None:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies][:45]


def _audit(*, actor, action, user=None, username="", request=None, **changes):
    from mdss.audit import services as audit

    audit.record(
        actor=actor,
        action=action,
        obj=user,
        object_repr=None if user is not None else username[:150],
        changes={"ip": client_ip(request), **changes} if request is not None else changes,
    )


@receiver(user_logged_in, dispatch_uid="mdss.accounts.login")
def _logged_in(sender, request, user, **kwargs):
    _audit(actor=user, action="accounts.login", user=user, request=request)


@receiver(user_login_failed, dispatch_uid="mdss.accounts.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    from .models import User

    username = str((credentials or {}).get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    _audit(
        actor=None,
        action="accounts.login_failed",
        user=user,
        username=username,
        request=request,
        username_given=username,
    )


def _axes_locked_out(sender, request, username, ip_address, **kwargs):
    from .models import User

    user = User.objects.filter(username=username or "").first()
    _audit(
        actor=None,
        action="accounts.locked_out",
        user=user,
        username=username or "",
        request=request,
        username_given=username or "",
    )
    if user is not None:
        _tell_of_lock(user, "login")


def connect_axes() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_axes_locked_out, dispatch_uid="mdss.accounts.locked_out")


def login_failures_from(address: str) -> int:
    """Failed logins from one address within the cool-off time, whatever the user
    names: a password-spraying client is refused once it passes
    ``MDSS_LOGIN_FAILURES_PER_ADDRESS``."""
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


# --- the password doors -----------------------------------------------------------


def _tell_of_lock(user, door: str) -> None:
    from mdss.notifications.services import notify

    from .models import User

    doors = {
        "login": _("login"),
        "e-signature": _("e-signature"),
        "password change": _("password change"),
    }
    subject = _("%(user)s: password entry locked after repeated failures (%(door)s)") % {
        "user": user.display_name,
        "door": doors.get(door, door),
    }
    body = _(
        "If this was not you, change your password and tell the administrator; "
        "someone may be using your session."
    )
    notify(recipient=user, kind="accounts.locked", subject=subject, body=body)
    for admin in User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk):
        notify(recipient=admin, kind="accounts.locked", subject=subject, body=body)


def is_locked(user) -> bool:
    return user.password_locked_until is not None and user.password_locked_until > timezone.now()


def check_password(user, password: str, *, door: str, field: str = "password") -> None:
    """Accept ``password`` as ``user``'s, or raise naming ``field``; failures count."""
    from .models import User

    fresh = User.objects.only("password_locked_until", "password_failures").get(pk=user.pk)
    if is_locked(fresh):
        raise PermissionDenied(
            _(
                "Password entry is locked after repeated failures until %(time)s; "
                "ask an administrator if you need it sooner."
            )
            % {"time": timezone.localtime(fresh.password_locked_until).strftime("%H:%M")}
        )
    if password and user.check_password(password):
        if fresh.password_locked_until is not None or fresh.password_failures:
            User.objects.filter(pk=user.pk).update(password_failures=0, password_locked_until=None)
        return
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(password_failures=F("password_failures") + 1)
        failures = User.objects.values_list("password_failures", flat=True).get(pk=user.pk)
        locked = failures >= settings.MDSS_PASSWORD_FAILURE_LIMIT
        if locked:
            until = timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME)
            User.objects.filter(pk=user.pk).update(password_failures=0, password_locked_until=until)
        _audit(actor=user, action="accounts.password_failed", user=user, door=door, count=failures)
        if locked:
            _audit(actor=None, action="accounts.locked_out", user=user, door=door)
            _tell_of_lock(user, door)
    raise ValidationFailed.single(
        field,
        "esign_password",
        _("The password is not correct: re-enter your own password."),
    )


def password_changed(*, user, actor) -> int:
    """A new password: audited, and every API token of the user revoked (a token
    minted by whoever knew the old password must not outlive it). Returns how many."""
    from .models import ApiToken

    with transaction.atomic():
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        _audit(actor=actor, action="accounts.password_changed", user=user, tokens_revoked=revoked)
    return revoked
