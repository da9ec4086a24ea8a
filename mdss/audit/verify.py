"""Walking the chain: the first row whose hash or link (within its stream) does not
match, the newest checkpoint against the table, and every e-signature against the
event that carries its hash."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from .models import AuditEvent, ESignature
from .services import GENESIS, event_hash, legacy_hash, one_snapshot


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
    """Check every row in id order, streaming, in constant memory: each row must link
    to the previous row of its stream and its HMAC must hold under the audit key.

    Rows written before the chain was keyed carry a plain SHA-256; they are accepted
    only at the beginning of stream 0 (the chain before there were streams), before
    its first keyed row, whose link then covers them."""
    with one_snapshot():
        return _walk(batch_size)


def _walk(batch_size: int) -> ChainReport:
    heads: dict[int, str] = {}
    keyed: set[int] = set()
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not rows:
            return ChainReport(checked=checked)
        for event in rows:
            if event.prev_hash != heads.get(event.stream, GENESIS):
                return ChainReport(
                    checked,
                    event.pk,
                    "prev_hash does not match the previous row of its stream "
                    f"({event.stream}): a row before it was removed or changed",
                )
            if hmac.compare_digest(event_hash(event), event.hash):
                keyed.add(event.stream)
            elif event.stream != 0 or 0 in keyed or legacy_hash(event) != event.hash:
                return ChainReport(
                    checked, event.pk, "content does not match its hash (the row was altered)"
                )
            heads[event.stream] = event.hash
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
