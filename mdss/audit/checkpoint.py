"""Anchoring the chain's head outside the table.

The hash chain shows that no event was changed or removed from its middle, but not
that the newest events are all there: whoever owns the database can cut the tail
(or empty the table) and the rest still chains. So the head of every stream (number
of events, last id, last hash) is appended every hour to a file the operator keeps,
and logged, with an HMAC under the audit key; ``verify_audit`` compares the table
with the newest checkpoint and names what is missing. Streams are compared one by
one: within a stream ids commit in order, across streams they need not (a lower id
of another stream may commit after the checkpoint was taken). Lines written before
there were streams carry no ``streams`` and are compared as one chain, as then.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from .models import AuditEvent
from .services import one_snapshot

logger = logging.getLogger("mdss.audit.checkpoint")

FIELDS = ("at", "count", "last_id", "last_hash")


def _mac(entry: dict) -> str:
    signed = FIELDS + (("streams",) if "streams" in entry else ())
    message = json.dumps({k: entry[k] for k in signed}, sort_keys=True).encode()
    return hmac.new(settings.MDSS_AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


def head() -> dict:
    """The whole trail's and each stream's count, last id and last hash, as of one
    snapshot."""
    with one_snapshot():
        counts = (
            AuditEvent.objects.order_by()
            .values("stream")
            .annotate(count=Count("id"), last_id=Max("id"))
        )
        streams = {row["stream"]: row for row in counts}
        hashes = dict(
            AuditEvent.objects.filter(
                id__in=[row["last_id"] for row in streams.values()]
            ).values_list("id", "hash")
        )
    last_id = max((row["last_id"] for row in streams.values()), default=0)
    return {
        "count": sum(row["count"] for row in streams.values()),
        "last_id": last_id,
        "last_hash": hashes.get(last_id, ""),
        "streams": {
            str(stream): {
                "count": row["count"],
                "last_id": row["last_id"],
                "last_hash": hashes[row["last_id"]],
            }
            for stream, row in sorted(streams.items())
        },
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
    if "streams" not in latest:  # a line from before there were streams: one chain
        return _missing(latest, AuditEvent.objects.all(), "")
    return "; ".join(
        problem
        for stream, seen in sorted(latest["streams"].items(), key=lambda item: int(item[0]))
        if (
            problem := _missing(
                {**seen, "at": latest["at"]},
                AuditEvent.objects.filter(stream=int(stream)),
                f" of stream {stream}",
            )
        )
    )


def _missing(seen: dict, events, where: str) -> str:
    if seen["count"] == 0:
        return ""
    event = events.filter(pk=seen["last_id"]).values("hash").first()
    present = events.filter(id__lte=seen["last_id"]).count()
    if event is not None and event["hash"] == seen["last_hash"] and present == seen["count"]:
        return ""
    now_last = events.order_by("-id").values_list("id", flat=True).first()
    if event is None:
        detail = f" and event #{seen['last_id']} is missing"
    elif event["hash"] != seen["last_hash"]:
        detail = f" and event #{seen['last_id']} differs"
    else:
        detail = ""
    return (
        f"the checkpoint of {seen['at']} recorded {seen['count']} events{where} up to "
        f"#{seen['last_id']} (hash {seen['last_hash'][:12]}…); the table holds "
        f"{present} of them{detail} (newest event now: #{now_last or 0}): the chain "
        "was shortened or emptied"
    )
