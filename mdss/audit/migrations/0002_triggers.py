from django.db import migrations

from mdss.audit.db import protect


class Migration(migrations.Migration):
    """The audit trail is append-only; e-signatures are never deleted."""

    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(*protect("audit_auditevent", updates=True)),
        migrations.RunPython(*protect("audit_esignature", updates=True)),
    ]
