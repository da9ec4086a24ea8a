"""Request id, log-in requirement and API idempotency."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .request_context import clear_request_id, new_request_id, set_current_request


class RequestIdMiddleware:
    """Gives every request an id (X-Request-ID), stored with audit rows and logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id(request.headers.get("X-Request-ID"))
        set_current_request(request)
        try:
            response = self.get_response(request)
        finally:
            clear_request_id()
        response["X-Request-ID"] = request.request_id
        return response


# Paths that work without a session. The API authenticates itself (bearer token or
# session) and answers 401 rather than redirecting to a login page.
PUBLIC_PREFIXES = ("/api/", "/static/", "/i18n/", "/healthz", "/favicon.ico")
# What an account without a staff role (a customer user, or one not given a role yet)
# may open: its own account and notifications. Every other page is the distributor's
# internal work, refused (403) before any view runs, so a new page is staff-only by
# default. The customer portal (/portal/) answers only customers with a portal account.
NON_STAFF_PAGES = ("/accounts/", "/notifications/", "/i18n/", "/static/", "/admin/", "/portal/")
NON_STAFF_API = ("/api/v1/accounts/me", "/api/v1/notifications", "/api/v1/portal")


def staff_only(path: str) -> bool:
    """Is ``path`` closed to accounts without a staff role?"""
    if path.startswith("/api/"):
        return not path.startswith(NON_STAFF_API)
    return path != "/" and not path.startswith(NON_STAFF_PAGES)


def login_not_required(view):
    """Mark a page as public (the login page, the health check)."""
    view.login_required = False
    return view


class LoginRequiredMiddleware:
    """Every page needs a logged-in user unless it says otherwise.

    Safer than a decorator on each view: a new page is private by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            from .permissions import is_staff_member

            # (The API checks its own callers once it knows them: core.api._staff_gate.)
            page = not request.path.startswith("/api/")
            if page and staff_only(request.path) and not is_staff_member(request.user):
                raise PermissionDenied
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class IdempotencyMiddleware:
    """Honours ``Idempotency-Key`` on API POSTs: a repeated key returns the first response.

    The key is scoped to the caller (session user or bearer token). Reusing a key
    for a different request body or path is refused with 422, so a client bug
    cannot silently return somebody else's result. Server errors (5xx) are not
    stored, so the client may retry them.

    Concurrent retries: the key is reserved first, by inserting its row inside a
    transaction that spans the request. A duplicate arriving meanwhile blocks on the
    unique index (PostgreSQL) or on the write lock (SQLite) until the first commits,
    then replays its response; if the first takes longer than
    ``MDSS_IDEMPOTENCY_WAIT_SECONDS`` the duplicate gets 409
    ``idempotency_in_progress``. A 5xx rolls the reservation back with everything else.
    """

    header = "Idempotency-Key"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(self.header)
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)

        scope = self._scope(request)
        if scope is None:  # unauthenticated: let the API answer 401
            return self.get_response(request)
        if len(key) > 255 or "\x00" in key:
            return self._error(
                request, _("The Idempotency-Key header must be 1 to 255 characters, without NUL.")
            )
        fingerprint = self._fingerprint(request)
        with transaction.atomic():
            reserved = self._reserve(request, scope, key, fingerprint)
            if isinstance(reserved, HttpResponse):
                return reserved
            response = self.get_response(request)
            if response.status_code >= 500 or getattr(response, "streaming", False):
                transaction.set_rollback(True)  # the reservation goes with the failure
                return response
            reserved.status_code = response.status_code
            reserved.content_type = response.get("Content-Type", "application/json")
            reserved.body = response.content
            reserved.save(update_fields=["status_code", "content_type", "body"])
        return response

    @staticmethod
    def _fingerprint(request) -> str:
        from django.http.request import RawPostDataException

        digest = hashlib.sha256(request.path.encode() + b"\n")
        try:
            digest.update(request.body)
        except RawPostDataException:
            # A multipart upload already parsed from the stream (BadInputMiddleware
            # checks its fields): the fields and the files' bytes stand for the body.
            for name, values in sorted(request.POST.lists()):
                digest.update(repr((name, values)).encode())
            for name, files in sorted(request.FILES.lists()):
                for upload in files:
                    digest.update(repr((name, upload.name, upload.size)).encode())
                    for chunk in upload.chunks():
                        digest.update(chunk)
                    upload.seek(0)
        return digest.hexdigest()

    def _reserve(self, request, scope, key, fingerprint):
        """The new row for this key, or the response to give instead (replay, 409, 422)."""
        from .models import IdempotencyRecord

        cutoff = timezone.now() - timedelta(hours=settings.MDSS_IDEMPOTENCY_TTL_HOURS)
        IdempotencyRecord.objects.filter(scope=scope, key=key, created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                self._wait_at_most(settings.MDSS_IDEMPOTENCY_WAIT_SECONDS)
                record = IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    method=request.method,
                    path=request.path[:500],
                    request_hash=fingerprint,
                    status_code=0,
                    content_type="",
                    body=b"",
                )
                self._wait_at_most(0)
            return record
        except OperationalError:
            return self._in_progress(request)
        except IntegrityError:
            pass
        previous = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if previous is None or previous.status_code == 0:
            return self._in_progress(request)
        if previous.request_hash != fingerprint:
            return self._error(
                request, _("This Idempotency-Key was already used for a different request.")
            )
        replay = HttpResponse(
            bytes(previous.body), status=previous.status_code, content_type=previous.content_type
        )
        replay["Idempotent-Replayed"] = "true"
        return replay

    @staticmethod
    def _wait_at_most(seconds: float) -> None:
        # How long an INSERT waits for a concurrent holder of the same key (PostgreSQL;
        # SQLite waits on its write lock for the connection's timeout).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, true)", [f"{int(seconds * 1000)}ms"]
                )

    @staticmethod
    def _in_progress(request):
        return JsonResponse(
            {
                "code": "idempotency_in_progress",
                "message": _(
                    "A request with this Idempotency-Key is still being processed; "
                    "retry in a moment."
                ),
                "errors": [],
                "request_id": getattr(request, "request_id", ""),
            },
            status=409,
        )

    @staticmethod
    def _scope(request) -> str | None:
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            # A revoked or unknown token gets no replay: the API will answer 401.
            from mdss.accounts.selectors import api_token_authenticate

            raw = auth[7:].strip()
            if api_token_authenticate(raw) is None:
                return None
            return "t:" + hashlib.sha256(raw.encode()).hexdigest()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"u:{user.pk}"
        return None

    @staticmethod
    def _error(request, message):
        return JsonResponse(
            {
                "code": "validation_error",
                "message": message,
                "errors": [
                    {"field": "Idempotency-Key", "rule": "idempotency_key", "message": message}
                ],
                "request_id": getattr(request, "request_id", ""),
            },
            status=422,
        )


class ApplicationErrorMiddleware:
    """A page view that lets an ApplicationError escape gets the matching page
    (403, 404, or the message with its status), not a server error. The API maps
    the same errors to JSON itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .errors import ApplicationError, NotFound, PermissionDenied

        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", status=403)
        if isinstance(exception, NotFound):
            return render(request, "404.html", status=404)
        return render(request, "error.html", {"error": exception}, status=exception.status_code)


class DebugOnlyOnLoopbackMiddleware:
    """With DEBUG on (the default of ``make run``), answer only this machine.

    DEBUG shows tracebacks with settings and data to whoever causes an error; a
    production start that forgot ``DJANGO_DEBUG=0`` would leak them. So while DEBUG is
    on, a request from any address but the loopback gets 503 saying what to set.
    Installed only when DEBUG is on (settings.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import ipaddress

        address = request.META.get("REMOTE_ADDR", "")
        try:
            loopback = ipaddress.ip_address(address).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            return HttpResponse(
                "MDSS runs with DEBUG on, which serves only this machine (127.0.0.1). "
                "For other machines start it with DJANGO_DEBUG=0 (see docs/deploy.md).",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
