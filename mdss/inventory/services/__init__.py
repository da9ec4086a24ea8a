"""Every change of parts and stock: ledger.py writes the stock, requisitions.py the
requisitions (which write stock through ledger.py)."""

from .ledger import move, reconcile, stock_receive, stock_scrap, stock_transfer
from .requisitions import (
    Issue,
    requisition_cancel,
    requisition_issue,
    requisition_return,
    requisition_submit,
)

__all__ = [
    "Issue",
    "move",
    "reconcile",
    "requisition_cancel",
    "requisition_issue",
    "requisition_return",
    "requisition_submit",
    "stock_receive",
    "stock_scrap",
    "stock_transfer",
]
