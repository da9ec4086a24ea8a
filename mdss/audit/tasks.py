from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import checkpoint


@db_periodic_task(crontab(minute="7"))
def audit_checkpoint():
    """Every hour: anchor the chain's head outside the table (audit.checkpoint)."""
    checkpoint.write()
