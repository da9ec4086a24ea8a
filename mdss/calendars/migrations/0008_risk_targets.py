from django.db import migrations

from mdss.calendars import reference


def add_defaults(apps, schema_editor):
    """Risk management's measure clock and review cadences (Q8, Q9) join every
    version that lacks them."""
    target = apps.get_model("calendars", "SlaTarget")
    cadence = apps.get_model("calendars", "PolicyCadence")
    for policy in apps.get_model("calendars", "PolicyVersion").objects.all():
        reference.load_default_targets(policy, target)
        reference.load_default_cadences(policy, cadence)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0007_quality_targets")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
