from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _configure_sqlite(sender, connection, **kwargs):
    """WAL lets readers work while one writer commits; Django has no setting for it.

    Foreign keys are already enforced by Django's SQLite backend; busy_timeout is
    set through the connection's ``timeout`` option.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")
            cursor.execute("PRAGMA foreign_keys=ON;")


class CoreConfig(AppConfig):
    name = "mdss.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        connection_created.connect(_configure_sqlite, dispatch_uid="mdss.core.sqlite")

        # A flush (tests) restarts the sequences: keys reserved before would come again.
        from django.db.models.signals import post_migrate

        from .prepared import forget_reserved_keys

        post_migrate.connect(forget_reserved_keys, dispatch_uid="mdss.core.forget_keys")

        # Every row of ours is checked against its columns before it is saved (inputs.py).
        from django.db.models.signals import pre_save

        from .inputs import guard_before_save

        pre_save.connect(guard_before_save, dispatch_uid="mdss.core.columns")

        from . import lookups

        lookups.register()

        from .navigation import NavItem, register

        register(
            NavItem(
                _("Workspace"),
                _("Dashboard"),
                "core:dashboard",
                "speedometer2",
                order=0,
                needs_role=False,
            ),
            # For administrators; integrators find it beside their API tokens (profile).
            NavItem(
                _("System"),
                _("API documentation"),
                "api:openapi-view",
                "braces",
                staff_only=True,
                order=900,
            ),
            NavItem(
                _("System"),
                _("Administration"),
                "admin:index",
                "gear",
                staff_only=True,
                needs_role=False,
                order=910,
            ),
        )
