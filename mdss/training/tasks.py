from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mdss.core.dates import local_today

from . import services


@db_periodic_task(crontab(hour="7", minute="50"))
def expiry_warnings():
    return services.expiry_warning_sweep(today=local_today())


@db_periodic_task(crontab(hour="8", minute="10"))
def period_end_warnings():
    return services.period_end_warning_sweep(today=local_today())
