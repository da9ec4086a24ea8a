"""Risk services: one function per transition (docs/workflows.md, "Risk")."""

from .matrix import DEFAULT_ZONES, matrix_change, matrix_in_force, zone_errors
from .register import (
    measure_add,
    measure_done,
    next_review,
    risk_assess,
    risk_close,
    risk_create,
    risk_review,
)
from .signals import signal_accept, signal_dismiss, signal_scan

__all__ = [
    "DEFAULT_ZONES",
    "matrix_change",
    "matrix_in_force",
    "measure_add",
    "measure_done",
    "next_review",
    "risk_assess",
    "risk_close",
    "risk_create",
    "risk_review",
    "signal_accept",
    "signal_dismiss",
    "signal_scan",
    "zone_errors",
]
