from django.db import migrations

from mdss.audit.db import protect
from mdss.calendars import reference


def load(apps, schema_editor):
    reference.load_statutory(apps.get_model("calendars", "CalendarYear"),
                             apps.get_model("calendars", "CalendarDay"),
                             apps.get_model("calendars", "CalendarRevision"))
    reference.load_default_policy(apps.get_model("calendars", "PolicyVersion"),
                                  apps.get_model("calendars", "SlaTarget"))


class Migration(migrations.Migration):
    """The statutory calendar and policy version 1; policies and clocks are never deleted."""

    dependencies = [("calendars", "0001_initial"), ("audit", "0002_triggers")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(*protect("calendars_policyversion")),
        migrations.RunPython(*protect("calendars_slatarget")),
        migrations.RunPython(*protect("calendars_slaclock")),
    ]
