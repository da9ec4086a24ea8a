"""Periodic work: the preventive-maintenance visits due within 30 days, daily."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="6", minute="10"))
def pm_requests_generate():
    from mdss.core.dates import local_today

    from . import services

    return len(services.pm_requests_generate(today=local_today()))
