"""Customers, their contacts and qualifications; owner, status and grade changes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.calendars import engine
from mdss.calendars.selectors import cadence
from mdss.core.errors import FieldError, ValidationFailed
from mdss.core.expiry import warn_once_per_threshold
from mdss.notifications.services import notify

from .. import purchases
from ..choices import (
    GRADE_THRESHOLDS,
    QUALIFICATION_WARNING_DAYS,
    CustomerKind,
    CustomerStatus,
    QualificationKind,
)
from ..models import Contact, Customer, Qualification
from ..permissions import customer_scope, may_own
from ..validators import name_key, normalise_phone
from ._common import clean_errors, full_clean, require_in_scope, require_perm

CUSTOMER_FIELDS = [
    "name",
    "kind",
    "hospital_level",
    "credit_code",
    "region_id",
    "district",
    "address",
    "owner_id",
    "source",
    "departments",
    "device_interests",
    "budget_cycle",
    "decision_makers",
    "needs_notes",
]
CONTACT_FIELDS = [
    "name",
    "department",
    "title",
    "mobile",
    "phone",
    "email",
    "purchasing_role",
    "notes",
    "is_active",
]
QUALIFICATION_FIELDS = [
    "kind",
    "number",
    "issuer",
    "scope_classes",
    "scope_categories",
    "valid_from",
    "valid_until",
    "file",
]


def duplicate_errors(customer: Customer, viewer) -> list[FieldError]:
    """Another customer with the same credit code or the same name (spaces, width and
    brackets ignored). Outside the viewer's scope the other customer is not named."""
    errors = []
    others = Customer.objects.exclude(pk=customer.pk)
    scope = customer_scope(viewer)

    def _describe(other) -> str:
        visible = scope is None or Customer.objects.filter(scope, pk=other.pk).exists()
        return (
            _("%(name)s (rep %(owner)s)") % {"name": other.name, "owner": other.owner}
            if visible
            else _("a customer of another rep; ask your manager")
        )

    if customer.credit_code:
        other = others.filter(credit_code=customer.credit_code).select_related("owner").first()
        if other is not None:
            errors.append(
                FieldError(
                    "credit_code",
                    "duplicate",
                    _("This credit code is already registered: %(other)s.")
                    % {"other": _describe(other)},
                )
            )
    other = others.filter(name_key=customer.name_key).select_related("owner").first()
    if other is not None:
        errors.append(
            FieldError(
                "name",
                "duplicate",
                _("A customer with this name exists: %(other)s. Name a branch 院区 or 分院.")
                % {"other": _describe(other)},
            )
        )
    return errors


def _prepare(customer: Customer) -> None:
    customer.name = " ".join((customer.name or "").split())
    customer.name_key = name_key(customer.name)
    customer.credit_code = (customer.credit_code or "").strip().upper()
    region = customer.region
    customer.province_id = region.parent_id or region.pk
    customer.team_id = customer.owner.department_id
    customer.departments = sorted({t.strip() for t in customer.departments or [] if t.strip()})
    customer.device_interests = sorted(
        {t.strip() for t in customer.device_interests or [] if t.strip()}
    )


def _kind_errors(customer: Customer) -> list[FieldError]:
    if customer.kind == CustomerKind.PUBLIC_HOSPITAL and not customer.hospital_level:
        return [
            FieldError(
                "hospital_level",
                "required",
                _("A public hospital has a level (三级, 二级 or 一级)."),
            )
        ]
    if customer.hospital_level and customer.kind not in (
        CustomerKind.PUBLIC_HOSPITAL,
        CustomerKind.PRIVATE_HOSPITAL,
    ):
        return [FieldError("hospital_level", "not_a_hospital", _("Only hospitals have a level."))]
    return []


def customer_save(*, actor, customer: Customer) -> Customer:
    """Create or edit a customer. New ones belong to the actor unless a manager
    names a rep of the team; duplicates by name or credit code are refused."""
    creating = customer.pk is None
    require_perm(actor, "add_customer" if creating else "change_customer")
    if creating and not customer.owner_id:
        customer.owner = actor
    before = {}
    if not creating:
        require_in_scope(actor, customer)
        stored = Customer.objects.get(pk=customer.pk)
        before = audit.snapshot(stored, CUSTOMER_FIELDS)
        if stored.owner_id != customer.owner_id:
            raise ValidationFailed.single(
                "owner", "reassign", _("Give a customer to another rep with “Reassign”.")
            )
    elif not may_own(actor, customer.owner):
        raise ValidationFailed.single(
            "owner", "scope", _("You can only give customers to reps of your team.")
        )
    _prepare(customer)
    # The unique credit code is checked by duplicate_errors, with a message that helps.
    errors = clean_errors(customer, exclude=["name_key", "province", "team"])
    errors += _kind_errors(customer) + duplicate_errors(customer, actor)
    if errors:
        raise ValidationFailed(errors=errors)
    if not creating:
        return audit.save_with_diff(
            actor=actor, obj=customer, before=before, action="customers.customer_changed"
        )
    with transaction.atomic():
        customer.save()
        audit.record(
            actor=actor,
            action="customers.customer_created",
            obj=customer,
            changes=audit.snapshot(customer, CUSTOMER_FIELDS),
        )
    return customer


def customer_reassign(*, actor, customer: Customer, owner, reason: str) -> Customer:
    """Give a customer (and its future visits) to another rep; managers only."""
    require_perm(actor, "reassign_customer")
    require_in_scope(actor, customer)
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why the customer moves."))
    if not may_own(actor, owner) or not owner.is_active:
        raise ValidationFailed.single(
            "owner", "scope", _("You can only give customers to active reps of your team.")
        )
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        previous = locked.owner
        locked.owner = owner
        locked.team_id = owner.department_id
        locked.save(update_fields=["owner", "team", "updated_at"])
        audit.record(
            actor=actor,
            action="customers.customer_reassigned",
            obj=locked,
            reason=reason.strip(),
            changes={"owner": {"before": previous.pk, "after": owner.pk}},
        )
        notify(
            recipient=owner,
            kind="customers.assigned",
            subject=_("Customer %(name)s is now yours") % {"name": locked.name},
            body=reason.strip(),
            link=f"/customers/{locked.pk}/",
        )
    return locked


def customer_mark_existing(*, customer: Customer, on_date: date, actor=None) -> Customer:
    """The first signed contract makes a potential customer existing (the contracts
    app calls this); return visits are due from that quarter on. Idempotent."""
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if locked.status == CustomerStatus.EXISTING:
            return locked
        rule = cadence("customers.return_visit")
        locked.status = CustomerStatus.EXISTING
        locked.became_existing_on = on_date
        locked.next_visit_due = engine.cadence_due(
            locked.last_visit_on, on_date, rule.period_months
        )
        locked.save(update_fields=["status", "became_existing_on", "next_visit_due", "updated_at"])
        audit.record(
            actor=actor,
            action="customers.became_existing",
            obj=locked,
            changes={"became_existing_on": on_date, "next_visit_due": locked.next_visit_due},
        )
    return locked


def grade_for(amount: Decimal) -> str:
    for grade, threshold in GRADE_THRESHOLDS:
        if amount >= threshold:
            return grade
    return "C"


def customer_grade_recompute(*, today: date, customer_ids=None) -> int:
    """Grades from the last twelve months' contract amounts; the count of changes.

    Nothing happens until an app provides revenue (see purchases.py): grades are not
    reset to C for want of data.
    """
    if not purchases.has_revenue_source():
        return 0
    totals = purchases.amounts(customer_ids, today - timedelta(days=365), today)
    rows = Customer.objects.all()
    if customer_ids is not None:
        rows = rows.filter(pk__in=list(customer_ids))
    changed = 0
    now = timezone.now()
    for customer in rows.only("pk", "name", "grade").iterator(chunk_size=2000):
        grade = grade_for(totals.get(customer.pk, Decimal(0)))
        if grade == customer.grade:
            continue
        with transaction.atomic():
            Customer.objects.filter(pk=customer.pk).update(grade=grade, grade_updated_at=now)
            audit.record(
                actor=None,
                action="customers.grade_recomputed",
                obj=customer,
                changes={"grade": {"before": customer.grade, "after": grade}},
            )
        changed += 1
    return changed


# --- contacts --------------------------------------------------------------------------------


def contact_save(*, actor, contact: Contact) -> Contact:
    creating = contact.pk is None
    require_perm(actor, "add_contact" if creating else "change_contact")
    require_in_scope(actor, contact.customer)
    before = audit.stored_values(contact, CONTACT_FIELDS)
    contact.mobile = normalise_phone(contact.mobile)
    contact.phone = normalise_phone(contact.phone)
    contact.name = contact.name.strip()
    full_clean(contact)
    if not (contact.mobile or contact.phone or contact.email):
        raise ValidationFailed.single(
            "mobile", "required", _("Give at least a mobile, an office phone or an e-mail.")
        )
    return audit.save_with_diff(
        actor=actor, obj=contact, before=before, action="customers.contact_saved"
    )


def contact_deactivate(*, actor, contact: Contact) -> Contact:
    """A contact who left: kept for the history, no longer offered."""
    contact.is_active = False
    return contact_save(actor=actor, contact=contact)


# --- qualifications --------------------------------------------------------------------------


def _qualification_errors(q: Qualification) -> list[FieldError]:
    errors = []
    dealer_kinds = (QualificationKind.BUSINESS_LICENCE, QualificationKind.BUSINESS_FILING)
    if q.customer.kind == CustomerKind.DEALER and q.kind not in dealer_kinds:
        errors.append(
            FieldError(
                "kind", "dealer", _("A dealer holds a business licence or a class II filing.")
            )
        )
    if q.customer.kind != CustomerKind.DEALER and q.kind in dealer_kinds:
        errors.append(
            FieldError("kind", "institution", _("Business licences are for dealers only."))
        )
    classes = {str(c).upper() for c in q.scope_classes or []}
    if q.kind in dealer_kinds and not classes:
        errors.append(
            FieldError(
                "scope_classes", "required", _("Name the device classes of the business scope.")
            )
        )
    if not classes <= {"II", "III"}:
        errors.append(FieldError("scope_classes", "choice", _("Classes are II and III.")))
    if q.kind == QualificationKind.BUSINESS_FILING and "III" in classes:
        errors.append(
            FieldError(
                "scope_classes", "filing", _("A filing covers class II; class III needs a licence.")
            )
        )
    if q.kind != QualificationKind.BUSINESS_FILING and not q.valid_until:
        errors.append(FieldError("valid_until", "required", _("This licence has an expiry date.")))
    if q.valid_from and q.valid_until and q.valid_until < q.valid_from:
        errors.append(FieldError("valid_until", "after_start", _("It must end after it starts.")))
    return errors


def qualification_save(*, actor, qualification: Qualification, reason: str = "") -> Qualification:
    """Record a customer's licence, or correct one (a correction needs a reason)."""
    q = qualification
    creating = q.pk is None
    require_perm(actor, "add_qualification" if creating else "change_qualification")
    require_in_scope(actor, q.customer)
    if not creating and not (reason or "").strip():
        raise ValidationFailed.single(
            "reason", "required", _("Say why a recorded licence is corrected.")
        )
    before = audit.stored_values(q, QUALIFICATION_FIELDS)
    q.number = (q.number or "").strip()
    q.scope_classes = sorted(
        {str(c).strip().upper() for c in q.scope_classes or [] if str(c).strip()}
    )
    q.scope_categories = sorted(
        {str(c).strip() for c in q.scope_categories or [] if str(c).strip()}
    )
    full_clean(q)
    errors = _qualification_errors(q)
    if errors:
        raise ValidationFailed(errors=errors)
    if not creating:
        q.warned_days = None  # a renewed date is warned about afresh
    return audit.save_with_diff(
        actor=actor, obj=q, before=before, action="customers.qualification_saved", reason=reason
    )


def qualification_void(*, actor, qualification: Qualification, reason: str) -> Qualification:
    require_perm(actor, "change_qualification")
    require_in_scope(actor, qualification.customer)
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why it is voided."))
    audit.void(obj=qualification, actor=actor, reason=reason.strip())
    return qualification


def qualification_warning_sweep(*, today: date) -> int:
    """Warn the owning rep once per threshold (90, 30, 7 days) before a licence expires."""

    def warn(q, _level, _days_left):
        notify(
            recipient=q.customer.owner,
            kind="customers.qualification_expiry",
            subject=_("%(customer)s: %(document)s expires on %(date)s")
            % {"customer": q.customer.name, "document": q, "date": q.valid_until},
            body=_("Ask the customer for the renewed licence; without it they cannot buy."),
            link=f"/customers/{q.customer_id}/#qualifications",
        )

    return warn_once_per_threshold(
        Qualification.objects.filter(voided_at__isnull=True).select_related("customer__owner"),
        today=today,
        thresholds=QUALIFICATION_WARNING_DAYS,
        action="customers.qualification_expiry_warned",
        warn=warn,
    )
