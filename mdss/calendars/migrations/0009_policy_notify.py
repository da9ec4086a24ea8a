"""PostgreSQL tells every listening session when a policy version, an SLA target or
the calendar's revision changed, so the target in force that a session keeps
(``calendars.selectors.KEPT_TARGETS``, core/notified.py) is read again before its
next use. Nothing on SQLite."""

from django.db import migrations

from mdss.core.notified import notify_on_change


class Migration(migrations.Migration):
    dependencies = [("calendars", "0008_risk_targets")]

    operations = [
        migrations.RunPython(
            *notify_on_change(
                "mdss_policy",
                {
                    "calendars_policyversion": [],
                    "calendars_slatarget": [],
                    "calendars_calendarrevision": [],
                },
            )
        )
    ]
