from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from mdss.core.dates import local_today

from . import services


@db_periodic_task(crontab(hour="6", minute="40"))
def risk_signals():
    """Every morning: propose risks from the data (services/signals.py)."""
    return [s.key for s in services.signal_scan(today=local_today())]
