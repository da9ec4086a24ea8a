from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .middleware import login_not_required


def dashboard(request):
    """The home page: what the user's roles let them do; role-less users are told why it is empty."""
    user = request.user
    from mdss.accounts.selectors import user_get_for_user

    from .dashboard import cards_for
    from .permissions import is_staff_member

    me = user_get_for_user(user, user.pk)
    staff = is_staff_member(user)
    return render(
        request,
        "core/dashboard.html",
        {
            "me": me,
            "cards": cards_for(request),
            "has_role": bool(user.role_codes) or user.is_superuser,
            # A customer's account shows no internal organisation (issue 15).
            "staff": staff,
            "subordinate_count": me.subordinates.filter(is_active=True).count() if staff else 0,
        },
    )


@never_cache
@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
