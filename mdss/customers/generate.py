"""Synthetic customers for benchmarks: 2,000 customers and 20,000 activities per unit
of scale (scale 100 = 200,000 customers and 2,000,000 activities), owned by the
generated reps, spread over every city, two thirds existing with a visit due date."""

from datetime import date, timedelta

from mdss.accounts import roles
from mdss.accounts.models import Region, User
from mdss.calendars import engine

from .models import Activity, Customer

KINDS = ["public_hospital"] * 5 + ["private_hospital"] * 2 + ["clinic", "dealer", "government"]


def generate(*, scale: int, rng, stdout) -> int:
    wanted = 2000 * scale
    existing = Customer.objects.filter(name__startswith="gen-").count()
    if existing < wanted:
        _customers(existing, wanted, rng)
    activities_wanted = 20000 * scale
    have = Activity.objects.filter(subject="gen").count()
    if have < activities_wanted:
        _activities(activities_wanted - have, rng)
    stdout.write(
        f"customers: {Customer.objects.filter(name__startswith='gen-').count()} present, "
        f"activities: {Activity.objects.filter(subject='gen').count()} present"
    )
    return wanted - existing


def _customers(first: int, wanted: int, rng) -> None:
    reps = list(
        User.objects.filter(username__startswith="gen-", groups__name=roles.SALES_REP).values_list(
            "pk", "department_id"
        )
    )
    if not reps:
        reps = list(User.objects.filter(is_superuser=True).values_list("pk", "department_id"))
    cities = list(Region.objects.filter(level="city").values_list("pk", "parent_id"))
    today = date(2026, 11, 27)
    batch = []
    for n in range(first, wanted):
        owner, team = rng.choice(reps)
        region, province = rng.choice(cities)
        kind = rng.choice(KINDS)
        since = today - timedelta(days=rng.randint(30, 1500)) if rng.random() < 0.66 else None
        last = since + timedelta(days=rng.randint(0, (today - since).days)) if since else None
        batch.append(
            Customer(
                name=f"gen-customer-{n:07d}",
                name_key=f"gen-customer-{n:07d}",
                kind=kind,
                hospital_level=rng.choice("123") if kind == "public_hospital" else "",
                grade=rng.choice("ABCCC"),
                status="existing" if since else "potential",
                region_id=region,
                province_id=province,
                owner_id=owner,
                team_id=team,
                became_existing_on=since,
                last_visit_on=last,
                next_visit_due=engine.cadence_due(last, since, 3) if since else None,
            )
        )
        if len(batch) == 5000:
            Customer.objects.bulk_create(batch)
            batch = []
    Customer.objects.bulk_create(batch)


def _activities(count: int, rng) -> None:
    customers = list(Customer.objects.filter(name__startswith="gen-").values_list("pk", "owner_id"))
    start = date(2024, 1, 1)
    batch = []
    for _ in range(count):
        customer, owner = rng.choice(customers)
        batch.append(
            Activity(
                customer_id=customer,
                kind=rng.choice(["call", "visit", "meeting", "online"]),
                occurred_on=start + timedelta(days=rng.randint(0, 1060)),
                subject="gen",
                recorded_by_id=owner,
            )
        )
        if len(batch) == 10000:
            Activity.objects.bulk_create(batch)
            batch = []
    Activity.objects.bulk_create(batch)
