"""Synthetic complaints for benchmarks: 2,000 per unit of scale (scale 100 = 200,000)
over two years at the generated customers, one in eight major, 97 % closed with their
clocks stopped (a few missed), 3 % open in every open state with running clocks,
handled by the generated quality staff. Written in bulk without audit events (nothing
here happened); numbered TS-G…, so a second run adds only what is missing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .choices import Category, Channel, Concerns, Severity
from .choices import ComplaintStatus as S
from .models import Complaint

CHUNK = 10_000
OPEN_STATES = [S.NEW, S.CONTACTED, S.CONTACTED, S.INVESTIGATING, S.RESOLVED, S.FED_BACK]
KINDS = [
    (Concerns.SERVICE, Category.SERVICE),
    (Concerns.PRODUCT, Category.PRODUCT_QUALITY),
    (Concerns.DELIVERY, Category.DELIVERY),
    (Concerns.PRICE, Category.BILLING),
    (Concerns.CONDUCT, Category.SALES_CONDUCT),
]


def generate(*, scale: int, rng, stdout) -> int:
    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.devices.models import InstalledDevice

    wanted = 2_000 * scale
    existing = Complaint.objects.filter(number__startswith="TS-G").count()
    if existing >= wanted:
        stdout.write(f"complaints: {existing} complaints present")
        return 0
    units = list(
        InstalledDevice.objects.filter(serial__startswith="GEN-", status="in_service").values_list(
            "pk", "customer_id"
        )[:200_000]
    )
    handlers = list(
        User.objects.filter(username__startswith="gen-", groups__name=roles.QUALITY).values_list(
            "pk", flat=True
        )
    )
    if not units or not handlers:
        stdout.write("complaints: generate people, customers and devices first")
        return 0
    now = timezone.now()
    for start in range(existing, wanted, CHUNK):
        _chunk(range(start, min(start + CHUNK, wanted)), wanted, units, handlers, now, rng)
    stdout.write(f"complaints: {wanted} complaints present")
    return wanted - existing


def _chunk(numbers, wanted, units, handlers, now, rng) -> None:
    from mdss.calendars.generate import bulk_clocks

    open_from = wanted - wanted * 3 // 100  # the newest 3 % are still open
    rows, planned = [], []
    for n in numbers:
        unit, customer = rng.choice(units)
        concerns, category = rng.choice(KINDS)
        major = n % 8 == 0
        is_open = n >= open_from
        if is_open:
            received = now - timedelta(minutes=rng.randint(1, 60 * 24 * 10))
            status = rng.choice(OPEN_STATES)
            if status == S.INVESTIGATING:
                major = True
        else:
            received = now - timedelta(
                days=730 * (wanted - n) / wanted + 14, minutes=rng.randint(0, 600)
            )
            status = S.CLOSED
        handler = rng.choice(handlers)
        contacted = received + timedelta(minutes=rng.randint(10, 130))
        classified = status != S.NEW
        clocks = _clocks(status, major, received, contacted, handler, rng)
        running = [c["due_at"] for c in clocks if c.get("status", "running") == "running"]
        resolution_due = contacted + timedelta(days=10) if major else None
        due = min(running) if running else None
        if status == S.INVESTIGATING:
            due = resolution_due
        rows.append(
            Complaint(
                number=f"TS-G{n:09d}",
                channel=Channel.PHONE,
                received_at=received,
                complainant_name="gen",
                complainant_phone="13900000000",
                customer_id=customer,
                concerns=concerns,
                device_id=unit if concerns == Concerns.PRODUCT else None,
                content="gen",
                status=status,
                handler_id=handler,
                due_at=due if status != S.CLOSED else None,
                category=category if classified else "",
                severity=(Severity.MAJOR if major else Severity.GENERAL) if classified else "",
                contacted_at=contacted if status != S.NEW else None,
                team_formed_at=contacted + timedelta(hours=20) if major and classified else None,
                resolution_due=resolution_due if classified else None,
                closed_at=contacted + timedelta(days=12) if status == S.CLOSED else None,
            )
        )
        planned.append(clocks)
    with transaction.atomic():
        created = Complaint.objects.bulk_create(rows, batch_size=5000)
        clocks = []
        for complaint, rows_of in zip(created, planned, strict=True):
            for row in rows_of:
                row["object_id"] = complaint.pk
            clocks += rows_of
        bulk_clocks(Complaint, clocks, settled_before=now - timedelta(minutes=1))


def _clocks(status, major, received, contacted, handler, rng):
    hour = timedelta(hours=1)

    def stopped(code, start, due, end):
        return {"object_id": None, "code": code, "started_at": start, "due_at": due,
                "responsible_id": handler, "stopped_at": end,
                "status": "met" if end <= due else "missed"}  # fmt: skip

    def running(code, start, due):
        return {"object_id": None, "code": code, "started_at": start, "due_at": due,
                "responsible_id": handler}  # fmt: skip

    contact_due = received + 2 * hour
    if status == S.NEW:
        return [running("complaint.contact", received, contact_due),
                running("complaint.answer", received, received + 24 * hour)]  # fmt: skip
    rows = [stopped("complaint.contact", received, contact_due, contacted)]
    if major:
        team_due = contacted + 48 * hour
        if status == S.CONTACTED:
            return rows + [running("complaint.team", contacted, team_due)]
        return rows + [stopped("complaint.team", contacted, team_due, contacted + 20 * hour)]
    answer_due = received + 24 * hour
    if status == S.CONTACTED:
        return rows + [running("complaint.answer", received, answer_due)]
    answered = received + timedelta(hours=rng.choice([4, 8, 20, 30]))
    return rows + [stopped("complaint.answer", received, answer_due, answered)]
