"""Bulk synthetic data for benchmarks: ``manage.py generate_data --scale N``.

Each app contributes a generator (a function ``generate(scale, rng, stdout)``) listed
below in dependency order; later issues append theirs. Generated rows are marked
(user names start with ``gen-``) so that a second run at the same scale adds nothing.
"""

import random

from django.core.management.base import BaseCommand

from mdss.accounts.generate import generate as generate_people
from mdss.calendars.generate import generate as generate_clocks
from mdss.catalog.generate import generate as generate_catalog
from mdss.contracts.generate import generate as generate_contracts
from mdss.core.reference import load_reference_data
from mdss.customers.generate import generate as generate_customers

GENERATORS = [
    generate_people,
    generate_clocks,
    generate_catalog,
    generate_customers,
    generate_contracts,
]


class Command(BaseCommand):
    help = "Generate synthetic data at a scale (1 = a small branch, 100 = a national distributor)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=20261127)

    def handle(self, *args, scale, seed, **options):
        load_reference_data()
        rng = random.Random(seed)
        for generate in GENERATORS:
            generate(scale=scale, rng=rng, stdout=self.stdout)
