"""Service-quality evaluation (Q4): each engineer's scores for a period, built from
what the records hold, and the manager's review.

Figures per engineer, over the requests they completed in the period:
- follow-up ratings (1–5) on attitude, quality and timeliness, shown as 0–100
  ((mean − 1) / 4 × 100);
- first-time fix: the share of completed requests that needed at most one visit;
- repeat repairs: the share followed by another repair request on the same unit
  within ``repeat_days`` of completion;
- deadlines met: the share of their contact and on-site clocks met.
attitude = the attitude rating; quality = the weighted mean of the quality rating,
first-time fix and 100 − repeat share; efficiency = the weighted mean of the
timeliness rating and deadlines met; overall = the weighted mean of the three (the
weights are ``QUALITY_POLICY``). A part without data is left out of its mean rather
than counted as zero. Record audits (Q5) join the quality score: the share of the
engineer's audited records that passed every point with no finding. The figures take
four queries for all engineers together.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.dates import local_today, local_tz
from mdss.core.errors import Conflict, FieldError, PermissionDenied

from ..choices import QualityAction as A
from ..models import Evaluation
from ..permissions import require_role
from .common import raise_if, require_text

ENGINEER_CLOCKS = ("service.contact", "service.onsite")
MAX_PERIOD_DAYS = 366


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = local_tz()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _rating(mean) -> float | None:
    return None if mean is None else (float(mean) - 1) / 4 * 100


def _weighted(parts: dict[str, float | None], weights: dict[str, float]) -> float | None:
    have = {k: v for k, v in parts.items() if v is not None and weights.get(k)}
    total = sum(weights[k] for k in have)
    return sum(v * weights[k] for k, v in have.items()) / total if total else None


def _one_place(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _audit_figures(ids, since, until) -> dict[int, dict]:
    """Per engineer, the records of theirs completed in the period that a record audit
    checked, those that passed every point with no finding, and the findings (Q5).
    One query."""
    from ..models import AuditItem

    rows = (
        AuditItem.objects.filter(
            service_request__engineer_id__in=ids,
            service_request__completed_at__gte=since,
            service_request__completed_at__lt=until,
            checked_at__isnull=False,
        )
        .annotate(finding_total=Count("findings"))
        .values_list("service_request__engineer_id", "checks", "finding_total")
    )
    result: dict[int, dict] = {}
    for engineer_id, checks, findings in rows:
        r = result.setdefault(engineer_id, {"audited": 0, "audit_passed": 0, "audit_findings": 0})
        r["audited"] += 1
        r["audit_passed"] += bool(checks) and all(checks.values()) and not findings
        r["audit_findings"] += findings
    return result


def evaluation_figures(engineer_ids, start: date, end: date) -> dict[int, dict]:
    """The figures and scores of each engineer for [start, end] (local dates)."""
    from mdss.calendars.hooks import outcomes_by_responsible
    from mdss.service.models import FollowUp, ServiceRequest

    policy = settings.QUALITY_POLICY
    since, until = _bounds(start, end)
    ids = list(engineer_ids)
    repeat = ServiceRequest.objects.filter(
        device_id=OuterRef("device_id"),
        kind="repair",
        reported_at__gt=OuterRef("completed_at"),
        reported_at__lte=OuterRef("completed_at") + timedelta(days=policy["repeat_days"]),
    ).exclude(pk=OuterRef("pk"))
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            # Each query scans a period of a large table in well under a second;
            # PostgreSQL's JIT compiler took 1.4 s to compile the first alone (a
            # quarter of 1,000,000 requests: docs/benchmarks.md, issue 19).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        rows = list(
            ServiceRequest.objects.filter(
                engineer_id__in=ids, completed_at__gte=since, completed_at__lt=until
            )
            .annotate(visit_total=Count("visits"), repeated=Exists(repeat))
            .values_list("engineer_id", "visit_total", "repeated", "device_id")
        )
        counts: dict[int, dict] = {}
        for engineer_id, visits, repeated, device_id in rows:
            c = counts.setdefault(engineer_id, {"completed": 0, "first_time": 0, "repeats": 0})
            c["completed"] += 1
            c["first_time"] += visits <= 1
            c["repeats"] += bool(repeated and device_id)
        ratings = {
            r["request__engineer_id"]: r
            for r in FollowUp.objects.filter(
                request__engineer_id__in=ids,
                request__completed_at__gte=since,
                request__completed_at__lt=until,
            )
            .values("request__engineer_id")
            .annotate(
                n=Count("pk"),
                attitude=Avg("attitude"),
                quality=Avg("quality"),
                timeliness=Avg("timeliness"),
            )
        }
        clocks = outcomes_by_responsible(ENGINEER_CLOCKS, since, until)
        audits = _audit_figures(ids, since, until)
    result = {}
    for engineer_id in ids:
        c = counts.get(engineer_id, {"completed": 0, "first_time": 0, "repeats": 0})
        r = ratings.get(engineer_id, {})
        met, missed = clocks.get(engineer_id, (0, 0))
        completed = c["completed"]
        figures = {
            "completed": completed,
            "first_time_fixes": c["first_time"],
            "repeat_repairs": c["repeats"],
            "follow_ups": r.get("n", 0),
            "attitude_rating": r.get("attitude"),
            "quality_rating": r.get("quality"),
            "timeliness_rating": r.get("timeliness"),
            "deadlines_met": met,
            "deadlines_missed": missed,
            **audits.get(engineer_id, {"audited": 0, "audit_passed": 0, "audit_findings": 0}),
        }
        first_time = c["first_time"] * 100 / completed if completed else None
        no_repeat = 100 - c["repeats"] * 100 / completed if completed else None
        met_share = met * 100 / (met + missed) if met + missed else None
        attitude = _rating(r.get("attitude"))
        quality = _weighted(
            {
                "rating": _rating(r.get("quality")),
                "audit": (
                    figures["audit_passed"] * 100 / figures["audited"]
                    if figures["audited"]
                    else None
                ),
                "first_time_fix": first_time,
                "no_repeat": no_repeat,
            },
            policy["quality_parts"],
        )
        efficiency = _weighted(
            {"rating": _rating(r.get("timeliness")), "deadlines_met": met_share},
            policy["efficiency_parts"],
        )
        overall = _weighted(
            {"attitude": attitude, "quality": quality, "efficiency": efficiency},
            policy["evaluation_weights"],
        )
        result[engineer_id] = {
            "figures": figures,
            "attitude": _one_place(attitude),
            "quality": _one_place(quality),
            "efficiency": _one_place(efficiency),
            "overall": _one_place(overall),
        }
    return result


def _period_errors(start, end, today) -> list[FieldError]:
    errors = []
    if start is None:
        errors.append(FieldError("period_start", "required", _("From which day?")))
    if end is None:
        errors.append(FieldError("period_end", "required", _("To which day?")))
    if start and end:
        if end < start:
            errors.append(
                FieldError("period_end", "before_start", _("The end comes after the start."))
            )
        elif (end - start).days >= MAX_PERIOD_DAYS:
            errors.append(FieldError("period_end", "too_long", _("At most a year.")))
        elif start > today:
            errors.append(FieldError("period_start", "future", _("This day has not come yet.")))
    return errors


def evaluation_compute(
    *, actor, period_start: date, period_end: date, today: date | None = None
) -> list[Evaluation]:
    """Compute (or recompute) every engineer's evaluation for the period; a reviewed
    one is left as it was reviewed."""
    from mdss.accounts.models import User
    from mdss.service.models import ServiceRequest

    require_role(actor, A.EVALUATE)
    today = today or local_today()
    raise_if(_period_errors(period_start, period_end, today))
    since, until = _bounds(period_start, period_end)
    engineers = set(
        User.objects.filter(groups__name=roles.SERVICE_ENGINEER, is_active=True).values_list(
            "pk", flat=True
        )
    ) | set(
        ServiceRequest.objects.filter(completed_at__gte=since, completed_at__lt=until)
        .exclude(engineer__isnull=True)
        .values_list("engineer_id", flat=True)
    )
    scores = evaluation_figures(sorted(engineers), period_start, period_end)
    # The engineers in one query (each event names its evaluation, which names its
    # engineer), the new evaluations in one statement, then an event each.
    people = User.objects.in_bulk(list(scores))
    now = timezone.now()
    saved, new, changed = [], [], []
    with transaction.atomic():
        existing = {
            e.engineer_id: e
            for e in Evaluation.objects.select_for_update().filter(
                period_start=period_start, period_end=period_end
            )
        }
        for engineer_id, score in scores.items():
            evaluation = existing.get(engineer_id)
            if evaluation is not None and evaluation.reviewed_at is not None:
                continue
            if evaluation is None:
                evaluation = Evaluation(
                    engineer_id=engineer_id, period_start=period_start, period_end=period_end
                )
                new.append(evaluation)
            else:
                changed.append(evaluation)
            evaluation.engineer = people[engineer_id]
            for name, value in score.items():
                setattr(evaluation, name, value)
            evaluation.figures = _jsonable(score["figures"])
            evaluation.computed_at = now
            saved.append(evaluation)
        Evaluation.objects.bulk_create(new, batch_size=1000)
        for evaluation in changed:  # Django's bulk_update built CASE clauses for 2.4 s
            evaluation.save(
                update_fields=["figures", "attitude", "quality", "efficiency", "overall",
                               "computed_at", "updated_at"]
            )  # fmt: skip
        for evaluation in saved:
            audit.record(
                actor=actor,
                action="quality.evaluation_computed",
                obj=evaluation,
                changes={
                    "overall": evaluation.overall,
                    "attitude": evaluation.attitude,
                    "quality": evaluation.quality,
                    "efficiency": evaluation.efficiency,
                },
            )
    return saved


def _jsonable(figures: dict) -> dict:
    return {
        k: (round(float(v), 2) if isinstance(v, Decimal | float) else v) for k, v in figures.items()
    }


def evaluation_review(*, actor, evaluation: Evaluation, comment: str) -> Evaluation:
    """The manager's review and comment; the evaluation is frozen from then on."""
    require_role(actor, A.EVALUATION_REVIEW)
    if evaluation.engineer_id == actor.pk:
        raise PermissionDenied(_("Nobody reviews their own evaluation."))
    errors: list[FieldError] = []
    comment = require_text(errors, "comment", comment, _("The manager's comment."), 2000)
    raise_if(errors)
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.reviewed_at is not None:
            raise Conflict(_("This evaluation is reviewed already."))
        evaluation.review, evaluation.reviewed_by, evaluation.reviewed_at = (
            comment,
            actor,
            timezone.now(),
        )
        evaluation.save(update_fields=["review", "reviewed_by", "reviewed_at", "updated_at"])
        audit.record(
            actor=actor,
            action="quality.evaluation_reviewed",
            obj=evaluation,
            changes={"comment": comment, "overall": evaluation.overall},
        )
    return evaluation
