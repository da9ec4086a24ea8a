"""A user's roles and permissions: computed once, cached per user and access version.

Every request asks "which roles?" and "may they?" several times (scopes, services,
navigation). Django's ModelBackend answers with two queries per request and
``role_codes`` with a third. Here the answer (role codes, user and group
permissions) is computed once and kept in the cache under a key that names the user
and the user's ``access_version``; a change of the user's groups or permissions, or
of a group's permissions, increments ``access_version`` in the database
(``m2m_changed`` below), so the next request of that user, in any process, reads
the new version's key and computes afresh. Superuser and active flags are part of
the key too (they are columns of the row every request loads anyway).

``AccessBackend`` replaces ``django.contrib.auth.backends.ModelBackend`` in
AUTHENTICATION_BACKENDS.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, pre_delete

CACHE_SECONDS = 600
_INSTANCE_CACHES = ("_access", "role_codes", "_perm_cache", "_user_perm_cache", "_group_perm_cache")


@dataclass(frozen=True)
class Access:
    role_codes: frozenset[str]
    user_perms: frozenset[str]
    group_perms: frozenset[str]

    @property
    def all_perms(self) -> frozenset[str]:
        return self.user_perms | self.group_perms


def _key(user) -> str:
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return (
        f"mdss:access:{user.pk}:{joined}:{user.access_version}:"
        f"{int(user.is_superuser)}{int(user.is_active)}"
    )


def _compute(user) -> Access:
    from django.contrib.auth.models import Permission

    def names(queryset) -> frozenset[str]:
        return frozenset(
            f"{app}.{codename}"
            for app, codename in queryset.values_list(
                "content_type__app_label", "codename"
            ).order_by()
        )

    roles = frozenset(user.groups.values_list("name", flat=True))
    if not user.is_active:
        return Access(roles, frozenset(), frozenset())
    if user.is_superuser:
        everything = names(Permission.objects.all())
        return Access(roles, everything, everything)
    return Access(
        roles,
        names(Permission.objects.filter(user=user)),
        names(Permission.objects.filter(group__user=user)),
    )


def access_for(user) -> Access:
    """The user's roles and permissions: from the instance, else the cache, else the
    database (three queries, then none until the user's access changes)."""
    found = user.__dict__.get("_access")
    if found is not None:
        return found
    key = _key(user)
    found = cache.get(key)
    if found is None:
        found = _compute(user)
        cache.set(key, found, CACHE_SECONDS)
    user.__dict__["_access"] = found
    return found


def forget(user) -> None:
    """Drop what this instance remembers (its next question recomputes or re-reads)."""
    for name in _INSTANCE_CACHES:
        user.__dict__.pop(name, None)


class AccessBackend(ModelBackend):
    """ModelBackend whose permission sets come from ``access_for`` (no query once
    cached). Object permissions are not used: ``obj`` answers nothing, as before."""

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access_for(user_obj).user_perms)

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access_for(user_obj).group_perms)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return frozenset()
        return access_for(user_obj).all_perms

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)


# --- invalidation --------------------------------------------------------------------------------


def _bump(user_ids) -> None:
    from .models import User

    if user_ids:
        User.objects.filter(pk__in=list(user_ids)).update(access_version=F("access_version") + 1)


def _members_of(through, instance) -> list[int]:
    """Users related to ``instance`` (a group or a permission) through ``through``."""
    from .models import User

    field = "groups" if through is User.groups.through else "user_permissions"
    return list(User.objects.filter(**{field: instance}).values_list("pk", flat=True))


def _user_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A user's groups or own permissions changed (from either side of the relation)."""
    if not reverse:  # user.groups.add(...): the instance is the user
        if action in ("post_add", "post_remove", "post_clear"):
            from .models import User

            _bump([instance.pk])
            # Read back, not +1: the instance may be older than the row.
            instance.access_version = User.objects.filter(pk=instance.pk).values_list(
                "access_version", flat=True
            )[0]
            forget(instance)
    elif action == "pre_clear":  # group.user_set.clear(): the members are gone after it
        instance._access_members = _members_of(sender, instance)
    elif action == "post_clear":
        _bump(getattr(instance, "_access_members", []))
    elif action in ("post_add", "post_remove"):
        _bump(pk_set)


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A group's permissions changed: every member's access changes."""
    from .models import User

    if reverse and action == "pre_clear":  # permission.group_set.clear()
        instance._access_groups = list(instance.group_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        groups = [instance.pk]
    elif action == "post_clear":
        groups = getattr(instance, "_access_groups", [])
    else:
        groups = list(pk_set or [])
    _bump(User.objects.filter(groups__in=groups).values_list("pk", flat=True).distinct())


def _group_deleted(sender, instance, **kwargs):
    """Deleting a group removes its memberships without m2m signals."""
    from .models import User

    _bump(list(User.objects.filter(groups=instance).values_list("pk", flat=True)))


def connect() -> None:
    from django.contrib.auth.models import Group

    from .models import User

    m2m_changed.connect(
        _user_m2m_changed, sender=User.groups.through, dispatch_uid="mdss.access.groups"
    )
    m2m_changed.connect(
        _user_m2m_changed,
        sender=User.user_permissions.through,
        dispatch_uid="mdss.access.user_permissions",
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="mdss.access.group_permissions",
    )
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="mdss.access.group_deleted")
