"""What a contract must satisfy before review, at signing and at each delivery.

``completeness_errors`` — S8: every clause the policy names, listed together.
``gate_errors`` — Q1 and S13 on a date: every line's model may be sold (catalog
certificates and licences), the customer may buy it (its licence covers the class),
the rep is authorised for the product and the customer's region (training), and a
price below list cites an approved, unexpired price-adjustment request for this
customer, model and quantity (counting what other contracts already used of it).
Each error names the line, the document and the date. The checks load everything
once, so a 50-line contract costs a fixed number of queries.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from mdss.catalog.compliance import check_models
from mdss.core.errors import FieldError
from mdss.customers.compliance import decide as may_buy_decide
from mdss.pricing.choices import AdjustmentStatus
from mdss.pricing.models import PriceEntry
from mdss.training.selectors import is_authorised, rep_authorisations

from .choices import REQUIRED_CLAUSES, ContractStatus
from .models import ContractLine


def completeness_errors(contract, lines) -> list[FieldError]:
    errors = []
    if not lines:
        errors.append(FieldError("lines", "required", _("A contract names at least one product.")))
    for field, label in REQUIRED_CLAUSES:
        value = getattr(contract, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(
                FieldError(
                    field,
                    "required",
                    _("The contract must state the %(clause)s.") % {"clause": label},
                )
            )
    for n, line in enumerate(lines, start=1):
        prefix = f"lines.{n}"
        if not line.model_id:
            errors.append(
                FieldError(
                    f"{prefix}.model",
                    "required",
                    _("Line %(n)s: which product and model?") % {"n": n},
                )
            )
        if not line.quantity:
            errors.append(
                FieldError(
                    f"{prefix}.quantity", "required", _("Line %(n)s: the quantity.") % {"n": n}
                )
            )
        if not line.unit_price:
            errors.append(
                FieldError(
                    f"{prefix}.unit_price", "required", _("Line %(n)s: the price.") % {"n": n}
                )
            )
    return errors


QUOTA_STATUSES = (
    ContractStatus.IN_REVIEW,
    ContractStatus.APPROVED,
    ContractStatus.SIGNED,
    ContractStatus.IN_PERFORMANCE,
    ContractStatus.COMPLETED,
)


def _used_of(adjustment_ids, exclude_contract_id) -> dict[int, int]:
    """Quantities already contracted under each adjustment by other live contracts."""
    rows = (
        ContractLine.objects.filter(adjustment_id__in=adjustment_ids)
        .exclude(contract_id=exclude_contract_id)
        # Drafts reserve nothing (two drafts citing one request do not block each other);
        # cancelled and terminated contracts give their quantities back.
        .filter(contract__status__in=QUOTA_STATUSES)
        .values("adjustment_id")
        .annotate(total=Sum("quantity"))
    )
    return {r["adjustment_id"]: r["total"] for r in rows}


def gate_errors(contract, lines, on_date: date, *, prices=True) -> list[FieldError]:
    """``prices=False`` at delivery: the price was settled at signing; the papers and
    the customer's and rep's licences must still hold on the delivery date. A set of
    line positions (1-based) checks the price of those lines only: an amendment
    re-prices what it changes, not what was settled before."""
    customer = contract.customer
    models = {line.model_id: line.model for line in lines}
    catalog = check_models(list(models), on_date)
    qualifications = list(customer.qualifications.filter(voided_at__isnull=True))
    authorisations = rep_authorisations(contract.rep)
    list_prices = dict(
        PriceEntry.objects.filter(version__is_active=True, model_id__in=list(models)).values_list(
            "model_id", "list_price"
        )
    )
    adjustments = {line.adjustment_id: line.adjustment for line in lines if line.adjustment_id}
    used = _used_of(list(adjustments), contract.pk)
    per_adjustment: dict[int, int] = {}
    errors = []
    buyer, seller = {}, {}
    for n, line in enumerate(lines, start=1):
        prefix = f"lines.{n}"
        model = line.model
        if model.pk not in buyer:
            buyer[model.pk] = may_buy_decide(
                customer,
                qualifications,
                model.product.device_class,
                model.product.category_code,
                model.pk,
                on_date,
            )
        if model.pk not in seller:
            seller[model.pk] = is_authorised(
                contract.rep, model, customer.region, on_date, authorisations
            )
        # The catalog's papers, the customer's licence, the rep's authorisation: the
        # same Decision shape (mdss.core.decisions), so one way to report them.
        for decision in (catalog.get(model.pk), buyer[model.pk], seller[model.pk]):
            if decision is not None and not decision.ok:
                errors += decision.field_errors(
                    f"{prefix}.model",
                    wrap=lambda why, n=n: _("Line %(n)s: %(why)s") % {"n": n, "why": why},
                )
        if prices is True or (prices and n in prices):
            errors.extend(
                _price_errors(
                    n, line, contract, list_prices.get(model.pk), on_date, used, per_adjustment
                )
            )
    return errors


def _price_errors(n, line, contract, list_price, on_date, used, per_adjustment) -> list[FieldError]:
    field = f"lines.{n}.unit_price"
    if list_price is None:
        return [
            FieldError(
                f"lines.{n}.model",
                "no_price",
                _("Line %(n)s: this model has no list price.") % {"n": n},
            )
        ]
    if line.unit_price == list_price:
        return []
    # S13 both ways: any price other than the list price, above or below, needs an
    # approved request.
    a = line.adjustment
    if a is None:
        return [
            FieldError(
                field,
                "off_list",
                _(
                    "Line %(n)s: %(price)s is not the list price %(list)s; cite an approved price-adjustment request."
                )
                % {"n": n, "price": line.unit_price, "list": list_price},
            )
        ]
    problems = []
    if a.status != AdjustmentStatus.APPROVED:
        problems.append(
            ("adjustment_not_approved", _("request %(no)s is not approved") % {"no": a.number})
        )
    if a.customer_id != contract.customer_id or a.model_id != line.model_id:
        problems.append(
            (
                "adjustment_other_deal",
                _("request %(no)s is for another customer or model") % {"no": a.number},
            )
        )
    if a.valid_until < on_date:
        problems.append(
            (
                "adjustment_expired",
                _("request %(no)s expired on %(date)s") % {"no": a.number, "date": a.valid_until},
            )
        )
    low, high = sorted((list_price, a.requested_price))
    if not low <= line.unit_price <= high:
        problems.append(
            (
                "adjustment_price",
                _("request %(no)s allows prices from %(low)s to %(high)s")
                % {"no": a.number, "low": low, "high": high},
            )
        )
    per_adjustment[a.pk] = per_adjustment.get(a.pk, 0) + line.quantity
    total = used.get(a.pk, 0) + per_adjustment[a.pk]
    if total > a.quantity:
        problems.append(
            (
                "adjustment_quantity",
                _("request %(no)s covers %(q)s units; %(used)s are contracted with this line")
                % {"no": a.number, "q": a.quantity, "used": total},
            )
        )
    return [
        FieldError(field, code, _("Line %(n)s: %(why)s.") % {"n": n, "why": why})
        for code, why in problems
    ]


def money_total(lines) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))


def sale_reasons(customer, rep, models, on_date: date) -> dict[int, list[str]]:
    """Why each of ``models`` may not be sold by ``rep`` to ``customer`` on ``on_date``
    (empty list: it may): the same three gates a submitted line passes — the catalog's
    papers, the customer's licence, the rep's authorisation — for the product picker,
    in a fixed number of queries whatever the number of models."""
    catalog = check_models([model.pk for model in models], on_date)
    qualifications = list(customer.qualifications.filter(voided_at__isnull=True))
    authorisations = rep_authorisations(rep)
    reasons: dict[int, list[str]] = {}
    for model in models:
        decisions = (
            catalog.get(model.pk),
            may_buy_decide(
                customer,
                qualifications,
                model.product.device_class,
                model.product.category_code,
                model.pk,
                on_date,
            ),
            is_authorised(rep, model, customer.region, on_date, authorisations),
        )
        reasons[model.pk] = [
            str(reason.message)
            for decision in decisions
            if decision is not None and not decision.ok
            for reason in decision.reasons
        ]
    return reasons


def adjustment_left(adjustments, exclude_contract_id=None) -> dict[int, int]:
    """{request id: units still free} — the quantity other live contracts have not used."""
    used = _used_of([a.pk for a in adjustments], exclude_contract_id)
    return {a.pk: a.quantity - used.get(a.pk, 0) for a in adjustments}
