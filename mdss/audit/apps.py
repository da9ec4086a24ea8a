from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _protect_after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from .db import protect_registered

    protect_registered(connections[using])


class AuditConfig(AppConfig):
    name = "mdss.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # Every table declared in audit.regulated gets its triggers after each migrate.
        post_migrate.connect(_protect_after_migrate, sender=self, dispatch_uid="mdss.audit.protect")
        # Heads of the streams this process's connections own may have gone with a
        # flush (tests) or a migration: read them again at the next append.
        from .services import forget_owned_streams

        post_migrate.connect(forget_owned_streams, dispatch_uid="mdss.audit.forget_streams")
