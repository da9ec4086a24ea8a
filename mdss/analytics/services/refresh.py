"""Bring the fact tables up to date with the records.

- ``refresh_sales_days(days)``: rewrite the sales facts of those signing days from
  the contract lines in force (one grouped query per chunk of days).
- ``refresh_requests(ids)`` / ``refresh_complaints(ids)``: rewrite those records'
  facts (a fixed number of queries per batch).
- ``refresh_part_days(days)``: rewrite the spare-part demand of those days.
- ``refresh(now)``: what changed since the last run: contracts signed or amended
  since then (their signing days), service requests and complaints created since
  then or not final yet (an open record's figures still move), and the days of
  those requests' visits. The first run, and ``refresh(now, full=True)``, rebuild
  everything. The periodic job (tasks.py) calls it every hour.

Each refresh is exact for what it rewrites: a day's or a record's rows are deleted
and written again in one transaction, so a second run gives the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone

from ..models import ComplaintFact, PartDay, RefreshState, SalesDay, ServiceFact

BATCH = 2000
DAY_CHUNK = 31
STATE = "facts"
# A record created a little before the last run may have committed after it read.
OVERLAP = timedelta(minutes=10)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _minutes(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None or end < start:
        return None
    return int((end - start).total_seconds() // 60)


# Sales (D1) ---------------------------------------------------------------------------


def refresh_sales_days(days: Iterable[date]) -> int:
    from mdss.contracts.models import ContractLine

    written = 0
    for chunk in _chunks(sorted(set(days)), DAY_CHUNK):
        rows = (
            ContractLine.objects.filter(contract__signed_on__in=chunk)
            .values(
                "contract__signed_on",
                "contract__customer_id",
                "model_id",
                "contract__rep_id",
                "contract__customer__province_id",
                "contract__customer__region_id",
                "contract__customer__kind",
                "contract__customer__grade",
                "model__product__category_code",
                "contract__rep__department_id",
            )
            .annotate(
                q=Sum("quantity"),
                a=Sum(F("quantity") * F("unit_price")),
                n=Count("pk"),
            )
            .order_by()
        )
        facts = [
            SalesDay(
                day=r["contract__signed_on"],
                customer_id=r["contract__customer_id"],
                model_id=r["model_id"],
                rep_id=r["contract__rep_id"],
                province_id=r["contract__customer__province_id"],
                city_id=r["contract__customer__region_id"],
                customer_kind=r["contract__customer__kind"],
                customer_grade=r["contract__customer__grade"] or "",
                category=(r["model__product__category_code"] or "")[:2],
                department_id=r["contract__rep__department_id"],
                quantity=r["q"],
                amount=r["a"],
                lines=r["n"],
            )
            for r in rows
        ]
        with transaction.atomic():
            SalesDay.objects.filter(day__in=chunk).delete()
            SalesDay.objects.bulk_create(facts, batch_size=BATCH)
        written += len(facts)
    return written


def _sales_days_since(since: datetime) -> set[date]:
    from mdss.contracts.models import Amendment, Contract

    start = timezone.localdate(since) - timedelta(days=1)
    # Signed since (today's signatures), or changed since (a signature recorded with an
    # earlier date, a termination): their signing days are rewritten.
    days = set(
        Contract.objects.filter(Q(signed_on__gte=start) | Q(updated_at__gte=since))
        .exclude(signed_on=None)
        .values_list("signed_on", flat=True)
    )
    days |= set(
        Amendment.objects.filter(signed_on__gte=start).values_list("contract__signed_on", flat=True)
    )
    return {d for d in days if d is not None}


def _all_sales_days() -> set[date]:
    from mdss.contracts.models import Contract

    return set(
        Contract.objects.exclude(signed_on=None)
        .order_by()
        .values_list("signed_on", flat=True)
        .distinct()
    )


# Service (D3) -------------------------------------------------------------------------


def refresh_requests(ids: Iterable[int]) -> tuple[int, set[date]]:
    """Rewrite the facts of the requests ``ids``; returns (rows, days of their visits)."""
    from mdss.calendars.hooks import clock_outcomes, clock_spans
    from mdss.inventory.models import Requisition
    from mdss.service.choices import RequestStatus as S
    from mdss.service.models import FollowUp, ReplacedPart, ServiceRequest, Visit

    written, visit_days = 0, set()
    for batch in _chunks(sorted(set(ids)), BATCH):
        requests = list(
            ServiceRequest.objects.filter(pk__in=batch).values(
                "pk",
                "reported_at",
                "customer__province_id",
                "customer__region_id",
                "kind",
                "channel",
                "device__model_id",
                "engineer_id",
                "status",
                "contacted_at",
                "completed_at",
            )
        )
        visits: dict[int, dict] = {}
        for request_id, checked_in, checked_out in Visit.objects.filter(
            request_id__in=batch
        ).values_list("request_id", "checked_in_at", "checked_out_at"):
            v = visits.setdefault(request_id, {"first": checked_in, "n": 0, "minutes": 0})
            v["first"] = min(v["first"], checked_in)
            v["n"] += 1
            v["minutes"] += _minutes(checked_in, checked_out) or 0
            visit_days.add(timezone.localdate(checked_in))
        ratings = {
            f["request_id"]: f
            for f in FollowUp.objects.filter(request_id__in=batch).values(
                "request_id", "attitude", "quality", "timeliness", "satisfied"
            )
        }
        clocks = clock_outcomes(
            ServiceRequest, ("service.contact", "service.onsite", "service.followup"), batch
        )
        requisitions = dict(
            ReplacedPart.objects.filter(visit__request_id__in=batch, requisition__isnull=False)
            .values("requisition_id")
            .annotate(request=Min("visit__request_id"))
            .values_list("requisition_id", "request")
        )
        parts: dict[int, int] = {}
        for requisition_id, (started, stopped) in clock_spans(
            Requisition, "parts.provide", requisitions
        ).items():
            minutes = _minutes(started, stopped)
            if minutes is not None:
                request_id = requisitions[requisition_id]
                parts[request_id] = max(parts.get(request_id, 0), minutes)

        facts = []
        for r in requests:
            pk, reported = r["pk"], r["reported_at"]
            v = visits.get(pk, {"first": None, "n": 0, "minutes": 0})
            rating = ratings.get(pk)
            completed = r["completed_at"] is not None
            facts.append(
                ServiceFact(
                    request_id=pk,
                    day=timezone.localdate(reported),
                    province_id=r["customer__province_id"],
                    city_id=r["customer__region_id"],
                    kind=r["kind"],
                    channel=r["channel"],
                    model_id=r["device__model_id"],
                    engineer_id=r["engineer_id"],
                    final=r["status"] in (S.CLOSED, S.CANCELLED),
                    completed=completed,
                    contact_minutes=_minutes(reported, r["contacted_at"]),
                    onsite_minutes=_minutes(reported, v["first"]),
                    completion_minutes=_minutes(reported, r["completed_at"]),
                    parts_minutes=parts.get(pk),
                    visits=v["n"],
                    visit_minutes=v["minutes"],
                    # As the engineers' evaluation counts it (quality.services.evaluations):
                    # completed with at most one visit.
                    first_time_fix=(v["n"] <= 1) if completed else None,
                    rating=(
                        round(
                            (rating["attitude"] + rating["quality"] + rating["timeliness"]) / 3, 2
                        )
                        if rating
                        else None
                    ),
                    satisfied=rating["satisfied"] if rating else None,
                    contact_clock=_outcome(clocks.get((pk, "service.contact"))),
                    onsite_clock=_outcome(clocks.get((pk, "service.onsite"))),
                    followup_clock=_outcome(clocks.get((pk, "service.followup"))),
                )
            )
        with transaction.atomic():
            ServiceFact.objects.filter(request_id__in=batch).delete()
            ServiceFact.objects.bulk_create(facts, batch_size=BATCH)
        written += len(facts)
    return written, visit_days


def _outcome(status: str | None) -> str:
    """A clock's result: met or missed once decided, blank while running or never started."""
    from mdss.calendars.choices import ClockStatus

    return {ClockStatus.MET: "met", ClockStatus.MISSED: "missed"}.get(status, "")


def refresh_part_days(days: Iterable[date]) -> int:
    from mdss.service.models import ReplacedPart

    written = 0
    for chunk in _chunks(sorted(set(days)), DAY_CHUNK):
        start = _day_start(chunk[0])
        end = _day_start(chunk[-1] + timedelta(days=1))
        totals: dict[tuple, int] = {}
        for checked_in, province_id, part_id, quantity in ReplacedPart.objects.filter(
            visit__checked_in_at__gte=start, visit__checked_in_at__lt=end
        ).values_list(
            "visit__checked_in_at", "visit__request__customer__province_id", "part_id", "quantity"
        ):
            day = timezone.localdate(checked_in)
            if day in chunk:
                key = (day, province_id, part_id)
                totals[key] = totals.get(key, 0) + quantity
        facts = [
            PartDay(day=day, province_id=province, part_id=part, quantity=quantity)
            for (day, province, part), quantity in totals.items()
        ]
        with transaction.atomic():
            PartDay.objects.filter(day__in=chunk).delete()
            PartDay.objects.bulk_create(facts, batch_size=BATCH)
        written += len(facts)
    return written


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# Complaints (D3) ----------------------------------------------------------------------


def refresh_complaints(ids: Iterable[int]) -> int:
    from mdss.complaints.choices import ComplaintStatus
    from mdss.complaints.models import Complaint

    written = 0
    for batch in _chunks(sorted(set(ids)), BATCH):
        facts = [
            ComplaintFact(
                complaint_id=r["pk"],
                day=timezone.localdate(r["received_at"]),
                province_id=r["customer__province_id"],
                model_id=r["device__model_id"],
                category=r["category"] or "",
                severity=r["severity"] or "",
                final=r["status"] == ComplaintStatus.CLOSED,
                resolution_minutes=_minutes(r["received_at"], r["resolved_at"]),
                satisfaction=r["satisfaction"],
            )
            for r in Complaint.objects.filter(pk__in=batch).values(
                "pk",
                "received_at",
                "customer__province_id",
                "device__model_id",
                "category",
                "severity",
                "status",
                "resolved_at",
                "satisfaction",
            )
        ]
        with transaction.atomic():
            ComplaintFact.objects.filter(complaint_id__in=batch).delete()
            ComplaintFact.objects.bulk_create(facts, batch_size=BATCH)
        written += len(facts)
    return written


# The run ------------------------------------------------------------------------------


def refresh(now: datetime, *, full: bool = False) -> dict:
    """Bring every fact table up to date; returns what was rewritten and how long it
    took. Incremental from the last run unless ``full`` or never run."""
    from mdss.complaints.models import Complaint
    from mdss.service.models import ServiceRequest

    began = time.perf_counter()
    state = RefreshState.objects.filter(name=STATE).first()
    full = full or state is None
    if full:
        sales_days = _all_sales_days()
        request_ids = list(ServiceRequest.objects.values_list("pk", flat=True))
        complaint_ids = list(Complaint.objects.values_list("pk", flat=True))
    else:
        since = state.refreshed_at - OVERLAP
        sales_days = _sales_days_since(since)
        request_ids = list(
            ServiceRequest.objects.filter(created_at__gte=since).values_list("pk", flat=True)
        ) + list(ServiceFact.objects.filter(final=False).values_list("request_id", flat=True))
        complaint_ids = list(
            Complaint.objects.filter(created_at__gte=since).values_list("pk", flat=True)
        ) + list(ComplaintFact.objects.filter(final=False).values_list("complaint_id", flat=True))
    if full:
        # Facts of records that no longer exist (a test database reset) go too.
        SalesDay.objects.exclude(day__in=sales_days).delete()
    sales = refresh_sales_days(sales_days)
    requests, visit_days = refresh_requests(request_ids)
    complaints = refresh_complaints(complaint_ids)
    if full:
        PartDay.objects.all().delete()
    parts = refresh_part_days(visit_days)
    figures = {
        "full": full,
        "sales_days": len(sales_days),
        "sales_rows": sales,
        "requests": requests,
        "complaints": complaints,
        "part_rows": parts,
        "seconds": round(time.perf_counter() - began, 3),
    }
    RefreshState.objects.update_or_create(
        name=STATE,
        defaults={
            "refreshed_at": now,
            "rows": sales + requests + complaints + parts,
            "seconds": figures["seconds"],
        },
    )
    return figures


def last_refresh() -> RefreshState | None:
    return RefreshState.objects.filter(name=STATE).first()
