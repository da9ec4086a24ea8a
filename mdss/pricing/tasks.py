from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mdss.core.dates import local_today

from . import services


@db_periodic_task(crontab(hour="0", minute="5"))
def apply_due_price_changes():
    return services.price_changes_apply_due(today=local_today())
