"""Bulk synthetic data for benchmarks: ``manage.py generate_data --scale N``.

Each app contributes a generator (a function ``generate(scale, rng, stdout)`` in its
``generate`` module), found through the app registry in dependency order. Generated rows are marked
(user names start with ``gen-``) so that a second run at the same scale adds nothing.
"""

import random

from django.core.management.base import BaseCommand

from mdss.core.discovery import app_modules
from mdss.core.reference import load_reference_data


class Command(BaseCommand):
    help = "Generate synthetic data at a scale (1 = a small branch, 100 = a national distributor)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=20261127)

    def handle(self, *args, scale, seed, **options):
        load_reference_data()
        rng = random.Random(seed)
        for module in app_modules("generate"):
            module.generate(scale=scale, rng=rng, stdout=self.stdout)
