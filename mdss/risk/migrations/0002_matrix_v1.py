from django.db import migrations


def install(apps, schema_editor):
    """Version 1 of the matrix: score 1–4 acceptable, 5–12 tolerable with measures,
    15–25 unacceptable; management changes it by a signed new version."""
    from mdss.risk.services.matrix import DEFAULT_ZONES

    matrix = apps.get_model("risk", "RiskMatrix")
    if not matrix.objects.exists():
        matrix.objects.create(
            version=1, zones=DEFAULT_ZONES, is_active=True, note="默认矩阵（风险值 = 可能性 × 影响）"
        )


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial"), ("calendars", "0008_risk_targets")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
