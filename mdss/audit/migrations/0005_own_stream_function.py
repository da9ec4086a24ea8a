"""The PostgreSQL function that gives a database session its own audit stream for as
long as it is open (audit/services.py ``_owned_stream``). Nothing on SQLite.

The earlier ``mdss_audit_take_stream`` (0004) locked a stream per transaction and
read its head on every append; it stays for a process of the previous release that
may still run during a rolling deploy: its transaction-scoped locks and these
session-scoped ones are the same advisory locks, so the two never share a stream."""

from django.db import migrations

# Session-level locks, tried from stream 0 upward: the lowest stream no other session
# holds. The head is read in a statement of its own (a VOLATILE function gives each
# statement a fresh snapshot), after the lock, so it sees what the stream's previous
# owner committed before its session ended.
OWN_STREAM_FUNCTION = """
CREATE OR REPLACE FUNCTION mdss_audit_own_stream(lock_class integer)
RETURNS TABLE (stream integer, head varchar) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  chosen integer := 0;
BEGIN
  WHILE NOT pg_try_advisory_lock(lock_class, chosen) LOOP
    chosen := chosen + 1;
    IF chosen > 32767 THEN
      RAISE EXCEPTION 'every audit stream is held by another session';
    END IF;
  END LOOP;
  stream := chosen;
  SELECT e.hash INTO head FROM audit_auditevent e
    WHERE e.stream = chosen ORDER BY e.id DESC LIMIT 1;
  RETURN NEXT;
END $$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OWN_STREAM_FUNCTION, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS mdss_audit_own_stream(integer)", params=None
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_take_stream_function")]

    operations = [migrations.RunPython(create, drop)]
