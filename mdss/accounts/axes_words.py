"""The words django-axes shows in the admin (its models, fields and actions), so that
``make messages`` keeps them in our catalogue: axes ships no Chinese, and the
lockout pages of the admin were English in a Chinese UI (issue 15, "Words"). Django
looks in our catalogue (LOCALE_PATHS) before the package's own, so these
translations are the ones shown. Nothing imports this module."""

from django.utils.translation import gettext_noop as _

AXES_WORDS = [
    _("Access Attempt"),
    _("Access lock out"),
    _("Attempt Remaining"),
    _("Attempt Time"),
    _("Clean up expired attempts"),
    _("Expires At"),
    _("Failed Logins"),
    _("Form Data"),
    _("GET Data"),
    _("HTTP Accept"),
    _("IP Address"),
    _("Locked Out"),
    _("Logout Time"),
    _("Meta Data"),
    _("Not set"),
    _("POST Data"),
    _("Path"),
    _("Session key hash (sha256)"),
    _("The time when access attempt expires and is no longer valid."),
    _("User Agent"),
    _("Username"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access attempt"),
    _("access attempts"),
    _("access failure"),
    _("access failures"),
    _("access log"),
    _("access logs"),
]
