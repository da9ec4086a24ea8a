"""/api/v1/customers: customers and everything hanging off them, with the pages'
row-level scope (out of scope is 404) and the same services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.accounts.models import Region, User
from mdss.catalog.selectors import model_get
from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.core.rows import row_model

from . import actions, selectors, services
from .compliance import may_buy
from .filters import CustomerFilterForm, FeedbackFilterForm
from .models import (
    Activity,
    Campaign,
    Contact,
    Customer,
    DevelopmentPlan,
    Qualification,
    ReturnVisit,
)
from .services._common import require_perm

router = Router(tags=["customers"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(request, perm: str) -> None:
    if not request.user.has_perm(f"customers.{perm}"):
        raise PermissionDenied()


# --- customers -------------------------------------------------------------------------------


class CustomerOut(Schema):
    id: int
    name: str
    kind: str
    hospital_level: str
    grade: str
    status: str
    credit_code: str
    region_id: int
    region: str
    province_id: int
    district: str
    address: str
    owner_id: int
    owner: str
    source: str
    departments: list[str]
    device_interests: list[str]
    budget_cycle: str
    decision_makers: str
    needs_notes: str
    became_existing_on: date | None
    last_visit_on: date | None
    next_visit_due: date | None

    @staticmethod
    def resolve_region(obj):
        return str(obj.region)

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.display_name


# The list's rows: the same fields, read from values() dicts (core/rows.py); region
# and owner are labels made from the label columns, the other fields are columns.
ROW_LABELS = {
    "region": lambda row: Region.label(
        row["region__name"], row["region__level"], row["region__parent__name"]
    ),
    "owner": lambda row: User.name_of(
        row["owner__full_name"],
        row["owner__first_name"],
        row["owner__last_name"],
        row["owner__username"],
    ),
}
ROW_FIELDS = tuple(name for name in CustomerOut.model_fields if name not in ROW_LABELS)
CustomerRow = row_model(CustomerOut, "CustomerRow", computed=ROW_LABELS)


class CustomerIn(Schema):
    name: str
    kind: str
    hospital_level: str = ""
    credit_code: str = ""
    region_id: int
    district: str = ""
    address: str = ""
    owner_id: int | None = Field(None, description="A rep of your team (managers); default you")
    source: str = ""
    departments: list[str] = []
    device_interests: list[str] = []
    budget_cycle: str = ""
    decision_makers: str = ""
    needs_notes: str = ""


class CustomerPatch(Schema):
    name: str | None = None
    kind: str | None = None
    hospital_level: str | None = None
    credit_code: str | None = None
    region_id: int | None = None
    district: str | None = None
    address: str | None = None
    source: str | None = None
    departments: list[str] | None = None
    device_interests: list[str] | None = None
    budget_cycle: str | None = None
    decision_makers: str | None = None
    needs_notes: str | None = None


def _region(region_id: int):
    from mdss.accounts.models import Region

    region = Region.objects.filter(pk=region_id).select_related("parent").first()
    if region is None:
        raise ValidationFailed.single("region_id", "unknown", "No region with this id.")
    return region


@router.get(
    "",
    response={200: list[CustomerRow], 403: ErrorOut, 422: ErrorOut},
    summary="Customers in my scope; visit=due (this period, overdue included) or overdue",
)
@paginate(PageNumberPagination)
def customer_list(
    request,
    search: str = "",
    kind: str = "",
    grade: str = "",
    status: str = "",
    province: int | None = None,
    region: int | None = None,
    owner: int | None = None,
    visit: str = "",
    sort: str = Query(
        "",
        description="name, grade, region or visit (next visit due); a leading - sorts descending",
    ),
):
    _require(request, "view_customer")
    filters = CustomerFilterForm.from_api(
        {
            "search": search,
            "kind": kind,
            "grade": grade,
            "status": status,
            "province": province,
            "region": region,
            "owner": owner,
            "visit": visit,
            "sort": sort,
        }
    )
    return selectors.customer_rows(
        selectors.customer_filter(
            selectors.customer_list_for_user(request.user), today=local_today(), **filters
        ),
        ROW_FIELDS,
    )


@router.post("", response={201: CustomerOut, **ERRORS}, summary="Record a customer")
def customer_create(request, payload: CustomerIn):

    require_perm(request.user, "add_customer")  # who may, before what they sent
    data = payload.dict()
    owner_id = data.pop("owner_id") or request.user.pk
    owner = User.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise ValidationFailed.single("owner_id", "unknown", "No active user with this id.")
    data["region"] = _region(data.pop("region_id"))
    customer = services.customer_save(actor=request.user, customer=Customer(owner=owner, **data))
    return Status(201, selectors.customer_get_for_user(request.user, customer.pk))


@router.get("/{int:customer_id}", response={200: CustomerOut, **ERRORS})
def customer_detail(request, customer_id: int):
    _require(request, "view_customer")
    return selectors.customer_get_for_user(request.user, customer_id)


@router.patch(
    "/{int:customer_id}", response={200: CustomerOut, **ERRORS}, summary="Edit a customer"
)
def customer_update(request, customer_id: int, payload: CustomerPatch):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    data = payload.dict(exclude_unset=True)
    if data.get("region_id") is not None:
        customer.region = _region(data.pop("region_id"))
    for field, value in data.items():
        if value is not None:
            setattr(customer, field, value)
    services.customer_save(actor=request.user, customer=customer)
    return selectors.customer_get_for_user(request.user, customer_id)


class ReassignIn(Schema):
    owner_id: int
    reason: str


@router.post("/{int:customer_id}/reassign", response={200: CustomerOut, **ERRORS})
def customer_reassign(request, customer_id: int, payload: ReassignIn):

    customer = selectors.customer_get_for_user(request.user, customer_id)
    require_perm(request.user, "reassign_customer")  # who may, before what they sent
    owner = User.objects.filter(pk=payload.owner_id).first()
    if owner is None:
        raise ValidationFailed.single("owner_id", "unknown", "No user with this id.")
    services.customer_reassign(
        actor=request.user, customer=customer, owner=owner, reason=payload.reason
    )
    return selectors.customer_get_for_user(request.user, customer_id)


class MayBuyReasonOut(Schema):
    code: str
    message: str


class MayBuyOut(Schema):
    customer_id: int
    model_id: int
    on_date: date
    may_buy: bool
    qualification_id: int | None
    reasons: list[MayBuyReasonOut]


@router.get(
    "/{int:customer_id}/may-buy",
    response={200: MayBuyOut, **ERRORS},
    summary="May this customer buy a model on a date? Every reason if not.",
)
def customer_may_buy(request, customer_id: int, model: int, on: date | None = None):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    decision = may_buy(customer, model_get(model), on or local_today())
    return {
        "customer_id": customer.pk,
        "model_id": decision.model_id,
        "on_date": decision.on_date,
        "may_buy": decision.ok,
        "qualification_id": decision.qualification_id,
        "reasons": [{"code": r.code, "message": r.message} for r in decision.reasons],
    }


# --- contacts --------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    customer_id: int
    name: str
    department: str
    title: str
    mobile: str
    phone: str
    email: str
    purchasing_role: str
    notes: str
    is_active: bool


class ContactIn(Schema):
    name: str
    department: str = ""
    title: str = ""
    mobile: str = ""
    phone: str = ""
    email: str = ""
    purchasing_role: str = ""
    notes: str = ""
    is_active: bool = True


@router.get("/{int:customer_id}/contacts", response={200: list[ContactOut], **ERRORS})
def contact_list(request, customer_id: int):
    _require(request, "view_contact")
    selectors.customer_get_for_user(request.user, customer_id)
    return list(selectors.contacts_for_user(request.user, customer_id))


@router.post("/{int:customer_id}/contacts", response={201: ContactOut, **ERRORS})
def contact_create(request, customer_id: int, payload: ContactIn):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    contact = services.contact_save(
        actor=request.user, contact=Contact(customer=customer, **payload.dict())
    )
    return Status(201, contact)


@router.put("/{int:customer_id}/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contact_update(request, customer_id: int, contact_id: int, payload: ContactIn):
    selectors.customer_get_for_user(request.user, customer_id)
    contact = get_object_or_404(
        selectors.contacts_for_user(request.user, customer_id), pk=contact_id
    )
    for field, value in payload.dict().items():
        setattr(contact, field, value)
    return services.contact_save(actor=request.user, contact=contact)


# --- qualifications --------------------------------------------------------------------------


class QualificationOut(Schema):
    id: int
    customer_id: int
    kind: str
    number: str
    issuer: str
    scope_classes: list[str]
    scope_categories: list[str]
    valid_from: date | None
    valid_until: date | None
    voided_at: str | None = None
    void_reason: str

    @staticmethod
    def resolve_voided_at(obj):
        return obj.voided_at.isoformat() if obj.voided_at else None


class QualificationIn(Schema):
    kind: str
    number: str
    issuer: str = ""
    scope_classes: list[str] = []
    scope_categories: list[str] = []
    valid_from: date | None = None
    valid_until: date | None = None


class VoidIn(Schema):
    reason: str


@router.get("/{int:customer_id}/qualifications", response={200: list[QualificationOut], **ERRORS})
def qualification_list(request, customer_id: int):
    _require(request, "view_qualification")
    selectors.customer_get_for_user(request.user, customer_id)
    return list(selectors.qualifications_for_user(request.user, customer_id))


@router.post("/{int:customer_id}/qualifications", response={201: QualificationOut, **ERRORS})
def qualification_create(request, customer_id: int, payload: QualificationIn):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    q = services.qualification_save(
        actor=request.user, qualification=Qualification(customer=customer, **payload.dict())
    )
    return Status(201, q)


@router.post(
    "/{int:customer_id}/qualifications/{qualification_id}/void",
    response={200: QualificationOut, **ERRORS},
)
def qualification_void(request, customer_id: int, qualification_id: int, payload: VoidIn):
    selectors.customer_get_for_user(request.user, customer_id)
    q = get_object_or_404(
        selectors.qualifications_for_user(request.user, customer_id).active(), pk=qualification_id
    )
    services.qualification_void(actor=request.user, qualification=q, reason=payload.reason)
    q.refresh_from_db()
    return q


# --- activities and visits ---------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    customer_id: int
    kind: str
    occurred_on: date
    subject: str
    participants: str
    outcome: str
    next_step: str
    next_step_on: date | None
    plan_id: int | None
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.display_name


class ActivityIn(Schema):
    kind: str
    occurred_on: date
    subject: str
    participants: str = ""
    outcome: str = ""
    next_step: str = ""
    next_step_on: date | None = None
    plan_id: int | None = None


@router.get("/{int:customer_id}/activities", response={200: list[ActivityOut], **ERRORS})
@paginate(PageNumberPagination)
def activity_list(request, customer_id: int):
    _require(request, "view_activity")
    selectors.customer_get_for_user(request.user, customer_id)
    return selectors.activities_for_user(request.user, customer_id)


@router.post("/{int:customer_id}/activities", response={201: ActivityOut, **ERRORS})
def activity_create(request, customer_id: int, payload: ActivityIn):
    customer = selectors.customer_in_scope(request.user, customer_id)
    data = payload.dict()
    if data["plan_id"] is not None:
        data["plan"] = get_object_or_404(
            selectors.plans_for_user(request.user), pk=data.pop("plan_id")
        )
    activity = services.activity_record(
        actor=request.user, activity=Activity(customer=customer, **data), today=local_today()
    )
    return Status(201, activity)


class VisitOut(Schema):
    id: int
    customer_id: int
    visited_on: date
    method: str
    visitor: str
    contact_id: int | None
    product_use: str
    satisfaction: int
    feedback: str
    follow_up: str
    policy_version: int

    @staticmethod
    def resolve_visitor(obj):
        return obj.visitor.display_name

    @staticmethod
    def resolve_policy_version(obj):
        return obj.policy.number


class VisitIn(Schema):
    visited_on: date
    method: str = "on_site"
    contact_id: int | None = None
    product_use: str
    satisfaction: int = Field(..., description="1 (very unhappy) to 5 (very happy)")
    feedback: str = ""
    follow_up: str = ""
    flag_for_strategy: bool = False
    feedback_category: str = "other"


@router.get("/{int:customer_id}/visits", response={200: list[VisitOut], **ERRORS})
@paginate(PageNumberPagination)
def visit_list(request, customer_id: int):
    _require(request, "view_returnvisit")
    selectors.customer_get_for_user(request.user, customer_id)
    return selectors.visits_for_user(request.user, customer_id).select_related("policy")


@router.post(
    "/{int:customer_id}/visits",
    response={201: VisitOut, **ERRORS},
    summary="Record a return visit; re-plans the customer's next due date",
)
def visit_create(request, customer_id: int, payload: VisitIn):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    data = payload.dict()
    flag, category = data.pop("flag_for_strategy"), data.pop("feedback_category")
    if (
        data["contact_id"] is not None
        and not customer.contacts.filter(pk=data["contact_id"]).exists()
    ):
        raise ValidationFailed.single(
            "contact_id", "other_customer", "Not a contact of this customer."
        )
    visit = services.visit_record(
        actor=request.user,
        visit=ReturnVisit(customer=customer, **data),
        today=local_today(),
        flag_for_strategy=flag,
        feedback_category=category,
    )
    return Status(201, visit)


class DueOut(Schema):
    id: int
    name: str
    owner_id: int
    owner: str
    grade: str
    last_visit_on: date | None
    next_visit_due: date | None
    overdue: bool

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.display_name

    @staticmethod
    def resolve_overdue(obj, context):
        return obj.next_visit_due is not None and obj.next_visit_due < context["request"].today


@router.get(
    "/visits/due",
    response={200: list[DueOut], 403: ErrorOut},
    summary="Existing customers whose return visit is due this period (overdue first)",
)
@paginate(PageNumberPagination)
def visits_due(request, owner: int | None = None):
    _require(request, "view_returnvisit")
    request.today = local_today()
    return selectors.visits_due_for_user(request.user, request.today, owner=owner)


# --- feedback --------------------------------------------------------------------------------


class FeedbackOut(Schema):
    id: int
    customer_id: int
    customer: str
    visit_id: int | None
    category: str
    text: str
    status: str
    action: str
    decision: str
    raised_by: str
    decided_by: str | None
    created_at: str
    allowed_actions: list[str]

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.name

    @staticmethod
    def resolve_raised_by(obj):
        return obj.raised_by.display_name

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.display_name if obj.decided_by_id else None

    @staticmethod
    def resolve_created_at(obj):
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return actions.feedback_actions_for(context["request"].user, obj)


class FeedbackIn(Schema):
    category: str
    text: str


class FeedbackActionIn(Schema):
    text: str = Field(..., description="What was done (act) or the decision (close)")


@router.get("/feedback", response={200: list[FeedbackOut], 403: ErrorOut, 422: ErrorOut})
@paginate(PageNumberPagination)
def feedback_list(request, status: str = ""):
    _require(request, "view_feedback")
    filters = FeedbackFilterForm.from_api({"status": status})
    return selectors.feedback_for_user(request.user, filters["status"])


@router.post("/{int:customer_id}/feedback", response={201: FeedbackOut, **ERRORS})
def feedback_create(request, customer_id: int, payload: FeedbackIn):
    customer = selectors.customer_get_for_user(request.user, customer_id)
    feedback = services.feedback_raise(actor=request.user, customer=customer, **payload.dict())
    return Status(201, selectors.feedback_get_for_user(request.user, feedback.pk))


@router.get("/feedback/{feedback_id}", response={200: FeedbackOut, 403: ErrorOut, 404: ErrorOut})
def feedback_detail(request, feedback_id: int):
    _require(request, "view_feedback")
    return selectors.feedback_get_for_user(request.user, feedback_id)


@router.post(
    "/feedback/{feedback_id}/act",
    response={200: FeedbackOut, **ERRORS},
    summary="Say what was done about the feedback",
)
def feedback_act(request, feedback_id: int, payload: FeedbackActionIn):
    feedback = selectors.feedback_get_for_user(request.user, feedback_id)
    services.feedback_act(actor=request.user, feedback=feedback, action=payload.text)
    return selectors.feedback_get_for_user(request.user, feedback_id)


@router.post(
    "/feedback/{feedback_id}/close",
    response={200: FeedbackOut, **ERRORS},
    summary="Close with the decision on the sales strategy (a manager's)",
)
def feedback_close(request, feedback_id: int, payload: FeedbackActionIn):
    feedback = selectors.feedback_get_for_user(request.user, feedback_id)
    services.feedback_close(actor=request.user, feedback=feedback, decision=payload.text)
    return selectors.feedback_get_for_user(request.user, feedback_id)


# --- development plans -----------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    name: str
    owner_id: int
    period_start: date
    period_end: date
    target_kinds: list[str]
    target_grades: list[str]
    target_region_ids: list[int]
    positioning: str
    channels: list[str]
    target_new_customers: int
    target_contract_amount: Decimal

    @staticmethod
    def resolve_target_region_ids(obj):
        return [r.pk for r in obj.target_regions.all()]


class PlanIn(Schema):
    name: str
    owner_id: int | None = None
    period_start: date
    period_end: date
    target_kinds: list[str] = []
    target_grades: list[str] = []
    target_region_ids: list[int] = []
    positioning: str = ""
    channels: list[str]
    target_new_customers: int = 0
    target_contract_amount: Decimal = Decimal("0")


class AchievementOut(Schema):
    target_customers: int
    new_customers: int
    contract_amount: Decimal
    leads: int
    leads_converted: int
    new_customer_percent: int | None
    amount_percent: int | None
    activities_by_kind: dict[str, int]


class CampaignIn(Schema):
    kind: str
    name: str
    starts_on: date
    ends_on: date | None = None
    location: str = ""
    cost: Decimal = Decimal("0")
    notes: str = ""


class CampaignOut(CampaignIn):
    id: int
    plan_id: int


class LeadIn(Schema):
    organisation: str
    contact_name: str = ""
    phone: str = ""
    interest: str = ""


class LeadOut(LeadIn):
    id: int
    campaign_id: int
    customer_id: int | None


def _plan_from(request, payload: PlanIn, plan: DevelopmentPlan) -> DevelopmentPlan:
    from mdss.accounts.models import Region, User

    data = payload.dict()
    owner_id = data.pop("owner_id")
    regions = list(Region.objects.filter(pk__in=data.pop("target_region_ids")))
    for field, value in data.items():
        setattr(plan, field, value)
    if owner_id is not None:
        plan.owner = get_object_or_404(User, pk=owner_id)
    return services.plan_save(actor=request.user, plan=plan, regions=regions)


@router.get("/plans", response={200: list[PlanOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def plan_list(request):
    _require(request, "view_developmentplan")
    return selectors.plans_for_user(request.user)


@router.post("/plans", response={201: PlanOut, **ERRORS})
def plan_create(request, payload: PlanIn):
    plan = _plan_from(request, payload, DevelopmentPlan())
    return Status(201, selectors.plan_get_for_user(request.user, plan.pk))


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def plan_detail(request, plan_id: int):
    _require(request, "view_developmentplan")
    return selectors.plan_get_for_user(request.user, plan_id)


@router.put("/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def plan_update(request, plan_id: int, payload: PlanIn):
    plan = selectors.plan_get_for_user(request.user, plan_id)
    _plan_from(request, payload, plan)
    return selectors.plan_get_for_user(request.user, plan_id)


@router.get(
    "/plans/{plan_id}/achievement",
    response={200: AchievementOut, **ERRORS},
    summary="Planned against achieved, computed from the records",
)
def plan_achievement(request, plan_id: int):
    _require(request, "view_developmentplan")
    return selectors.plan_achievement(selectors.plan_get_for_user(request.user, plan_id))


@router.post("/plans/{plan_id}/campaigns", response={201: CampaignOut, **ERRORS})
def campaign_create(request, plan_id: int, payload: CampaignIn):
    plan = selectors.plan_get_for_user(request.user, plan_id)
    campaign = services.campaign_save(
        actor=request.user, campaign=Campaign(plan=plan, **payload.dict())
    )
    return Status(201, campaign)


@router.post("/plans/{plan_id}/campaigns/{campaign_id}/leads", response={201: LeadOut, **ERRORS})
def lead_create(request, plan_id: int, campaign_id: int, payload: LeadIn):
    from .models import Lead

    plan = selectors.plan_get_for_user(request.user, plan_id)
    campaign = get_object_or_404(plan.campaigns, pk=campaign_id)
    lead = services.lead_capture(actor=request.user, lead=Lead(campaign=campaign, **payload.dict()))
    return Status(201, lead)
