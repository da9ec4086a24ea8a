"""Reads of the risk register: the register with its filters, one risk with its
history, the heat map, the reviews due."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404

from .choices import RiskStatus
from .models import Risk
from .permissions import risk_scope


def risks_for_user(
    viewer, *, status: str = RiskStatus.OPEN, category: str = "", zone: str = "", q: str = ""
):
    scope = risk_scope(viewer)
    rows = Risk.objects.all() if scope is None else Risk.objects.filter(scope).distinct()
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if zone:
        rows = rows.filter(zone=zone)
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(cause__icontains=q))
    return rows.select_related("owner", "model__product", "region").order_by("-score", "number")


def risk_get_for_user(viewer, pk: int) -> Risk:
    scope = risk_scope(viewer)
    rows = Risk.objects.all() if scope is None else Risk.objects.filter(scope).distinct()
    risk = get_object_or_404(rows.select_related("owner", "model__product", "region"), pk=pk)
    risk.assessment_rows = list(
        risk.assessments.select_related("assessed_by", "matrix").order_by("assessed_on", "pk")
    )
    risk.measure_rows = list(risk.measures.select_related("owner", "capa").order_by("pk"))
    risk.review_rows = list(risk.reviews.select_related("reviewer").order_by("reviewed_on", "pk"))
    return risk


def reviews_due(viewer, *, today: date):
    """Open risks whose review is past due, the longest overdue first: the owner's
    and management's list."""
    return (
        risks_for_user(viewer).filter(next_review_on__lt=today).order_by("next_review_on", "number")
    )


def heat_map(viewer) -> dict:
    """Open risks per (likelihood, impact) cell of their latest assessment, one query."""
    rows = (
        risks_for_user(viewer)
        .exclude(likelihood__isnull=True)
        .order_by()
        .values("likelihood", "impact")
        .annotate(n=Count("pk", distinct=True))
    )
    return {(r["likelihood"], r["impact"]): r["n"] for r in rows}


def measures_for_owner(user):
    from .models import Measure

    return (
        Measure.objects.filter(owner=user, status="open")
        .select_related("risk")
        .order_by("due_at", "pk")
    )


def measure_get_for_user(viewer, pk: int):
    """A measure of a risk in the viewer's scope (404 else)."""
    from .models import Measure

    scope = risk_scope(viewer)
    rows = Measure.objects.select_related("risk")
    if scope is not None:
        rows = rows.filter(risk__in=Risk.objects.filter(scope))
    return get_object_or_404(rows, pk=pk)


def _require_signal_reader(viewer) -> None:
    from django.utils.translation import gettext as _

    from mdss.core.errors import PermissionDenied

    from .permissions import sees_all

    if not sees_all(viewer):
        raise PermissionDenied(_("Signals are for management, quality and the managers."))


def signals_for_user(viewer, *, status: str = ""):
    from .models import Signal

    _require_signal_reader(viewer)
    rows = Signal.objects.select_related("model__product", "region", "risk")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-detected_on", "-pk")


def signal_get_for_user(viewer, pk: int):
    from .models import Signal

    _require_signal_reader(viewer)
    return get_object_or_404(Signal.objects.select_related("risk"), pk=pk)


def matrix_versions():
    from .models import RiskMatrix

    return RiskMatrix.objects.select_related("created_by").order_by("-version")[:20]


def card_counts(viewer, *, today: date) -> dict:
    """The home card's figures in one query: open unacceptable risks and open risks
    past their review date."""
    return (
        risks_for_user(viewer)
        .order_by()
        .aggregate(
            unacceptable=Count("pk", filter=Q(zone="unacceptable"), distinct=True),
            overdue=Count("pk", filter=Q(next_review_on__lt=today), distinct=True),
        )
    )


def inherent_heat_map(viewer) -> dict:
    """Open risks per cell of their inherent (first) assessment: the map before
    measures, beside the current one. One query."""
    from .models import Assessment

    scope = risks_for_user(viewer).values("pk")
    rows = (
        Assessment.objects.filter(kind="inherent", risk__in=scope)
        .order_by()
        .values("likelihood", "impact")
        .annotate(n=Count("risk", distinct=True))
    )
    return {(r["likelihood"], r["impact"]): r["n"] for r in rows}


def annual_report(viewer, *, year: int) -> dict:
    """The year's risk report (Q9): risks recorded and closed in the year, the open
    ones by category and level at its end, the reviews done and how many were late,
    the measures done and open, and the signals decided. A fixed number of queries."""
    from datetime import date as _date

    from .models import Measure, Review, Signal

    start, end = _date(year, 1, 1), _date(year, 12, 31)
    scope = risk_scope(viewer)
    risks = Risk.objects.all() if scope is None else Risk.objects.filter(scope).distinct()
    ids = risks.values("pk")
    recorded = Risk.objects.filter(
        pk__in=ids, created_at__date__gte=start, created_at__date__lte=end
    )
    closed = Risk.objects.filter(pk__in=ids, closed_at__date__gte=start, closed_at__date__lte=end)
    open_now = Risk.objects.filter(pk__in=ids, status=RiskStatus.OPEN)
    by_level = {
        (r["category"], r["zone"]): r["n"]
        for r in open_now.order_by().values("category", "zone").annotate(n=Count("pk"))
    }
    reviews = Review.objects.filter(risk__in=ids, reviewed_on__gte=start, reviewed_on__lte=end)
    review_counts = reviews.aggregate(
        done=Count("pk"),
        late=Count("pk", filter=Q(was_due_on__lt=F("reviewed_on"))),
        effective=Count("pk", filter=Q(effective=True)),
    )
    measures = Measure.objects.filter(risk__in=ids).aggregate(
        done=Count("pk", filter=Q(done_at__date__gte=start, done_at__date__lte=end)),
        late=Count(
            "pk",
            filter=Q(done_at__date__gte=start, done_at__date__lte=end, done_at__gt=F("due_at")),
        ),
        open=Count("pk", filter=Q(status="open")),
    )
    signals = {
        r["status"]: r["n"]
        for r in Signal.objects.filter(detected_on__gte=start, detected_on__lte=end)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    }
    return {
        "year": year,
        "recorded": recorded.count(),
        "closed": closed.count(),
        "open_by_level": by_level,
        "reviews": review_counts,
        "measures": measures,
        "signals": signals,
        "top": list(open_now.select_related("owner").order_by("-score", "number")[:10]),
    }
