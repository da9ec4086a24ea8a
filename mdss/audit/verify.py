"""Walking the chain: the first row whose hash or link does not match."""

from __future__ import annotations

from dataclasses import dataclass

from .models import AuditEvent
from .services import GENESIS, event_hash


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Check every row in id order, streaming, in constant memory."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not rows:
            return ChainReport(checked=checked)
        for event in rows:
            if event.prev_hash != expected_prev:
                return ChainReport(
                    checked,
                    event.pk,
                    "prev_hash does not match the previous row (a row before it was removed or changed)",
                )
            if event_hash(event) != event.hash:
                return ChainReport(
                    checked, event.pk, "content does not match its hash (the row was altered)"
                )
            expected_prev = event.hash
            checked += 1
            last_id = event.pk
