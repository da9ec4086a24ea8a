"""Every change to prices: price-list changes and their approval, the price basis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import esign
from mdss.audit import services as audit
from mdss.catalog.models import ProductModel
from mdss.core.errors import (
    Conflict,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from mdss.core.money import to_decimal
from mdss.core.numbers import next_number
from mdss.core.workflow import lock_for_transition
from mdss.notifications.services import notify

from ..choices import CHANGE_TRANSITIONS, ChangeStatus
from ..models import PriceBasis, PriceChange, PriceChangeLine, PriceEntry, PriceListVersion
from ..permissions import may_act, require_pricing_action

CENT = Decimal("0.01")


@dataclass(frozen=True)
class LineInput:
    model_id: int
    list_price: Decimal | str
    floor_price: Decimal | str


def _money(value, field: str) -> Decimal:
    amount = to_decimal(value, CENT)
    if amount is None:
        raise ValidationFailed.single(
            field, "decimal", _("Enter an amount in yuan, e.g. 12800.00.")
        )
    if amount <= 0:
        raise ValidationFailed.single(field, "min_value", _("The amount must be more than 0."))
    return amount


def _validate_lines(lines: list[LineInput]) -> list[tuple[int, Decimal, Decimal]]:
    if not lines:
        raise ValidationFailed.single(
            "lines", "required", _("A price change needs at least one model.")
        )
    errors, clean, seen = [], [], set()
    known = set(
        ProductModel.objects.filter(pk__in_list=[line.model_id for line in lines]).values_list(
            "pk", flat=True
        )
    )
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        if line.model_id not in known:
            errors.append(FieldError(f"{prefix}.model_id", "unknown", _("Unknown model.")))
            continue
        if line.model_id in seen:
            errors.append(
                FieldError(
                    f"{prefix}.model_id", "duplicate", _("This model is already in the change.")
                )
            )
            continue
        seen.add(line.model_id)
        try:
            list_price = _money(line.list_price, f"{prefix}.list_price")
            floor_price = _money(line.floor_price, f"{prefix}.floor_price")
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            continue
        if floor_price > list_price:
            errors.append(
                FieldError(
                    f"{prefix}.floor_price",
                    "above_list",
                    _("The floor cannot be above the list price."),
                )
            )
            continue
        clean.append((line.model_id, list_price, floor_price))
    if errors:
        raise ValidationFailed(errors=errors)
    return clean


def price_change_create(
    *, actor, effective_from: date, reason: str, evidence: str = "", lines: list[LineInput]
) -> PriceChange:
    """Draft a price-list change. Sales managers and management propose; reps cannot."""
    if not may_act(actor, "propose"):
        raise PermissionDenied(_("Only sales managers and management can propose price changes."))
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why the prices change."))
    from mdss.core.dates import local_today

    errors = []
    if effective_from < local_today():
        errors.append(
            FieldError(
                "effective_from",
                "past",
                _("A price change takes effect today or later, never backdated."),
            )
        )
    try:
        clean = _validate_lines(lines)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        change = PriceChange.objects.create(
            number=next_number("TJ"),
            effective_from=effective_from,
            reason=reason.strip(),
            evidence=evidence.strip(),
            requested_by=actor,
        )
        PriceChangeLine.objects.bulk_create(
            [
                PriceChangeLine(change=change, model_id=m, list_price=lp, floor_price=fp)
                for m, lp, fp in clean
            ]
        )
        audit.record(
            actor=actor,
            action="pricing.change_created",
            obj=change,
            reason=change.reason,
            changes={
                "lines": [[m, lp, fp] for m, lp, fp in clean],
                "effective_from": effective_from,
            },
        )
    return change


def _locked(change: PriceChange, to: str) -> PriceChange:
    return lock_for_transition(change, to, CHANGE_TRANSITIONS)


def price_change_submit(*, change: PriceChange, actor) -> PriceChange:
    from mdss.accounts.models import User

    with transaction.atomic():
        change = _locked(change, ChangeStatus.SUBMITTED)
        require_pricing_action(actor, "propose")
        if actor.pk != change.requested_by_id:
            raise PermissionDenied(_("Only the person who drafted the change submits it."))
        change.status = ChangeStatus.SUBMITTED
        change.submitted_at = timezone.now()
        change.save(update_fields=["status", "submitted_at", "updated_at"])
        audit.record(actor=actor, action="pricing.change_submitted", obj=change)
        for approver in User.objects.filter(groups__name=roles.MANAGEMENT, is_active=True).exclude(
            pk=actor.pk
        ):
            notify(
                recipient=approver,
                kind="pricing.change_submitted",
                subject=_("Price change %(number)s waits for your approval")
                % {"number": change.number},
                body=change.reason,
                link=f"/pricing/changes/{change.pk}/",
            )
    return change


def _decide(change: PriceChange, actor, to: str) -> PriceChange:
    if not may_act(actor, "approve_prices"):
        raise PermissionDenied(_("Only management approves price-list changes."))
    change = _locked(change, to)
    if change.requested_by_id == actor.pk:
        raise PermissionDenied(_("Nobody approves or rejects their own request."))
    return change


def _signed_content(change: PriceChange) -> dict:
    return {
        "number": change.number,
        "effective_from": change.effective_from,
        "lines": [
            [line.model_id, line.list_price, line.floor_price]
            for line in change.lines.order_by("model_id")
        ],
    }


def price_change_approve(
    *, change: PriceChange, actor, password: str, comment: str = "", today: date | None = None
) -> PriceChange:
    """Management signs; the change becomes the next price list on its effective date."""
    from mdss.core.dates import local_today

    today = today or local_today()
    # Who may sign is settled before the password is asked for.
    if not may_act(actor, "approve_prices") or change.requested_by_id == actor.pk:
        raise PermissionDenied(_("Only management approves price-list changes, not their own."))
    esign.authenticate(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        change = _decide(change, actor, ChangeStatus.APPROVED)
        # A change dated before the list in force was proposed against older prices:
        # applying it now would override the newer version's prices with stale ones.
        current = PriceListVersion.objects.filter(is_active=True).first()
        if current is not None and change.effective_from < current.effective_from:
            raise ValidationFailed.single(
                "effective_from",
                "older_than_current",
                _(
                    "Price list v%(version)s in force since %(date)s is newer than this "
                    "change (from %(from)s): reject it and propose against the current list."
                )
                % {
                    "version": current.number,
                    "date": current.effective_from,
                    "from": change.effective_from,
                },
            )
        change.signature = esign.sign(
            signer=actor,
            password=password,
            meaning="price-list change approved",
            obj=change,
            content=_signed_content(change),
            comment=comment,
        )
        change.status = ChangeStatus.APPROVED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.decision_comment = comment.strip()
        change.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_comment",
                "signature",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action="pricing.change_approved",
            obj=change,
            reason=change.decision_comment,
        )
        notify(
            recipient=change.requested_by,
            kind="pricing.change_decided",
            subject=_("Price change %(number)s was approved") % {"number": change.number},
            link=f"/pricing/changes/{change.pk}/",
        )
        if change.effective_from <= today:
            _apply(change)
    return change


def price_change_reject(*, change: PriceChange, actor, comment: str) -> PriceChange:
    if not (comment or "").strip():
        raise ValidationFailed.single("comment", "required", _("Say why the change is rejected."))
    with transaction.atomic():
        change = _decide(change, actor, ChangeStatus.REJECTED)
        change.status = ChangeStatus.REJECTED
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.decision_comment = comment.strip()
        change.save(
            update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"]
        )
        audit.record(
            actor=actor,
            action="pricing.change_rejected",
            obj=change,
            reason=change.decision_comment,
        )
        notify(
            recipient=change.requested_by,
            kind="pricing.change_decided",
            subject=_("Price change %(number)s was rejected") % {"number": change.number},
            body=change.decision_comment,
            link=f"/pricing/changes/{change.pk}/",
        )
    return change


def _apply(change: PriceChange) -> PriceListVersion:
    """Copy the active list, apply the change's lines, activate the copy (one transaction)."""
    current = PriceListVersion.objects.select_for_update().filter(is_active=True).first()
    number = (
        PriceListVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active"])
    version = PriceListVersion.objects.create(
        number=number,
        effective_from=change.effective_from,
        is_active=True,
        activated_at=timezone.now(),
        change=change,
        note=change.number,
    )
    prices = {}
    if current is not None:
        prices = {
            m: (lp, fp)
            for m, lp, fp in current.entries.values_list("model_id", "list_price", "floor_price")
        }
    for model_id, list_price, floor_price in change.lines.values_list(
        "model_id", "list_price", "floor_price"
    ):
        prices[model_id] = (list_price, floor_price)
    PriceEntry.objects.bulk_create(
        [
            PriceEntry(version=version, model_id=m, list_price=lp, floor_price=fp)
            for m, (lp, fp) in prices.items()
        ],
        batch_size=2000,
    )
    change.status = ChangeStatus.APPLIED
    change.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=None,
        action="pricing.version_activated",
        obj=version,
        changes={
            "from_version": current.number if current else None,
            "change": change.number,
            "models": len(prices),
        },
    )
    return version


def price_changes_apply_due(*, today: date) -> int:
    """Daily: approved changes whose date has come become the price list, in date order."""
    applied = 0
    for change_id in (
        PriceChange.objects.filter(status=ChangeStatus.APPROVED, effective_from__lte=today)
        .order_by("effective_from", "id")
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            change = PriceChange.objects.select_for_update().get(pk=change_id)
            if change.status == ChangeStatus.APPROVED:
                _apply(change)
                applied += 1
    return applied


def price_list_seed(
    *, entries: dict[int, tuple[Decimal, Decimal]], effective_from: date, note: str
) -> PriceListVersion:
    """The first price list of an installation (demo data, or an import before go-live)."""
    with transaction.atomic():
        if PriceListVersion.objects.exists():
            raise Conflict(_("A price list exists already; change it with a price-list change."))
        try:
            version = PriceListVersion.objects.create(
                number=1,
                effective_from=effective_from,
                is_active=True,
                activated_at=timezone.now(),
                note=note,
            )
        except IntegrityError as exc:
            raise Conflict(_("A price list exists already.")) from exc
        PriceEntry.objects.bulk_create(
            [
                PriceEntry(version=version, model_id=m, list_price=lp, floor_price=fp)
                for m, (lp, fp) in entries.items()
            ],
            batch_size=2000,
        )
        audit.record(
            actor=None,
            action="pricing.version_activated",
            obj=version,
            changes={"models": len(entries)},
        )
    return version


def price_basis_set(
    *, model: ProductModel, actor, unit_cost, market_demand: str = ""
) -> PriceBasis:
    if not (actor.is_superuser or actor.has_perm("pricing.view_cost")):
        raise PermissionDenied(_("Only managers keep costs."))
    cost = _money(unit_cost, "unit_cost")
    with transaction.atomic():
        basis = PriceBasis.objects.select_for_update().filter(model=model).first()
        before = audit.snapshot(basis, ["unit_cost", "market_demand"]) if basis else {}
        if basis is None:
            basis = PriceBasis(model=model)
        basis.unit_cost = cost
        basis.market_demand = market_demand.strip()
        basis.updated_by = actor
        basis.save()
        audit.record(
            actor=actor,
            action="pricing.basis_set",
            obj=basis,
            changes=audit.diff(before, audit.snapshot(basis, ["unit_cost", "market_demand"])),
        )
    return basis
