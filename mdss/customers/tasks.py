from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from mdss.core.dates import local_today

from . import services


@db_periodic_task(crontab(hour="7", minute="40"))
def qualification_warnings():
    return services.qualification_warning_sweep(today=local_today())


@db_periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
def visit_reminders():
    return services.visit_reminder_sweep(today=local_today())


@db_periodic_task(crontab(day="1", hour="2", minute="0"))
def grade_recompute():
    return services.customer_grade_recompute(today=local_today())


@db_task()
def visits_replan():
    return services.visit_due_replan()
