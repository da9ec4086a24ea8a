from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from mdss.core.dates import local_today

from . import cache, reports, services


@db_periodic_task(crontab(minute="5"))
@lock_task("analytics-refresh")
def analytics_refresh():
    """Every hour: bring the fact tables up to date with what changed (refresh.py),
    then compute management's overview (cache.warm) so nobody waits for it."""
    figures = services.refresh(timezone.now())
    cache.warm(local_today())
    return figures


@db_periodic_task(crontab(day_of_week="0", hour="2", minute="30"))
@lock_task("analytics-refresh")
def analytics_rebuild():
    """Every Sunday night: rebuild every fact, so what the hourly run cannot see (a
    customer's new grade or province, a rep moved to another team) is filed anew."""
    figures = services.refresh(timezone.now(), full=True)
    cache.warm(local_today())
    return figures


@db_periodic_task(crontab(day="1", hour="7", minute="0"))
def analytics_monthly_report():
    """On the 1st at 7:00: last month's statistics as a PDF, e-mailed to management."""
    return reports.send_monthly(local_today())
