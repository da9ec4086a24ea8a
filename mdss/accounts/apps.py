from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _after_user_saved(sender, instance, created, **kwargs):
    if getattr(instance, "_password_changed", False) and not created:
        from mdss.core.request_context import current_user

        from .security import password_changed

        instance._password_changed = False
        password_changed(user=instance, actor=current_user())


def _sync_roles_after_migrate(sender, **kwargs):
    from .roles import sync_roles

    sync_roles(using=kwargs.get("using", "default"))


class AccountsConfig(AppConfig):
    name = "mdss.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisation")

    def ready(self):
        # Roles (groups and their permissions) are data defined in roles.py; every
        # migrate brings the database in line with it, so a new permission added by
        # a later app reaches its roles without a manual step.
        from mdss.core.navigation import NavItem, register

        register(
            NavItem(
                _("Organisation"),
                _("People"),
                "accounts:user_list",
                "people",
                permission="accounts.view_user",
                order=800,
            ),
            NavItem(
                _("Workspace"),
                _("My profile"),
                "accounts:profile",
                "person-circle",
                needs_role=False,
                order=990,
            ),
        )
        # Logins, failures and lockouts are audit events; a new password revokes tokens.
        from . import security

        security.connect_axes()
        post_save.connect(
            _after_user_saved, sender="accounts.User", dispatch_uid="mdss.accounts.password"
        )
        # Roles and permissions cached per user; a change of them invalidates the cache.
        from . import access

        access.connect()
        post_migrate.connect(
            _sync_roles_after_migrate, sender=self, dispatch_uid="mdss.accounts.roles"
        )
