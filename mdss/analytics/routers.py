"""Reads of the fact tables from a read replica, when one is configured
(settings.ANALYTICS_REPLICA_URL): the dashboards' heavy reads leave the primary to
the transactions. Writes (the refresh) and every other table stay on the primary.
The decisions management records are read from the primary (read-your-writes)."""

FACTS = {"salesday", "servicefact", "complaintfact", "partday"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label == "analytics" and model._meta.model_name in FACTS:
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
