"""Periodic work: the SLA sweep every minute, the missing-calendar alert daily."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def sla_sweep():
    return services.clock_sweep()


@db_periodic_task(crontab(hour="8", minute="0"))
def calendar_missing_alert():
    return services.calendar_missing_alert()
