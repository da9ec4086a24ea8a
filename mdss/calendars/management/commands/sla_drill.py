"""A fire drill for the deadline engine on a demo installation.

Starts the "contact the customer within 1 hour" obligation (A5) with an engineer
responsible, back-dated so that the warning is due at once and the breach a few
minutes later. With the Huey consumer running (`make worker`) the engineer gets the
warning, then the breach, and the superior the escalation — in the bell, by e-mail
(console backend in development) and in the group chat if MDSS_WEBHOOK_URL is set.

    manage.py sla_drill [--engineer feng.tao] [--breach-in 3]
    manage.py sla_drill --cancel
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mdss.accounts.models import User
from mdss.calendars import selectors, services
from mdss.calendars.choices import ClockStatus


class Command(BaseCommand):
    help = "Start (or cancel) a back-dated SLA clock that warns now and breaches in a few minutes."

    def add_arguments(self, parser):
        parser.add_argument("--engineer", default="feng.tao")
        parser.add_argument("--breach-in", type=int, default=3, help="minutes until the breach")
        parser.add_argument("--cancel", action="store_true")

    def handle(self, *args, engineer, breach_in, cancel, **options):
        person = User.objects.filter(username=engineer).first()
        if person is None:
            raise CommandError(f"No user {engineer!r} (run seed_demo first).")
        open_clock = (
            selectors.clocks_for(person)
            .filter(code="service.contact", status__in=[ClockStatus.RUNNING, ClockStatus.PAUSED])
            .first()
        )
        if cancel:
            if open_clock:
                services.clock_cancel(clock=open_clock, actor=None, reason="drill finished")
            self.stdout.write("drill cancelled")
            return
        if open_clock:
            raise CommandError("A drill is already running: sla_drill --cancel first.")
        target = selectors.sla_target("service.contact")
        started = (
            timezone.now() - timedelta(hours=float(target.duration)) + timedelta(minutes=breach_in)
        )
        clock = services.clock_start(
            subject=person, code="service.contact", responsible=person, at=started
        )
        tz = selectors.local_tz()
        self.stdout.write(
            f"clock #{clock.pk}: warns at {clock.warn_at.astimezone(tz):%H:%M}, "
            f"due {clock.due_at.astimezone(tz):%H:%M}, escalates to "
            f"{person.superior.display_name if person.superior else 'nobody (no superior)'}; "
            "watch with `make worker` running."
        )
