import pytest
import time_machine


@pytest.fixture(autouse=True)
def _pricing_day():
    """Pricing tests happen on 27 November 2026 (their price lists, requests and
    effective dates are set around it); the clock still ticks."""
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield
