"""Synthetic SLA clocks for benchmarks: 300 open clocks per unit of scale, on the
generated people (50 per scale × 7 obligations leaves room for one open clock per
person and obligation, as the constraint requires)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mdss.accounts.models import User

from . import engine, selectors
from .choices import ClockStatus
from .models import SlaClock, SlaTarget


def generate(*, scale: int, rng, stdout) -> int:
    wanted = 300 * scale
    existing = SlaClock.objects.filter(subject_repr__startswith="gen-").count()
    if existing >= wanted:
        stdout.write(f"clocks: {existing} present")
        return 0
    people = list(User.objects.filter(username__startswith="gen-").values_list("pk", flat=True))
    targets = list(SlaTarget.objects.filter(policy__is_active=True).select_related("policy"))
    calendar = selectors.work_calendar()
    tz = selectors.local_tz()
    user_type = ContentType.objects.get_for_model(User)
    now = timezone.now()
    clocks = []
    for n in range(existing, wanted):
        target = targets[n % len(targets)]
        person = people[n // len(targets)]
        started = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 5))
        amount = engine.amount_in_unit(target.unit, float(target.duration))
        due, provisional = calendar.due(target.unit, started, amount, tz)
        clocks.append(
            SlaClock(
                content_type=user_type,
                object_id=str(person),
                subject_repr=f"gen-{n:07d}",
                target=target,
                code=target.code,
                unit=target.unit,
                responsible_id=rng.choice(people),
                status=ClockStatus.RUNNING,
                started_at=started,
                due_at=due,
                warn_at=due,
                provisional=provisional,
            )
        )
    SlaClock.objects.bulk_create(clocks, batch_size=2000)
    added = SlaClock.objects.filter(subject_repr__startswith="gen-").count() - existing
    stdout.write(f"clocks: {added} added")
    return added


def bulk_clocks(model, rows: list[dict], batch_size: int = 5000, settled_before=None) -> int:
    """Write generated clocks of ``model``'s records in bulk (benchmark data of other
    apps, which may not import this app's models). Each row: ``object_id``, ``code``,
    ``started_at``, ``due_at`` and optionally ``status``, ``responsible_id``,
    ``stopped_at``, ``warned_at``, ``breached_at``, ``subject_repr``; the target and
    unit come from the active policy, the warning at its percentage of the time.
    ``settled_before``: running clocks whose warning or deadline came before it are
    written as the minute sweep would have left them (warned, breached)."""
    targets = {t.code: t for t in SlaTarget.objects.filter(policy__is_active=True)}
    content_type = ContentType.objects.get_for_model(model)
    clocks = []
    for row in rows:
        target = targets[row["code"]]
        started, due = row["started_at"], row["due_at"]
        warn_at = started + (due - started) * target.warn_percent / 100
        status = row.get("status", ClockStatus.RUNNING)
        settled = settled_before is not None and status == ClockStatus.RUNNING
        clocks.append(
            SlaClock(
                content_type=content_type,
                object_id=str(row["object_id"]),
                subject_repr=row.get("subject_repr", "gen"),
                target=target,
                code=target.code,
                unit=target.unit,
                responsible_id=row.get("responsible_id"),
                status=status,
                started_at=started,
                due_at=due,
                warn_at=warn_at,
                stopped_at=row.get("stopped_at"),
                warned_at=warn_at if settled and warn_at < settled_before else None,
                breached_at=due if settled and due < settled_before else None,
            )
        )
    SlaClock.objects.bulk_create(clocks, batch_size=batch_size)
    return len(clocks)
