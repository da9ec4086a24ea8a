"""Every change to prices. ``changes``: price lists and price-list changes (S12);
``adjustments``: price-adjustment requests for one deal (S13)."""

from .changes import (  # noqa: F401 (the package's public services)
    LineInput,
    price_basis_set,
    price_change_approve,
    price_change_create,
    price_change_reject,
    price_change_submit,
    price_changes_apply_due,
    price_list_seed,
)
