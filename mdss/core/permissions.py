"""Permission helpers shared by every app's views."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def staff_role_required(view):
    """The page is for staff with at least one role (not for role-less or customer users)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or (user.role_codes - {"customer"})):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def permission_required(perm: str):
    """Like Django's, but answers 403 instead of redirecting a logged-in user to log in."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
