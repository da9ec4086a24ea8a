"""What every app's API router shares: authentication, pagination, error shape."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer, SessionAuth

from .errors import (
    ApplicationError,
    FieldError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from .request_context import current_request_id


def _staff_gate(request, user):
    """Accounts without a staff role (customers, role-less) reach only their own
    account and notifications: 403 here, before the operation parses anything."""
    from .middleware import staff_only
    from .permissions import is_staff_member

    if user is not None and not is_staff_member(user) and staff_only(request.path):
        raise PermissionDenied()
    return user


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer mdss_…`` — tokens from ``manage.py create_api_token``."""

    def authenticate(self, request, token):
        from mdss.accounts.selectors import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            # Services and selectors read request.user, whatever authenticated it.
            request.user = user
        return _staff_gate(request, user)


class ActiveSessionAuth(SessionAuth):
    """The browser's session cookie (with Django's CSRF check on unsafe methods)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return _staff_gate(request, user) if user is not None and user.is_active else None


API_AUTH = [BearerTokenAuth(), ActiveSessionAuth()]


class ErrorItem(Schema):
    field: str
    rule: str
    message: str


class ErrorOut(Schema):
    """The one shape of every API error."""

    code: str
    message: str
    errors: list[ErrorItem] = []
    request_id: str = ""


class PageNumberPagination(PaginationBase):
    """``?page=1&page_size=50`` → ``{"items": [...], "count": N, "page": 1, "page_size": 50}``.

    ``count`` is one COUNT query; the page itself one more (plus prefetches), so a
    list costs a fixed number of queries whatever its size.
    """

    class Input(Schema):
        # Bounded: an offset past any real list, and SQLite's 64-bit integers, are a
        # 422 naming ``page``, not a database error.
        page: int = Field(1, ge=1, le=settings.MDSS_MAX_PAGE)
        page_size: int = Field(
            settings.MDSS_API_PAGE_SIZE, ge=1, le=settings.MDSS_API_MAX_PAGE_SIZE
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, **params):
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": queryset.count(),
            "page": pagination.page,
            "page_size": pagination.page_size,
        }


def _location_to_field(loc) -> str:
    # Ninja reports ("body", "payload", "name") or ("query", "page"): keep the part a
    # client recognises, the field names after the parameter group.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form", "cookie", "file"}:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "data", "filters"}:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def install_error_handlers(api) -> None:
    """Map every error the API can raise to ErrorOut."""

    def respond(request, exc: ApplicationError):
        return api.create_response(
            request, exc.as_dict(current_request_id()), status=exc.status_code
        )

    @api.exception_handler(ApplicationError)
    def application_error(request, exc):
        return respond(request, exc)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc):
        errors = [
            FieldError(
                _location_to_field(e.get("loc", ())), e.get("type", "invalid"), e.get("msg", "")
            )
            for e in exc.errors
        ]
        return respond(request, ValidationFailed(errors=errors))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return respond(request, NotAuthenticated())

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, NotFound())

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        err = ApplicationError(str(exc))
        err.status_code = exc.status_code
        err.code = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}.get(
            exc.status_code, "error"
        )
        return respond(request, err)

    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    @api.exception_handler(DjangoPermissionDenied)
    def django_permission_denied(request, exc):
        return respond(request, PermissionDenied())


def referenced(model, pk, field: str):
    """The row an API body names by id, or a 422 naming the body's field (``unknown``):
    a missing reference is bad input, not a missing page. Call it after the caller's
    scope and role are checked, so a 422 tells a forbidden caller nothing. ``model``
    may be a queryset (with the related rows the caller will read)."""
    from django.db.models import QuerySet

    from .errors import ValidationFailed

    rows = model if isinstance(model, QuerySet) else model.objects
    row = rows.filter(pk=pk).first() if pk else None
    if row is None:
        raise ValidationFailed.single(field, "unknown", "No such record.")
    return row
