"""Compare every stock balance with the sum of its ledger moves; exit 1 and name each
difference (part, location, lot, balance, ledger) if any."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Check that stock balances equal the stock ledger."

    def handle(self, *args, **options):
        from mdss.inventory.models import Location, Part
        from mdss.inventory.services import reconcile

        differences = reconcile()
        parts = Part.objects.in_bulk([d["part"] for d in differences])
        places = Location.objects.select_related("warehouse").in_bulk(
            [d["location"] for d in differences]
        )
        for d in differences:
            self.stdout.write(
                f"{parts[d['part']].number} @ {places[d['location']]} lot '{d['lot']}': "
                f"balance {d['balance']}, ledger {d['ledger']}"
            )
        self.stdout.write(f"{len(differences)} differences")
        if differences:
            sys.exit(1)
