from django.core.management.base import BaseCommand

from mdss.accounts.services import region_seed_reference


class Command(BaseCommand):
    help = "Load reference data every installation needs (regions; later the work calendar). Safe to repeat."

    def handle(self, *args, **options):
        added = region_seed_reference()
        self.stdout.write(f"regions: {added} added")
