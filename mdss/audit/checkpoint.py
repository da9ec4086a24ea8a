"""Anchoring the chain's head outside the table.

The hash chain shows that no event was changed or removed from its middle, but not
that the newest events are all there: whoever owns the database can cut the tail
(or empty the table) and the rest still chains. So the head (number of events, last
id, last hash) is appended every hour to a file the operator keeps, and logged, with
an HMAC under the audit key; ``verify_audit`` compares the table with the newest
checkpoint and names what is missing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger("mdss.audit.checkpoint")

FIELDS = ("at", "count", "last_id", "last_hash")


def _mac(entry: dict) -> str:
    message = json.dumps({k: entry[k] for k in FIELDS}, sort_keys=True).encode()
    return hmac.new(settings.MDSS_AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


def head() -> dict:
    last = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    return {
        "count": AuditEvent.objects.count(),
        "last_id": last["id"] if last else 0,
        "last_hash": last["hash"] if last else "",
    }


def write(path: Path | None = None) -> dict:
    """Append the current head, signed, to the checkpoint file and the log."""
    path = Path(path or settings.MDSS_AUDIT_CHECKPOINT_FILE)
    entry = {"at": timezone.now().isoformat(), **head()}
    entry["mac"] = _mac(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, sort_keys=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    logger.info("audit checkpoint %s", line)
    return entry


@dataclass
class Checkpoints:
    latest: dict | None
    forged_lines: list[int]


def read(path: Path | None = None) -> Checkpoints:
    """The newest checkpoint whose MAC holds, and the numbers of lines whose MAC fails."""
    path = Path(path or settings.MDSS_AUDIT_CHECKPOINT_FILE)
    latest, forged = None, []
    if not path.exists():
        return Checkpoints(None, [])
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                ok = hmac.compare_digest(str(entry.get("mac", "")), _mac(entry))
            except (ValueError, KeyError, TypeError):
                ok = False
            if not ok:
                forged.append(number)
            elif latest is None or entry["last_id"] >= latest["last_id"]:
                latest = entry
    return Checkpoints(latest, forged)


def compare(latest: dict) -> str:
    """Empty if the table still holds what the checkpoint saw, else what is missing."""
    if latest["count"] == 0:
        return ""
    event = AuditEvent.objects.filter(pk=latest["last_id"]).values("hash").first()
    present = AuditEvent.objects.filter(id__lte=latest["last_id"]).count()
    if event is None or event["hash"] != latest["last_hash"] or present != latest["count"]:
        now_last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        return (
            f"the checkpoint of {latest['at']} recorded {latest['count']} events up to "
            f"#{latest['last_id']} (hash {latest['last_hash'][:12]}…); the table holds "
            f"{present} of them"
            + (
                f" and event #{latest['last_id']} is missing"
                if event is None
                else " and event #{} differs".format(latest["last_id"])
                if event["hash"] != latest["last_hash"]
                else ""
            )
            + f" (newest event now: #{now_last or 0}): the chain was shortened or emptied"
        )
    return ""
