from django.core.management.base import BaseCommand

from mdss.core.reference import load_reference_data


class Command(BaseCommand):
    help = "Load reference data every installation needs (regions, work calendar, policy v1). Safe to repeat."

    def handle(self, *args, **options):
        for what, value in load_reference_data().items():
            self.stdout.write(f"{what}: {value}")
