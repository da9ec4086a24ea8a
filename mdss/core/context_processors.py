from .navigation import nav_for_user


def layout(request):
    """The sidebar and the user's role names, for the page layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    from mdss.accounts.roles import role_label

    from .permissions import is_staff_member

    return {
        # The global search (core/search.py) is for staff; a customer's account has none.
        "show_search": is_staff_member(user),
        "nav_sections": nav_for_user(user, request.path),
        "user_role_labels": [role_label(code) for code in sorted(user.role_codes)],
    }
