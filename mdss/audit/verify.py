"""Walking the chain: the first row whose hash or link does not match, the newest
checkpoint against the table, and every e-signature against the event that carries
its hash."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from .models import AuditEvent, ESignature
from .services import GENESIS, event_hash, legacy_hash


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None
    problem: str = ""
    problems: list[str] = field(default_factory=list)  # beyond the chain: tail, signatures

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.problems


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Check every row in id order, streaming, in constant memory.

    Each row's HMAC must hold under the audit key. Rows written before the chain was
    keyed carry a plain SHA-256; they are accepted only at the chain's beginning,
    before the first keyed row, whose link then covers them."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    keyed = False
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
            if hmac.compare_digest(event_hash(event), event.hash):
                keyed = True
            elif keyed or legacy_hash(event) != event.hash:
                return ChainReport(
                    checked, event.pk, "content does not match its hash (the row was altered)"
                )
            expected_prev = event.hash
            checked += 1
            last_id = event.pk


def signature_problems() -> list[str]:
    """Every e-signature must match the audit event written with it (signer, meaning,
    content hash), and every such event must still have its signature."""
    events = {}
    for changes in AuditEvent.objects.filter(action="esign").values_list("changes", flat=True):
        if isinstance(changes, dict) and "signature_id" in changes:
            events[changes["signature_id"]] = changes
    problems = []
    for signature in ESignature.objects.order_by("id").iterator(chunk_size=2000):
        recorded = events.pop(signature.pk, None)
        if recorded is None:
            problems.append(f"e-signature #{signature.pk} has no audit event (added outside MDSS)")
        elif (
            recorded.get("content_hash") != signature.content_hash
            or recorded.get("meaning") != signature.meaning
            or recorded.get("signer_id", signature.signer_id) != (signature.signer_id)
        ):
            problems.append(f"e-signature #{signature.pk} differs from its audit event")
    problems.extend(
        f"e-signature #{missing} recorded in the audit trail is missing" for missing in events
    )
    return problems


def verify_all(checkpoint_path=None) -> ChainReport:
    """The chain, the newest checkpoint and the e-signatures (``manage.py verify_audit``)."""
    from . import checkpoint

    report = verify_chain()
    anchors = checkpoint.read(checkpoint_path)
    report.problems.extend(
        f"checkpoint file line {n} does not match its MAC (edited)" for n in anchors.forged_lines
    )
    if anchors.latest is not None:
        missing = checkpoint.compare(anchors.latest)
        if missing:
            report.problems.append(missing)
    report.problems.extend(signature_problems())
    return report
