"""Customer development plans (S6), their campaigns and the leads captured there."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, NotFound, ValidationFailed

from ..choices import CustomerGrade, CustomerKind, PlanChannel
from ..models import Campaign, DevelopmentPlan, Lead
from ..permissions import customer_scope, may_own
from ._common import clean_errors, full_clean, require_in_scope, require_perm

PLAN_FIELDS = [
    "name",
    "owner_id",
    "period_start",
    "period_end",
    "target_kinds",
    "target_grades",
    "positioning",
    "channels",
    "target_new_customers",
    "target_contract_amount",
]


def _require_plan_in_scope(actor, plan: DevelopmentPlan) -> None:
    scope = customer_scope(actor)
    if scope is not None and not DevelopmentPlan.objects.filter(scope, pk=plan.pk).exists():
        raise NotFound()


def plan_save(*, actor, plan: DevelopmentPlan, regions=None) -> DevelopmentPlan:
    creating = plan.pk is None
    require_perm(actor, "add_developmentplan" if creating else "change_developmentplan")
    if not creating:
        _require_plan_in_scope(actor, plan)
    if not plan.owner_id:
        plan.owner = actor
    before = audit.stored_values(plan, PLAN_FIELDS)
    errors = clean_errors(plan)
    if not may_own(actor, plan.owner):
        errors.append(FieldError("owner", "scope", _("Only reps of your team.")))
    if plan.period_end < plan.period_start:
        errors.append(FieldError("period_end", "after_start", _("It must end after it starts.")))
    for field, allowed in (
        ("target_kinds", CustomerKind.values),
        ("target_grades", CustomerGrade.values),
        ("channels", PlanChannel.values),
    ):
        if not set(getattr(plan, field)) <= set(allowed):
            errors.append(FieldError(field, "choice", _("Unknown value.")))
    if not plan.channels:
        errors.append(FieldError("channels", "required", _("Choose at least one channel.")))
    if errors:
        raise ValidationFailed(errors=errors)
    return audit.save_with_diff(
        actor=actor,
        obj=plan,
        before=before,
        action="customers.plan_saved",
        related=None if regions is None else lambda: plan.target_regions.set(regions),
    )


def campaign_save(*, actor, campaign: Campaign) -> Campaign:
    require_perm(actor, "add_campaign" if campaign.pk is None else "change_campaign")
    _require_plan_in_scope(actor, campaign.plan)
    full_clean(campaign)
    if campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationFailed.single("ends_on", "after_start", _("It must end after it starts."))
    with transaction.atomic():
        campaign.save()
        audit.record(
            actor=actor,
            action="customers.campaign_saved",
            obj=campaign,
            changes={"plan": campaign.plan_id, "kind": campaign.kind, "name": campaign.name},
        )
    return campaign


def lead_capture(*, actor, lead: Lead) -> Lead:
    require_perm(actor, "add_lead")
    _require_plan_in_scope(actor, lead.campaign.plan)
    if lead.customer_id:
        require_in_scope(actor, lead.customer)
    lead.captured_by = actor
    full_clean(lead, exclude=["captured_by"])
    with transaction.atomic():
        lead.save()
        audit.record(
            actor=actor,
            action="customers.lead_captured",
            obj=lead,
            changes={"campaign": lead.campaign_id, "organisation": lead.organisation},
        )
    return lead


def lead_link(*, actor, lead: Lead, customer) -> Lead:
    """The lead became (or is) this customer: counts as converted in the plan."""
    require_perm(actor, "change_lead")
    _require_plan_in_scope(actor, lead.campaign.plan)
    require_in_scope(actor, customer)
    with transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(customer=customer)
        lead.customer = customer
        audit.record(
            actor=actor,
            action="customers.lead_linked",
            obj=lead,
            changes={"customer": customer.pk},
        )
    return lead
