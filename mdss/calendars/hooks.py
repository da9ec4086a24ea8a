"""What other apps ask of SLA clocks, so that none of them reads the clock table.

- ``clocks_due(model, code, now)``: the records of ``model`` whose running clock
  ``code`` has run out (a safety-net sweep, e.g. contract problems).
- ``responsible_load(code)``: running clocks per responsible person (least-loaded
  assignment, e.g. legal review).
- ``on_breach(code, handler)``: ``handler(object_id, clock)`` runs after the sweep that
  marked a clock of ``code`` breached has committed; the app acts on its record (the
  contract problem escalates to management). Apps register in ``AppConfig.ready``.
- ``on_breaches(code, handler)``: ``handler([(object_id, clock), …])`` runs once
  after such a sweep with every breach it marked of the codes the handler is
  registered for: an app that tells people of breaches sends one message per person
  and sweep, and a backlog after downtime costs a few queries, not a few per clock.

- ``running_due_at(model, code)``: an expression for a queryset of ``model`` — the due
  time of each row's running clock ``code`` (lists sorted by deadline, API fields).

- ``register_subject_links(model, fn)``: the deadline list links each clock to the
  record it measures. ``fn(viewer, object_ids) -> {object_id: url}`` answers for the
  records of ``model`` on one page, in one query, with only those the viewer may
  open (no link that would answer 403 or 404); ``subject_urls(viewer, clocks)`` asks
  each subject model's function once.

A test forbids imports of ``calendars.models`` outside this app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from .choices import ClockStatus
from .models import SlaClock

_handlers: dict[str, list[Callable]] = {}
_subject_links: dict[str, Callable] = {}


def on_breach(code: str, handler: Callable) -> None:
    """Register ``handler(object_id: int, clock)`` for breaches of ``code``; idempotent."""
    registered = _handlers.setdefault(code, [])
    if handler not in registered:
        registered.append(handler)


def breach_handlers(code: str) -> list[Callable]:
    return list(_handlers.get(code, ()))


_batch_handlers: dict[str, list[Callable]] = {}


def on_breaches(code: str, handler: Callable) -> None:
    """Register ``handler(breaches: list[tuple[int, clock]])`` for the breaches of
    ``code`` a sweep marks, called once per sweep; idempotent."""
    registered = _batch_handlers.setdefault(code, [])
    if handler not in registered:
        registered.append(handler)


def batch_breach_handlers(code: str) -> list[Callable]:
    return list(_batch_handlers.get(code, ()))


def clocks_due(model, code: str, now: datetime) -> list[tuple[int, object]]:
    """(record id, clock) for every running clock ``code`` of ``model`` due by ``now``."""
    rows = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        code=code,
        status=ClockStatus.RUNNING,
        due_at__lte=now,
    ).select_related("target")
    return [(int(clock.object_id), clock) for clock in rows.order_by("due_at", "pk")]


def running_due_at(model, code: str):
    """``queryset.annotate(due_at=running_due_at(Model, "parts.provide"))``: each row's
    running clock's due time (NULL when none), one subquery in the list's query."""
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    return Subquery(
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            code=code,
            status=ClockStatus.RUNNING,
        ).values("due_at")[:1]
    )


def has_missed(model):
    """``queryset.annotate(late=has_missed(Model))``: whether the row has a missed
    deadline of any code, one EXISTS in the list's query."""
    from django.db.models import CharField, Exists, OuterRef
    from django.db.models.functions import Cast

    return Exists(
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            status=ClockStatus.MISSED,
        )
    )


def responsible_load(code: str) -> dict[int, int]:
    """{user id: running clocks of ``code`` they answer for}."""
    return dict(
        SlaClock.objects.filter(code=code, status=ClockStatus.RUNNING)
        .exclude(responsible=None)
        .values("responsible")
        .annotate(n=Count("pk"))
        .values_list("responsible", "n")
    )


def register_subject_links(model, fn: Callable) -> None:
    """Register ``fn(viewer, object_ids) -> {object_id: url}`` for clocks on ``model``."""
    _subject_links[model._meta.label_lower] = fn


def subject_urls(viewer, clocks) -> dict[int, str]:
    """{clock id: URL of its record} for the clocks whose record ``viewer`` may open:
    one call (one query) per kind of record on the page."""
    by_type: dict[int, list] = {}
    for clock in clocks:
        by_type.setdefault(clock.content_type_id, []).append(clock)
    urls = {}
    for content_type_id, rows in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        fn = _subject_links.get(model._meta.label_lower) if model is not None else None
        if fn is None:
            continue
        found = fn(viewer, sorted({str(clock.object_id) for clock in rows}))
        found = {str(key): url for key, url in found.items()}
        urls.update(
            {
                clock.pk: found[str(clock.object_id)]
                for clock in rows
                if str(clock.object_id) in found
            }
        )
    return urls


def outcomes_by_responsible(codes, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """{user id: (met, missed)} for the clocks of ``codes`` each person answered for
    that stopped (or were missed) in [start, end): the evaluation's SLA figure."""
    from django.db.models import Q

    rows = (
        SlaClock.objects.filter(
            code__in=list(codes),
            responsible__isnull=False,
            status__in=(ClockStatus.MET, ClockStatus.MISSED),
        )
        .filter(
            Q(stopped_at__gte=start, stopped_at__lt=end)
            | Q(stopped_at__isnull=True, due_at__gte=start, due_at__lt=end)
        )
        .values("responsible_id")
        .annotate(
            met=Count("pk", filter=Q(status=ClockStatus.MET)),
            missed=Count("pk", filter=Q(status=ClockStatus.MISSED)),
        )
    )
    return {r["responsible_id"]: (r["met"], r["missed"]) for r in rows}


def clock_outcomes(model, codes, object_ids) -> dict[tuple[int, str], str]:
    """{(record id, code): status} of the clocks ``codes`` on the records ``object_ids``
    of ``model`` (the latest clock per record and code): analytics' SLA compliance.
    One query per call; callers pass a batch of ids."""
    content_type = ContentType.objects.get_for_model(model)
    rows = (
        SlaClock.objects.filter(
            content_type=content_type,
            code__in=list(codes),
            object_id__in=[str(pk) for pk in object_ids],
        )
        .order_by("pk")
        .values_list("object_id", "code", "status")
    )
    return {(int(object_id), code): status for object_id, code, status in rows}


def clock_spans(model, code: str, object_ids) -> dict[int, tuple[datetime, datetime | None]]:
    """{record id: (started_at, stopped_at)} of clock ``code`` on the records
    ``object_ids`` of ``model``: how long the step took (analytics' parts lead time)."""
    rows = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        code=code,
        object_id__in=[str(pk) for pk in object_ids],
    ).values_list("object_id", "started_at", "stopped_at")
    return {int(object_id): (started, stopped) for object_id, started, stopped in rows}
