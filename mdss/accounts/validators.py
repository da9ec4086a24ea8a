"""Password rules with messages in our own catalogue (Django 5.2's zh-Hans catalogue
lacks the current wording of the minimum-length message)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return _("This password is too short: use at least %(n)d characters.") % {
            "n": self.min_length
        }

    def get_help_text(self):
        return _("Your password must contain at least %(n)d characters.") % {"n": self.min_length}
