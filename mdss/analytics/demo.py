"""The statistics of the demo: the fact tables rebuilt from the demo records (runs
after every other app's demo, analytics coming after them in INSTALLED_APPS)."""

from django.utils import timezone

from .services import refresh


def seed(stdout=None):
    figures = refresh(timezone.now(), full=True)
    if stdout is not None:
        stdout.write(
            f"analytics: {figures['sales_rows']} sales facts, {figures['requests']} service facts"
        )
