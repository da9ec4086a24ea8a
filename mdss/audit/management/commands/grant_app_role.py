"""Give the application's PostgreSQL role what it needs, and no more (docs/deploy.md).

Migrations run as the role that owns the tables; the application runs as another
role, which this command (run by the owner after every ``migrate``) grants:

- SELECT, INSERT, UPDATE, DELETE on the tables, but no DELETE on regulated tables,
  no UPDATE on append-only ones (the triggers refuse them anyway);
- only SELECT on the purge permit (the triggers read it), so the application cannot
  stand the triggers aside;
- no TRUNCATE, and, not owning the tables, it cannot drop or disable the triggers.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from mdss.audit.db import PERMIT_TABLE
from mdss.audit.regulated import protected_tables


class Command(BaseCommand):
    help = "Grant the application role (not the tables' owner) its privileges on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as, e.g. mdss_app")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL.")
        who = sql.Identifier(role)
        tables = set(connection.introspection.table_names()) - {PERMIT_TABLE}
        protected = protected_tables()
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who))
            cursor.execute(
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who)
            )
            for table in sorted(tables):
                name = sql.Identifier(table)
                cursor.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(name, who))
                rights = ["SELECT", "INSERT", "UPDATE", "DELETE"]
                if table in protected:
                    rights.remove("DELETE")
                    if protected[table]:
                        rights.remove("UPDATE")
                cursor.execute(
                    sql.SQL("GRANT {} ON {} TO {}").format(
                        sql.SQL(", ").join(sql.SQL(r) for r in rights), name, who
                    )
                )
            permit = sql.Identifier(PERMIT_TABLE)
            cursor.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(permit, who))
            cursor.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(permit, who))
        self.stdout.write(f"granted {role} on {len(tables)} tables ({len(protected)} regulated)")
