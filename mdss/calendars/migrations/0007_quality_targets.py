from django.db import migrations

from mdss.calendars import reference


def add_targets(apps, schema_editor):
    """Quality's targets (feedback to the manufacturer, containment, CAPA, the
    adverse-event reports) join every version that lacks them."""
    target = apps.get_model("calendars", "SlaTarget")
    for policy in apps.get_model("calendars", "PolicyVersion").objects.all():
        reference.load_default_targets(policy, target)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0006_contract_problem_target")]

    operations = [migrations.RunPython(add_targets, migrations.RunPython.noop)]
