"""Service-record audits (Q5): draw the sample, check each record against the
checklist, record findings as rectification actions with owners and due dates, close
the audit when every record is checked, and report pass rates per check and stratum.

The sample: the requests completed in the period, grouped by engineer or by province
(the stratum), each stratum sorted by id and ⌈n × percent / 100⌉ of it drawn with
``random.Random(seed)`` (at least one from every stratum that has records). The seed
is stored, so the same seed over the same records draws the same sample."""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.dates import local_today, local_tz
from mdss.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from mdss.core.numbers import next_number

from ..choices import AuditCheck, AuditStatus, AuditStrata
from ..choices import QualityAction as A
from ..models import AuditItem, Finding, RecordAudit
from ..permissions import has, require_role
from .common import bounded, notify, raise_if, require_text

DONE_STATUSES = ("completed", "confirmed", "followed_up", "closed")
MAX_SEED = 2**53


def draw_sample(rows: list[tuple[int, str]], percent: int, seed: int) -> list[tuple[int, str]]:
    """``rows``: (request id, stratum). The stratified sample, in stratum order."""
    strata: dict[str, list[int]] = defaultdict(list)
    for pk, stratum in rows:
        strata[stratum].append(pk)
    rng = random.Random(seed)  # noqa: S311 (reproducible by design, not a secret)
    sample = []
    for stratum in sorted(strata):
        ids = sorted(strata[stratum])
        size = max(1, math.ceil(len(ids) * percent / 100))
        sample += [(pk, stratum) for pk in sorted(rng.sample(ids, min(size, len(ids))))]
    return sample


def _population(start: date, end: date, strata: str) -> list[tuple[int, str]]:
    from mdss.service.models import ServiceRequest

    tz = local_tz()
    rows = ServiceRequest.objects.filter(
        status__in=DONE_STATUSES,
        completed_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        completed_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )
    if strata == AuditStrata.ENGINEER:
        values = rows.values_list("pk", "engineer__full_name", "engineer_id")
        return [(pk, f"{name or '—'}#{eid or 0}") for pk, name, eid in values]
    values = rows.values_list("pk", "province__name", "province_id")
    return [(pk, f"{name or '—'}#{rid or 0}") for pk, name, rid in values]


def audit_create(
    *,
    actor,
    period_start: date,
    period_end: date,
    strata: str = AuditStrata.ENGINEER,
    percent: int | None = None,
    seed: int | None = None,
    today: date | None = None,
) -> RecordAudit:
    """Plan the audit of a period and draw its sample."""
    require_role(actor, A.AUDIT_CREATE)
    today = today or local_today()
    percent = settings.QUALITY_POLICY["audit_percent"] if percent is None else percent
    errors: list[FieldError] = []
    if period_start is None or period_end is None:
        errors.append(FieldError("period_start", "required", _("Which period?")))
    elif period_end < period_start:
        errors.append(FieldError("period_end", "before_start", _("The end comes after the start.")))
    elif period_end > today:
        errors.append(FieldError("period_end", "future", _("Audit a period that has ended.")))
    elif (period_end - period_start).days > 366:
        errors.append(FieldError("period_end", "too_long", _("At most a year.")))
    if strata not in AuditStrata.values:
        errors.append(FieldError("strata", "invalid_choice", _("By engineer or by province?")))
    if not isinstance(percent, int) or not 1 <= percent <= 100:
        errors.append(FieldError("percent", "range", _("Between 1 and 100.")))
    if seed is not None and not 0 <= seed < MAX_SEED:
        errors.append(FieldError("seed", "range", _("A whole number from 0 to 2^53.")))
    raise_if(errors)
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    population = _population(period_start, period_end, strata)
    if not population:
        raise ValidationFailed.single(
            "period_start", "empty", _("No request was completed in this period.")
        )
    sample = draw_sample(population, percent, seed)
    with transaction.atomic():
        it = RecordAudit.objects.create(
            number=next_number("JH", on=today),
            period_start=period_start,
            period_end=period_end,
            percent=percent,
            strata=strata,
            seed=seed,
            population=len(population),
            auditor=actor,
        )
        AuditItem.objects.bulk_create(
            [AuditItem(audit=it, service_request_id=pk, stratum=stratum) for pk, stratum in sample]
        )
        audit.record(
            actor=actor,
            action="quality.audit_planned",
            obj=it,
            changes={
                "period": [period_start, period_end],
                "strata": strata,
                "percent": percent,
                "seed": seed,
                "population": len(population),
                "sample": [pk for pk, _s in sample],
            },
        )
    return it


def _open(record_audit: RecordAudit) -> RecordAudit:
    locked = RecordAudit.objects.select_for_update().get(pk=record_audit.pk)
    if locked.status != AuditStatus.OPEN:
        raise Conflict(_("This audit is closed."))
    return locked


def audit_check(*, actor, item: AuditItem, checks: dict, note: str = "") -> AuditItem:
    """Record the checklist of one sampled record (every check answered)."""
    require_role(actor, A.AUDIT_CHECK)
    errors: list[FieldError] = []
    answers = {}
    for check in AuditCheck.values:
        value = (checks or {}).get(check)
        if not isinstance(value, bool):
            errors.append(FieldError(f"checks.{check}", "required", _("Yes or no.")))
        answers[check] = value
    unknown = set(checks or {}) - set(AuditCheck.values)
    for name in sorted(unknown):
        errors.append(FieldError(f"checks.{name}", "invalid_choice", _("Not a check of the list.")))
    note = bounded(errors, "note", note, 2000)
    raise_if(errors)
    with transaction.atomic():
        _open(item.audit)
        item = AuditItem.objects.select_for_update().get(pk=item.pk)
        item.checks, item.note, item.checked_by, item.checked_at = (
            answers,
            note,
            actor,
            timezone.now(),
        )
        item.save(update_fields=["checks", "note", "checked_by", "checked_at"])
        audit.record(
            actor=actor,
            action="quality.audit_checked",
            obj=item.audit,
            changes={"request": item.service_request_id, "checks": answers, "note": note},
        )
    return item


def finding_add(
    *, actor, item: AuditItem, description: str, owner, due_on: date, today: date | None = None
) -> Finding:
    """A finding on a record becomes a rectification action for its owner."""
    require_role(actor, A.FINDING_ADD)
    today = today or local_today()
    errors: list[FieldError] = []
    description = require_text(errors, "description", description, _("What is wrong?"), 2000)
    if owner is None or not owner.is_active or owner.has_role(roles.CUSTOMER):
        errors.append(FieldError("owner", "invalid", _("Choose an active member of staff.")))
    if due_on is None or due_on < today:
        errors.append(FieldError("due_on", "past", _("Choose a day from today on.")))
    elif due_on > today + timedelta(days=366):
        errors.append(FieldError("due_on", "too_far", _("Within a year.")))
    raise_if(errors)
    with transaction.atomic():
        _open(item.audit)
        finding = Finding.objects.create(
            item=item, description=description, owner=owner, due_on=due_on, created_by=actor
        )
        audit.record(
            actor=actor,
            action="quality.audit_finding",
            obj=item.audit,
            changes={
                "finding": finding.pk,
                "owner": owner.pk,
                "due_on": due_on,
                "text": description,
            },
        )
        notify(
            owner,
            _("Audit %(no)s: rectify by %(d)s") % {"no": item.audit.number, "d": due_on},
            description,
            f"/quality/audits/{item.audit_id}/",
            kind="quality.finding",
        )
    return finding


def finding_done(*, actor, finding: Finding, result: str) -> Finding:
    require_role(actor, A.FINDING_DONE)
    if finding.owner_id != actor.pk and not has(actor, roles.QUALITY, roles.SERVICE_MANAGER):
        raise PermissionDenied(_("Only the finding's owner, quality or the service manager."))
    errors: list[FieldError] = []
    result = require_text(errors, "result", result, _("What was put right?"), 2000)
    raise_if(errors)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.done_at is not None:
            raise Conflict(_("This finding is rectified already."))
        finding.done_at, finding.result = timezone.now(), result
        finding.save(update_fields=["done_at", "result", "updated_at"])
        audit.record(
            actor=actor,
            action="quality.audit_finding_done",
            obj=finding.item.audit,
            changes={"finding": finding.pk, "result": result},
        )
    return finding


def audit_report(record_audit: RecordAudit) -> dict:
    """Pass rates per check and per stratum, and the findings' progress."""
    items = list(record_audit.items.all())
    checked = [i for i in items if i.checked_at is not None]
    per_check = {
        check: sum(1 for i in checked if i.checks.get(check)) for check in AuditCheck.values
    }
    strata: dict[str, dict] = {}
    for i in items:
        s = strata.setdefault(i.stratum.split("#")[0], {"sampled": 0, "checked": 0, "passed": 0})
        s["sampled"] += 1
        s["checked"] += i.checked_at is not None
        s["passed"] += bool(i.passed)
    findings = Finding.objects.filter(item__audit=record_audit)
    return {
        "population": record_audit.population,
        "sampled": len(items),
        "checked": len(checked),
        "passed": sum(1 for i in checked if i.passed),
        "per_check": per_check,
        "strata": strata,
        "findings": findings.count(),
        "findings_open": findings.filter(done_at__isnull=True).count(),
    }


def audit_close(*, actor, record_audit: RecordAudit, summary: str) -> RecordAudit:
    """Close once every sampled record is checked; the findings' rectification goes on."""
    require_role(actor, A.AUDIT_CLOSE)
    errors: list[FieldError] = []
    summary = require_text(errors, "summary", summary, _("The audit's conclusion."), 4000)
    raise_if(errors)
    with transaction.atomic():
        locked = _open(record_audit)
        unchecked = locked.items.filter(checked_at__isnull=True).count()
        if unchecked:
            raise Conflict(_("%(n)s sampled records are not checked yet.") % {"n": unchecked})
        locked.status, locked.closed_at, locked.summary = (
            AuditStatus.CLOSED,
            timezone.now(),
            summary,
        )
        locked.save(update_fields=["status", "closed_at", "summary", "updated_at"])
        audit.record(
            actor=actor,
            action="quality.audit_closed",
            obj=locked,
            changes={"summary": summary, **audit_report(locked)},
        )
    return locked
