from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="15"))
def problem_escalation():
    """S11: problems still open when the policy's interval runs out go to management."""
    return services.problem_escalation_sweep()
