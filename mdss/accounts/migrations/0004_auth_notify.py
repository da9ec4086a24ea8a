"""PostgreSQL tells every listening session when a token, a user or a department
changed, so the bearer tokens a session keeps (``accounts.selectors.KEPT_TOKENS``,
core/notified.py) are dropped before its next request. Nothing on SQLite.

Not sent when only the token's ``last_used_at`` (written once a minute by use) or the
user's ``last_login`` and failed-password counters move: those say nothing about what
a token may do, and failed sign-ins by a stranger should not empty every cache."""

from django.db import migrations

from mdss.core.notified import notify_on_change


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_access_version")]

    operations = [
        migrations.RunPython(
            *notify_on_change(
                "mdss_auth",
                {
                    "accounts_apitoken": ["last_used_at"],
                    "accounts_user": ["last_login", "password_failures", "password_locked_until"],
                    "accounts_department": [],
                },
            )
        )
    ]
