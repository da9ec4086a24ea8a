from django.db import migrations

from mdss.calendars import reference


def add_target(apps, schema_editor):
    """The legal-review target (S9, 3 working days) joins every version that lacks it:
    they were made under the policy's defaults."""
    target = apps.get_model("calendars", "SlaTarget")
    for policy in apps.get_model("calendars", "PolicyVersion").objects.all():
        reference.load_default_targets(policy, target)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0004_policy_cadence")]

    operations = [migrations.RunPython(add_target, migrations.RunPython.noop)]
