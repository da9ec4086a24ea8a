import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from mdss.audit.db import protect


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("audit", "0002_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="SampleRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "voided_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="voided at"
                    ),
                ),
                (
                    "void_reason",
                    models.TextField(blank=True, editable=False, verbose_name="void reason"),
                ),
                ("title", models.CharField(max_length=100)),
                (
                    "voided_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="voided by",
                    ),
                ),
            ],
            options={"abstract": False},
        ),
        migrations.RunPython(*protect("regulated_app_samplerecord")),
    ]
