from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "email", "preferred_language"]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What uses it, e.g. 'hotline system'.")
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class GuardedPasswordChangeForm(PasswordChangeForm):
    """The old password is a password door like a signature: failures count and lock
    (accounts.security)."""

    def clean_old_password(self):
        from mdss.core.errors import ApplicationError

        from .security import check_password

        old = self.cleaned_data["old_password"]
        try:
            check_password(self.user, old, door="password change", field="old_password")
        except ApplicationError as exc:
            raise forms.ValidationError(str(exc.message), code="password_incorrect") from exc
        return old
