"""The PostgreSQL function that locks an audit stream and reads its head in one round
trip (audit/services.py ``_take_stream``). Nothing on SQLite."""

from django.db import migrations

# A VOLATILE PL/pgSQL function gives each statement in it a fresh snapshot under READ
# COMMITTED: the head is read after the lock is taken.
TAKE_STREAM_FUNCTION = """
CREATE OR REPLACE FUNCTION mdss_audit_take_stream(lock_class integer, preferred integer,
                                                  streams integer)
RETURNS TABLE (stream integer, head varchar) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  candidate integer;
  chosen integer := NULL;
BEGIN
  FOR n IN 0 .. streams - 1 LOOP
    candidate := (preferred + n) % streams;
    IF pg_try_advisory_xact_lock(lock_class, candidate) THEN
      chosen := candidate;
      EXIT;
    END IF;
  END LOOP;
  IF chosen IS NULL THEN
    PERFORM pg_advisory_xact_lock(lock_class, preferred);
    chosen := preferred;
  END IF;
  stream := chosen;
  SELECT e.hash INTO head FROM audit_auditevent e
    WHERE e.stream = chosen ORDER BY e.id DESC LIMIT 1;
  RETURN NEXT;
END $$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TAKE_STREAM_FUNCTION, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS mdss_audit_take_stream(integer, integer, integer)",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_streams")]

    operations = [migrations.RunPython(create, drop)]
