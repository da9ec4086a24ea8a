"""``manage.py analytics_refresh [--all]``: bring the statistics' fact tables up to
date now (what the hourly job does), or rebuild them all (after generate_data, a
restore, or a change of the dimensions)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from mdss.analytics import cache, services
from mdss.core.dates import local_today


class Command(BaseCommand):
    help = "Bring the statistics' fact tables up to date (--all: rebuild them)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every fact")

    def handle(self, *args, **options):
        figures = services.refresh(timezone.now(), full=options["all"])
        cache.warm(local_today())  # management's overview, as the hourly job does
        self.stdout.write(", ".join(f"{k}={v}" for k, v in figures.items()))
