"""Huey tasks: deliver the outbox; they only call services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def deliver_pending():
    return services.deliver_due()


@db_periodic_task(crontab(minute="*"))
def deliver_pending_periodically():
    # Picks up retries whose back-off has passed and anything queued while no worker ran.
    return services.deliver_due()
