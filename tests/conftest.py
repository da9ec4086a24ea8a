"""Fixtures the cross-app tests here borrow from the contracts tests (a signed contract
for a hospital, its rep authorised, a monitor with its papers and price)."""

from mdss.contracts.tests.conftest import (  # noqa: F401 (fixtures, used by name)
    authorised,
    draft,
    hospital,
    monitor,
    region,
    signed,
)
