"""Synthetic service requests for benchmarks: 10,000 per unit of scale (scale 100 =
1,000,000 requests and 3,000,000 clocks) over two years on the generated units, 98 %
closed with their three clocks stopped (a few missed), 2 % open across the generated
engineers and dispatchers in every open state with running clocks — some breached
and marked, a handful due in the last minute for the sweep to find. Every completed
request has its visit on site (one in eight needed two: the first waited for parts),
every closed one its follow-up ratings (mostly 4–5; about 3,000,000 rows more at
scale 100, what the quality evaluation reads). Written in bulk
without audit events (nothing here happened); numbered FW-G…, so a second run adds
only what is missing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .choices import URGENCY_RANK, Channel, Resolution, Triage, Urgency
from .choices import RequestStatus as S
from .models import FollowUp, ServiceRequest, Visit

CHUNK = 10_000
OPEN_STATES = [S.NEW, S.CONTACTED, S.TO_DISPATCH, S.DISPATCHED, S.ON_SITE, S.COMPLETED]
URGENCIES = [Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL, Urgency.NORMAL, Urgency.LOW]


def generate(*, scale: int, rng, stdout) -> int:
    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.devices.models import InstalledDevice

    wanted = 10_000 * scale
    existing = ServiceRequest.objects.filter(number__startswith="FW-G").count()
    if existing >= wanted:
        stdout.write(f"service: {existing} requests present")
        return 0
    units = list(
        InstalledDevice.objects.filter(serial__startswith="GEN-", status="in_service").values_list(
            "pk", "customer_id", "customer__province_id"
        )
    )
    people = User.objects.filter(username__startswith="gen-")
    engineers = list(
        people.filter(groups__name=roles.SERVICE_ENGINEER).values_list("pk", flat=True)
    )
    dispatchers = list(
        people.filter(groups__name=roles.SERVICE_MANAGER).values_list("pk", flat=True)
    )
    if not units or not engineers or not dispatchers:
        stdout.write("service: generate people, customers and devices first")
        return 0
    now = timezone.now()
    for start in range(existing, wanted, CHUNK):
        _chunk(range(start, min(start + CHUNK, wanted)), wanted, units, engineers, dispatchers,
               now, rng)  # fmt: skip
    stdout.write(f"service: {wanted} requests present")
    return wanted - existing


def _chunk(numbers, wanted, units, engineers, dispatchers, now, rng) -> None:
    from mdss.calendars.generate import bulk_clocks

    open_from = wanted - wanted // 50  # the newest 2 % are still open
    rows, plans = [], []
    for n in numbers:
        unit, customer, province = rng.choice(units)
        urgency = rng.choice(URGENCIES)
        is_open = n >= open_from
        if is_open:
            reported = now - timedelta(minutes=rng.randint(1, 60 * 24 * 6))
            status = rng.choice(OPEN_STATES)
        else:
            reported = now - timedelta(
                days=730 * (wanted - n) / wanted + 7, minutes=rng.randint(0, 600)
            )
            status = S.CLOSED
        engineer = (
            None
            if status in (S.NEW, S.TO_DISPATCH) and rng.random() < 0.7
            else rng.choice(engineers)
        )
        contacted = reported + timedelta(minutes=rng.randint(5, 75))
        onsite_start = contacted + timedelta(minutes=10)
        arrived = onsite_start + timedelta(hours=rng.choice([2, 4, 8, 20, 26]))
        completed = arrived + timedelta(hours=2)
        rows.append(
            ServiceRequest(
                number=f"FW-G{n:09d}",
                channel=Channel.HOTLINE,
                customer_id=customer,
                province_id=province,
                device_id=unit,
                reporter_name="gen",
                symptom="gen",
                urgency=urgency,
                urgency_rank=URGENCY_RANK[urgency],
                reported_at=reported,
                status=status,
                engineer_id=engineer,
                triage="" if status in (S.NEW, S.CONTACTED) else Triage.COMPLEX,
                resolution=Resolution.ONSITE if status in (S.COMPLETED, S.CLOSED) else "",
                contacted_at=None if status == S.NEW else contacted,
                completed_at=completed if status in (S.COMPLETED, S.CLOSED) else None,
                closed_at=completed + timedelta(days=3) if status == S.CLOSED else None,
            )
        )
        plans.append((status, reported, contacted, onsite_start, arrived, completed, engineer))
    # Each request's clocks first (their object ids filled in once the rows exist), so
    # the request is written with the due time of its running clock.
    planned = []
    for request, (status, reported, contacted, onsite, arrived, done, engineer) in zip(
        rows, plans, strict=True
    ):
        responsible = engineer or rng.choice(dispatchers)
        clock = _clocks(None, status, reported, contacted, onsite, arrived, done, responsible,
                        now, rng)  # fmt: skip
        running = [c["due_at"] for c in clock if c.get("status", "running") == "running"]
        request.due_at = min(running) if running else None
        planned.append(clock)
    with transaction.atomic():
        created = ServiceRequest.objects.bulk_create(rows, batch_size=5000)
        clocks = []
        for request, clock in zip(created, planned, strict=True):
            for row in clock:
                row["object_id"] = request.pk
            clocks += clock
        # What fell due before the last minute's sweep is marked as it would have left it.
        bulk_clocks(ServiceRequest, clocks, settled_before=now - timedelta(minutes=1))
        _visits_and_follow_ups(created, plans, dispatchers, rng)


RATINGS = [5] * 6 + [4] * 3 + [3, 2, 1]  # follow-up scores, mostly good


def _visits_and_follow_ups(requests, plans, dispatchers, rng) -> None:
    visits, follow_ups = [], []
    for request, (status, _r, _c, _o, arrived, done, engineer) in zip(requests, plans, strict=True):
        if status not in (S.COMPLETED, S.CLOSED):
            continue
        if rng.random() < 1 / 8:  # a first visit that waited for parts
            visits.append(
                Visit(request=request, engineer_id=engineer, checked_in_at=arrived,
                      checked_out_at=arrived + timedelta(minutes=50), fault_symptom="gen")
            )  # fmt: skip
            arrived = done - timedelta(hours=1)
        visits.append(
            Visit(request=request, engineer_id=engineer, checked_in_at=arrived,
                  checked_out_at=done, fault_symptom="gen", recorded_at=done)
        )  # fmt: skip
        if status == S.CLOSED:
            scores = [rng.choice(RATINGS) for _ in range(3)]
            follow_ups.append(
                FollowUp(request=request, attitude=scores[0], quality=scores[1],
                         timeliness=scores[2], satisfied=min(scores) >= 3, contacted_person="gen",
                         recorded_by_id=rng.choice(dispatchers),
                         recorded_at=done + timedelta(days=rng.choice([1, 2, 3])))
            )  # fmt: skip
    Visit.objects.bulk_create(visits, batch_size=5000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)


def _clocks(pk, status, reported, contacted, onsite, arrived, done, responsible, now, rng):
    hour = timedelta(hours=1)

    def stopped(code, start, due, end):
        return {
            "object_id": pk, "code": code, "started_at": start, "due_at": due,
            "responsible_id": responsible, "stopped_at": end,
            "status": "met" if end <= due else "missed",
        }  # fmt: skip

    def running(code, start, due):
        return {"object_id": pk, "code": code, "started_at": start, "due_at": due,
                "responsible_id": responsible}  # fmt: skip

    contact_due = reported + hour
    if status == S.NEW:
        # A few fell due in the last minute: the next sweep's work.
        if rng.random() < 0.01:
            return [running("service.contact", now - timedelta(seconds=3600 + rng.randint(1, 50)),
                            now - timedelta(seconds=rng.randint(1, 50)))]  # fmt: skip
        return [running("service.contact", reported, contact_due)]
    rows = [stopped("service.contact", reported, contact_due, contacted)]
    if status == S.CONTACTED:
        return rows
    onsite_due = onsite + 24 * hour
    if status in (S.TO_DISPATCH, S.DISPATCHED):
        return rows + [running("service.onsite", onsite, onsite_due)]
    rows.append(stopped("service.onsite", onsite, onsite_due, arrived))
    if status == S.ON_SITE:
        return rows
    follow_due = done + timedelta(days=4)  # about 3 working days
    if status == S.COMPLETED:
        return rows + [running("service.followup", done, follow_due)]
    return rows + [
        stopped(
            "service.followup", done, follow_due, done + timedelta(days=rng.choice([1, 2, 3, 5]))
        )
    ]
