"""Who may see which people (row-level scope for the user directory)."""

from django.db.models import Q

from . import roles


def user_directory_scope(viewer) -> Q:
    """A filter on User that a viewer may see.

    Management, HR/trainers and administrators see every member of staff (HR runs
    training for all of them); other managers see their own department and their
    direct reports; anybody else sees only themselves.
    """
    if viewer.is_superuser or viewer.has_role(roles.MANAGEMENT, roles.TRAINER):
        return Q(is_active=True) | Q(is_active=False)
    scope = Q(pk=viewer.pk) | Q(superior_id=viewer.pk)
    if viewer.department_id and viewer.has_perm("accounts.view_user"):
        scope |= Q(department_id=viewer.department_id)
    return scope


def can_use_directory(viewer) -> bool:
    return viewer.is_superuser or viewer.has_perm("accounts.view_user")
