"""Reads of people, regions and tokens for pages and the API."""

from __future__ import annotations

import hashlib

from django.db import connections, router
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mdss.core.notified import Notified
from mdss.core.prepared import Prepared

from .models import ApiToken, Department, Region, User
from .permissions import user_directory_scope


def _with_relations(qs: QuerySet[User]) -> QuerySet[User]:
    # Lists show department, superior, roles and regions: four queries per page in all.
    return qs.select_related("department", "superior").prefetch_related(
        "groups", Prefetch("regions", queryset=Region.objects.select_related("parent"))
    )


def user_list_for_user(viewer: User, *, search: str = "", role: str = "", department: str = ""):
    qs = User.objects.filter(user_directory_scope(viewer))
    if search:
        from django.db.models import Q

        qs = qs.filter(
            Q(username__icontains=search)
            | Q(full_name__icontains=search)
            | Q(employee_no__icontains=search)
            | Q(phone__icontains=search)
        )
    if role:
        qs = qs.filter(groups__name=role)
    if department:
        qs = qs.filter(department__code=department)
    return _with_relations(qs).order_by("department__code", "username").distinct()


def user_get_for_user(viewer: User, pk: int) -> User:
    """A user the viewer may see, or 404 (outside scope looks exactly like missing)."""
    return get_object_or_404(
        _with_relations(User.objects.filter(user_directory_scope(viewer))), pk=pk
    )


_regions_of_user = Prepared(
    Region,
    lambda user_id: Region.objects.filter(users__id=user_id).select_related("parent"),
    kinds=(int,),
)


def user_me(user: User) -> User:
    """The signed-in user with what ``/me`` shows: department and superior (joined by
    the token query; fetched here after a session sign-in), regions in ``my_regions``
    (one query, compiled once: core/prepared.py); roles and permissions come from the
    access cache (access.py)."""
    prefetch_related_objects([user], "department", "superior")
    user.my_regions = _regions_of_user(user.pk)
    return user


def region_list(*, parent_code: str | None = None, level: str = "") -> QuerySet[Region]:
    qs = Region.objects.select_related("parent")
    if parent_code is not None:
        qs = qs.filter(parent__code=parent_code) if parent_code else qs.filter(parent__isnull=True)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("parent", "head").order_by("code")


def api_token_list_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Token, user, department and superior in one query, compiled once per process
# (core/prepared.py: compiling it cost more than running it); roles and permissions
# then come from the access cache (access.py), so an API call starts with one query.
_token_by_hash = Prepared(
    ApiToken,
    lambda token_hash: (
        ApiToken.objects.select_related("user__department", "user__superior")
        .filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .order_by()[:1]
    ),
)


# The token's row, kept per database session until PostgreSQL notifies a change to
# tokens, users or departments (migration 0004_auth_notify, core/notified.py): most
# API calls then send no query for their token.
KEPT_TOKENS = Notified("mdss_auth")


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None (unknown, revoked, expired, inactive)."""
    if not raw:
        return None
    token_hash = hash_token(raw)
    kept = KEPT_TOKENS.lookup(
        connections[router.db_for_read(ApiToken)],
        token_hash,
        lambda: _token_by_hash.rows(token_hash),
    )
    if kept is None:
        return None
    [token] = _token_by_hash.objects(kept.rows)
    if not token.is_active:
        return None
    now = timezone.now()
    # Touch last_used_at at most once a minute: a write per API call would double its cost.
    last = max(filter(None, (token.last_used_at, kept.note)), default=None)
    if last is None or (now - last).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        kept.note = now  # the use this process last recorded
    return token.user
