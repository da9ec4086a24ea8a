"""Reads of the risk register: the register with its filters, one risk with its
history, the heat map, the reviews due."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
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
