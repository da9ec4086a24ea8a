"""Every change of parts and stock: ledger.py writes the stock; requisitions.py,
purchasing.py (suppliers, orders, receipts) and counts.py write their records and
change stock only through ledger.py."""

from .counts import (
    count_approve,
    count_cancel,
    count_enter,
    count_scan,
    count_start,
    count_submit,
)
from .ledger import move, reconcile, stock_receive, stock_scrap, stock_transfer
from .levels import level_set, levels_compute
from .purchasing import (
    order_approve,
    order_cancel,
    order_create,
    order_receive,
    supplier_create,
    supplier_document_add,
    supplier_gate,
    supplier_status_set,
)
from .requisitions import (
    Issue,
    requisition_cancel,
    requisition_issue,
    requisition_return,
    requisition_submit,
)

__all__ = [
    "Issue",
    "count_approve",
    "count_cancel",
    "count_enter",
    "count_scan",
    "count_start",
    "count_submit",
    "level_set",
    "levels_compute",
    "order_approve",
    "order_cancel",
    "order_create",
    "order_receive",
    "supplier_create",
    "supplier_document_add",
    "supplier_gate",
    "supplier_status_set",
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
