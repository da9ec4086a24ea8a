from django.db import migrations

from mdss.calendars import reference


def add_target(apps, schema_editor):
    """The contract-problem target (S11: unresolved after 10 working days, it goes to
    management) joins every version that lacks it."""
    target = apps.get_model("calendars", "SlaTarget")
    for policy in apps.get_model("calendars", "PolicyVersion").objects.all():
        reference.load_default_targets(policy, target)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0005_contract_review_target")]

    operations = [migrations.RunPython(add_target, migrations.RunPython.noop)]
