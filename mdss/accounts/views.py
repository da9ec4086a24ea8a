from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mdss.core.errors import ApplicationError, apply_to_form
from mdss.core.htmx import render_page_or_partial
from mdss.core.middleware import login_not_required
from mdss.core.paging import paginate
from mdss.core.permissions import is_staff_member

from . import security, selectors, services
from .forms import GuardedPasswordChangeForm, LoginForm, ProfileForm, TokenCreateForm
from .models import ApiToken
from .permissions import can_use_directory
from .roles import ROLES


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Password spraying: many names tried from one address. Axes counts per name
        # and address; this counts per address.
        address = security.client_ip(request)
        if security.login_failures_from(address) >= settings.MDSS_LOGIN_FAILURES_PER_ADDRESS:
            return render(request, "accounts/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


login_view = login_not_required(LoginView.as_view())
logout_view = auth_views.LogoutView.as_view()
password_change_view = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url="/accounts/profile/",
    form_class=GuardedPasswordChangeForm,
)


def profile(request):
    user = selectors.user_get_for_user(request.user, request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            try:
                services.user_update_profile(
                    user=request.user, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                apply_to_form(form, exc)
            else:
                messages.success(request, _("Your profile was saved."))
                response = redirect("accounts:profile")
                if form.cleaned_data["preferred_language"]:
                    response.set_cookie(
                        settings.LANGUAGE_COOKIE_NAME,
                        form.cleaned_data["preferred_language"],
                        samesite="Lax",
                    )
                return response
    else:
        form = ProfileForm(instance=request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "me": user,
            "form": form,
            # A customer's account shows no internal organisation and has no tokens.
            "staff": is_staff_member(request.user),
            "token_form": TokenCreateForm(),
            "tokens": selectors.api_token_list_for_user(request.user),
            "new_token": request.session.pop("new_api_token", None),
        },
    )


@require_POST
def token_create(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = services.api_token_create(
                user=request.user, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.errors[0].message if exc.errors else exc.message))
        else:
            # Shown once on the next page, then gone: only the hash is stored.
            request.session["new_api_token"] = raw
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("accounts:profile")


@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


def user_list(request):
    if not can_use_directory(request.user):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = selectors.user_list_for_user(request.user, search=search, role=role)
    page = paginate(request, users, 25)
    return render_page_or_partial(
        request,
        "accounts/user_list.html",
        "accounts/_user_table.html",
        {"page": page, "q": search, "role": role, "roles": ROLES.values()},
    )


def user_detail(request, user_id: int):
    if user_id != request.user.pk and not can_use_directory(request.user):
        raise PermissionDenied
    person = selectors.user_get_for_user(request.user, user_id)
    return render(request, "accounts/user_detail.html", {"person": person})
