from django.db import migrations

from mdss.audit.db import protect


class Migration(migrations.Migration):
    """Licences, certificates and overrides are regulated records: voided, never deleted."""

    dependencies = [("catalog", "0001_initial"), ("audit", "0002_triggers")]

    operations = [
        migrations.RunPython(*protect("catalog_manufacturerlicence")),
        migrations.RunPython(*protect("catalog_registrationcertificate")),
        migrations.RunPython(*protect("catalog_complianceoverride")),
    ]
