from django.db import migrations

from mdss.audit.db import protect


class Migration(migrations.Migration):
    """Price lists, their entries and price changes are kept forever."""

    dependencies = [("pricing", "0001_initial"), ("audit", "0002_triggers")]

    operations = [
        migrations.RunPython(*protect("pricing_pricelistversion")),
        migrations.RunPython(*protect("pricing_priceentry")),
        migrations.RunPython(*protect("pricing_pricechange")),
    ]
