"""Reads of prices. Costs and floors only for holders of ``pricing.view_cost``."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404

from mdss.accounts import roles
from mdss.core.errors import PermissionDenied

from .models import PriceChange, PriceEntry, PriceListVersion


def can_see_cost(user) -> bool:
    return user.is_superuser or user.has_perm("pricing.view_cost")


def active_version() -> PriceListVersion | None:
    return PriceListVersion.objects.filter(is_active=True).first()


def version_list():
    return PriceListVersion.objects.select_related("change").order_by("-number")


def entries_of(version: PriceListVersion, *, search: str = "", sort: str = ""):
    qs = PriceEntry.objects.filter(version=version).select_related("model__product")
    if search:
        qs = qs.filter(model__product__name__icontains=search) | qs.filter(
            model__code__icontains=search
        )
    if sort:  # a key of PRICE_SORTS, validated by PriceSearchForm
        from mdss.core.sorting import apply_sort

        from .filters import PRICE_SORTS

        return apply_sort(qs, sort, PRICE_SORTS)
    return qs.order_by("model__product__name", "model__code")


def price_of(model_id: int) -> PriceEntry | None:
    return (
        PriceEntry.objects.filter(version__is_active=True, model_id=model_id)
        .select_related("version")
        .first()
    )


def change_list_for_user(user):
    if not (user.is_superuser or user.has_role(roles.MANAGEMENT, roles.SALES_MANAGER)):
        raise PermissionDenied()
    return PriceChange.objects.select_related("requested_by", "decided_by").order_by("-id")


def change_get_for_user(user, pk: int) -> PriceChange:
    return get_object_or_404(
        change_list_for_user(user).prefetch_related("lines__model__product"), pk=pk
    )


def approvals_waiting_for(user):
    """Management's inbox: submitted changes by somebody else."""
    if not (user.is_superuser or user.has_role(roles.MANAGEMENT)):
        return PriceChange.objects.none()
    return (
        PriceChange.objects.filter(status="submitted")
        .exclude(requested_by=user)
        .select_related("requested_by")
        .order_by("submitted_at")
    )


def quote(*, model, quantity: int, on_date: date) -> dict:
    """The price a rep may use without approval, and why (or why the model cannot be quoted)."""
    from mdss.catalog.compliance import sellable

    gate = sellable(model, on_date)
    entry = price_of(model.pk)
    return {
        "gate": gate,
        "entry": entry,
        "quantity": quantity,
        "total": entry.list_price * quantity if entry and gate.ok else None,
    }


def adjustment_list_for_user(user):
    """Own requests, those the user must decide, and for management all of them."""
    from django.db.models import Q

    from .models import PriceAdjustment

    qs = PriceAdjustment.objects.select_related(
        "requested_by", "customer", "model__product", "superior"
    )
    if user.is_superuser or user.has_role(roles.MANAGEMENT):
        return qs
    return qs.filter(Q(requested_by=user) | Q(superior=user) | Q(requested_by__superior=user))


def my_open_requests(user):
    """The user's own requests still waiting for a decision (the rep's dashboard figure
    and the list's "mine=open" filter)."""
    from .choices import AdjustmentStatus

    return adjustment_list_for_user(user).filter(
        requested_by=user,
        status__in=[AdjustmentStatus.SUBMITTED, AdjustmentStatus.AWAITING_MANAGEMENT],
    )


def adjustment_get_for_user(user, pk: int):
    return get_object_or_404(adjustment_list_for_user(user), pk=pk)


def adjustment_inbox(user):
    from django.db.models import Q

    from .choices import AdjustmentStatus

    waiting = Q(status=AdjustmentStatus.SUBMITTED, superior=user)
    if user.is_superuser or user.has_role(roles.MANAGEMENT):
        waiting |= Q(status=AdjustmentStatus.AWAITING_MANAGEMENT) | Q(
            status=AdjustmentStatus.SUBMITTED, superior__isnull=True
        )
    return (
        adjustment_list_for_user(user)
        .filter(waiting)
        .exclude(requested_by=user)
        .order_by("created_at")
    )


def approved_adjustment_for(*, customer_id: int, model_id: int, on_date: date):
    """The approved, unexpired request a quote may use for this customer and model."""
    from .choices import AdjustmentStatus
    from .models import PriceAdjustment

    return (
        PriceAdjustment.objects.filter(
            customer_id=customer_id,
            model_id=model_id,
            status=AdjustmentStatus.APPROVED,
            valid_until__gte=on_date,
        )
        .select_related("decided_by")
        .order_by("requested_price")
        .first()
    )


def approved_adjustments_for(*, customer_id: int, model_ids, on_date: date) -> dict[int, list]:
    """{model id: the approved, unexpired requests for this customer}, lowest price
    first, in one query (the contract line's product picker offers them)."""
    from .choices import AdjustmentStatus
    from .models import PriceAdjustment

    offers: dict[int, list] = {}
    for adjustment in PriceAdjustment.objects.filter(
        customer_id=customer_id,
        model_id__in=list(model_ids),
        status=AdjustmentStatus.APPROVED,
        valid_until__gte=on_date,
    ).order_by("requested_price", "pk"):
        offers.setdefault(adjustment.model_id, []).append(adjustment)
    return offers


def list_prices_of(model_ids) -> dict:
    """{model id: list price} of the active price list, in one query."""
    return dict(
        PriceEntry.objects.filter(
            version__is_active=True, model_id__in=list(model_ids)
        ).values_list("model_id", "list_price")
    )


def price_basis_of(model_id: int) -> dict:
    """Everything behind a model's price (S12): list, floor, cost, margin, competitors."""
    from .models import CompetitorPrice, PriceBasis

    entry = price_of(model_id)
    basis = PriceBasis.objects.filter(model_id=model_id).first()
    margin = None
    if entry and basis:
        margin = (entry.list_price - basis.unit_cost) / entry.list_price * 100
    return {
        "entry": entry,
        "basis": basis,
        "margin": margin,
        "competitors": CompetitorPrice.objects.filter(model_id=model_id).order_by("-observed_on")[
            :20
        ],
    }
