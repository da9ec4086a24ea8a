"""Database triggers that protect regulated tables, for SQLite and PostgreSQL.

Used from migrations: ``migrations.RunPython(*protect("audit_auditevent", updates=True))``.

``mdss_purge_permit`` is a table no model maps: while it holds a row, the triggers
stand aside. Production never has a row; the test suite inserts one so that
transactional tests can empty tables between tests (tests of the triggers remove it).
"""

PERMIT_TABLE = "mdss_purge_permit"


def _sqlite(table: str, updates: bool) -> list[str]:
    sql = [
        f"CREATE TABLE IF NOT EXISTS {PERMIT_TABLE} (id INTEGER PRIMARY KEY)",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_refuse_delete BEFORE DELETE ON {table}
            WHEN NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE})
            BEGIN SELECT RAISE(ABORT, 'rows of {table} are never deleted (regulated record)'); END""",
    ]
    if updates:
        sql.append(
            f"""CREATE TRIGGER IF NOT EXISTS {table}_refuse_update BEFORE UPDATE ON {table}
            WHEN NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE})
            BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
        )
    return sql


def _postgresql(table: str, updates: bool) -> list[str]:
    events = "UPDATE OR DELETE" if updates else "DELETE"
    return [
        f"CREATE TABLE IF NOT EXISTS {PERMIT_TABLE} (id integer PRIMARY KEY)",
        f"""CREATE OR REPLACE FUNCTION mdss_refuse_change() RETURNS trigger AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM {PERMIT_TABLE}) THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;  -- NULL for TRUNCATE, which a statement trigger ignores
              END IF;
              RAISE EXCEPTION '% on % refused: regulated rows are append-only and never deleted',
                TG_OP, TG_TABLE_NAME USING ERRCODE = '23000';
            END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS {table}_refuse_change ON {table}",
        f"""CREATE TRIGGER {table}_refuse_change BEFORE {events} ON {table}
            FOR EACH ROW EXECUTE FUNCTION mdss_refuse_change()""",
        # Row triggers do not fire on TRUNCATE: a statement trigger refuses it.
        f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table}",
        f"""CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION mdss_refuse_change()""",
    ]


def _drop(table: str, vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_refuse_change ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table}",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_refuse_delete",
        f"DROP TRIGGER IF EXISTS {table}_refuse_update",
    ]


def protect(table: str, *, updates: bool = False):
    """(forward, backward) functions for migrations.RunPython."""

    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = (
            _postgresql(table, updates) if vendor == "postgresql" else _sqlite(table, updates)
        )
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def backward(apps, schema_editor):
        for statement in _drop(table, schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)

    return forward, backward


def protect_registered(connection) -> list[str]:
    """Install the triggers on every table ``audit.regulated`` names (after each
    ``migrate``, so a table declared regulated is protected without a migration of
    its own, and existing tables gain the TRUNCATE trigger). Idempotent."""
    from .regulated import protected_tables

    existing = set(connection.introspection.table_names())
    done = []
    with connection.cursor() as cursor:
        for table, updates in protected_tables().items():
            if table not in existing:
                continue
            statements = (
                _postgresql(table, updates)
                if connection.vendor == "postgresql"
                else _sqlite(table, updates)
            )
            for statement in statements:
                cursor.execute(statement)
            done.append(table)
    return done


def triggers_on(connection, table: str) -> set[str]:
    """Names of the triggers on ``table`` (for tests and the deployment check)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        return {row[0] for row in cursor.fetchall()}


def grant_purge_permit(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PERMIT_TABLE} (id) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE})"
        )


def revoke_purge_permit(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PERMIT_TABLE}")
