"""Permission helpers shared by every app's views."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def is_staff_member(user) -> bool:
    """Staff of the distributor with a role: not a role-less account, not a customer."""
    return bool(user.is_superuser or (user.role_codes - {"customer"}))


def require_staff(request) -> None:
    """For API endpoints of internal data (list prices, the organisation, training
    sessions, the policy): customers and role-less accounts get 403, as on the pages."""
    from mdss.core.errors import PermissionDenied as Denied

    if not is_staff_member(request.user):
        raise Denied()


def docs_for_signed_in(view):
    """The API's documentation and openapi.json describe internal operations: only for
    a signed-in user or a valid bearer token, never for anonymous callers."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login
        from django.http import JsonResponse

        from mdss.accounts.selectors import api_token_authenticate

        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer ") and api_token_authenticate(auth[7:].strip()):
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse(
                {"code": "not_authenticated", "message": "Sign in or send a bearer token.",
                 "errors": [], "request_id": getattr(request, "request_id", "")},
                status=401,
            )  # fmt: skip
        return redirect_to_login(request.get_full_path())

    return wrapper


def staff_role_required(view):
    """The page is for staff with at least one role (not for role-less or customer users)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not is_staff_member(user):
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
