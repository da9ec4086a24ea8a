"""May this customer buy this model on this date? (Q1, DESIGN.md's regulatory gates)

Hospitals and clinics need a valid practice licence (医疗机构执业许可证). Dealers
need a business licence (医疗器械经营许可证) covering the product's class for class
III, and a licence or a class II filing (备案凭证) covering class II; class I needs
neither. When a document's business scope lists categories, the product's category
code must fall under one of them. Government bodies and others need no licence to
buy for their own use. Every refusal names the document and the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from mdss.core.decisions import Decision

from .choices import INSTITUTION_KINDS, QualificationKind

# The documents' legal names, as printed on them.
NAMES = {
    QualificationKind.MEDICAL_INSTITUTION: "医疗机构执业许可证",
    QualificationKind.BUSINESS_LICENCE: "医疗器械经营许可证",
    QualificationKind.BUSINESS_FILING: "第二类医疗器械经营备案凭证",
}


@dataclass
class BuyDecision(Decision):
    """Reason codes: qualification_missing, qualification_expired,
    qualification_not_yet_valid, out_of_scope."""

    customer_id: int = 0
    model_id: int = 0
    on_date: date | None = None
    qualification_id: int | None = None


def _valid_on(q, on_date: date) -> bool:
    return (q.valid_from is None or q.valid_from <= on_date) and (
        q.valid_until is None or on_date <= q.valid_until
    )


def _covers(q, device_class: str, category_code: str) -> bool:
    if q.kind != QualificationKind.MEDICAL_INSTITUTION and device_class not in q.scope_classes:
        return False
    return not (
        q.scope_categories and not any(category_code.startswith(str(c)) for c in q.scope_categories)
    )


def decide(customer, qualifications, device_class: str, category_code: str, model_id, on_date):
    """The rule itself, on rows already loaded (so lists can ask without more queries)."""
    decision = BuyDecision(customer_id=customer.pk, model_id=model_id, on_date=on_date)
    if customer.kind in INSTITUTION_KINDS:
        accepted = {QualificationKind.MEDICAL_INSTITUTION}
    elif customer.kind == "dealer":
        if device_class == "I":
            return decision
        accepted = {QualificationKind.BUSINESS_LICENCE}
        if device_class == "II":
            accepted.add(QualificationKind.BUSINESS_FILING)
    else:
        return decision
    candidates = [q for q in qualifications if q.kind in accepted and q.voided_at is None]
    for q in candidates:
        if _valid_on(q, on_date) and _covers(q, device_class, category_code):
            decision.qualification_id = q.pk
            return decision
    wanted = " / ".join(NAMES[k] for k in sorted(accepted))
    if not candidates:
        decision.refuse(
            "qualification_missing",
            _("%(customer)s has no %(document)s on file.")
            % {"customer": customer.name, "document": wanted},
        )
        return decision
    for q in candidates:
        name = f"{NAMES[q.kind]} {q.number}"
        if q.valid_until is not None and q.valid_until < on_date:
            decision.refuse(
                "qualification_expired",
                _("%(document)s expired on %(until)s (asked for %(date)s).")
                % {"document": name, "until": q.valid_until, "date": on_date},
            )
        elif q.valid_from is not None and on_date < q.valid_from:
            decision.refuse(
                "qualification_not_yet_valid",
                _("%(document)s is valid only from %(from)s (asked for %(date)s).")
                % {"document": name, "from": q.valid_from, "date": on_date},
            )
        else:
            decision.refuse(
                "out_of_scope",
                _(
                    "The business scope of %(document)s does not cover class %(class)s "
                    "category %(category)s."
                )
                % {"document": name, "class": device_class, "category": category_code or "—"},
            )
    return decision


def may_buy(customer, model, on_date: date) -> BuyDecision:
    """Yes, or no with every reason; the contracts gate calls this next to the catalog's."""
    product = model.product
    return decide(
        customer,
        list(customer.qualifications.filter(voided_at__isnull=True)),
        product.device_class,
        product.category_code,
        model.pk,
        on_date,
    )
