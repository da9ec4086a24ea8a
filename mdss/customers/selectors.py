"""Reads of customers for pages, API and later apps; each list costs a fixed number
of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from mdss.calendars import engine
from mdss.calendars.selectors import cadence
from mdss.core.prepared import Prepared

from . import purchases
from .choices import CustomerStatus, FeedbackStatus
from .models import (
    Activity,
    Campaign,
    Contact,
    Customer,
    DevelopmentPlan,
    Feedback,
    Lead,
    Qualification,
    ReturnVisit,
)
from .permissions import customer_scope, scope_terms, scoped, terms_filter


def reps_for(viewer):
    """The reps a viewer may give customers and plans to (None: only himself)."""
    from mdss.accounts import roles
    from mdss.accounts.models import User

    if not (viewer.is_superuser or viewer.has_role(roles.SALES_MANAGER, roles.MANAGEMENT)):
        return None
    # EXISTS rather than a join + DISTINCT, so a LIMIT stops the scan early.
    in_sales = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=[roles.SALES_REP, roles.SALES_MANAGER]
    )
    reps = User.objects.filter(Exists(in_sales), is_active=True)
    if viewer.is_superuser or viewer.has_role(roles.MANAGEMENT):
        return reps.order_by("full_name")
    team = Q(pk=viewer.pk) | Q(superior=viewer)
    if viewer.department_id:
        team |= Q(department_id=viewer.department_id)
    return reps.filter(team).order_by("full_name")


def sees_everyone(viewer) -> bool:
    return customer_scope(viewer) is None


def only_me(viewer):
    from mdss.accounts.models import User

    return User.objects.filter(pk=viewer.pk)


def customer_list_for_user(viewer):
    return scoped(Customer.objects.select_related("region__parent", "owner"), viewer)


# What ``str(region)`` and the rep's display name are made of (Region.label,
# User.name_of): the table loads them with the customer, the API rows read them.
LABEL_COLUMNS = (
    "region__name",
    "region__level",
    "region__parent__name",
    "owner__full_name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)
# What the customer table shows: loading only these halves the cost of a page of 30
# (customers, their city and province, their rep).
TABLE_COLUMNS = (
    "name",
    "kind",
    "hospital_level",
    "grade",
    "status",
    "next_visit_due",
    *LABEL_COLUMNS,
)


def customer_table(queryset):
    return queryset.only(*TABLE_COLUMNS)


def customer_rows(queryset, fields):
    """The API list's page as dicts (core/rows.py): ``fields`` of the output that are
    columns, and the label columns."""
    from mdss.core.rows import Rows

    return Rows(queryset, (*fields, *LABEL_COLUMNS))


def customer_get_for_user(viewer, pk: int) -> Customer:
    """A customer the viewer may see, or 404 (outside scope looks like missing)."""
    return get_object_or_404(customer_list_for_user(viewer), pk=pk)


# One compiled query per shape of scope (everything; own; own and reports; own,
# reports and department): every API write on a customer's records starts with this
# lookup, and compiling it cost Django more than running it (docs/benchmarks.md).
_in_scope_by_shape: dict[tuple[str, ...] | None, Prepared] = {}


def _in_scope_query(lookups: tuple[str, ...] | None) -> Prepared:
    prepared = _in_scope_by_shape.get(lookups)
    if prepared is None:

        def build(pk, *values):
            queryset = Customer.objects.filter(pk=pk)
            if lookups is None:
                return queryset
            return queryset.filter(terms_filter(zip(lookups, values, strict=True)))

        kinds = (int,) * (1 + len(lookups or ()))
        prepared = _in_scope_by_shape[lookups] = Prepared(Customer, build, kinds)
    return prepared


def customer_in_scope(viewer, pk: int) -> Customer:
    """The bare customer row a service will act on (no related rows), or 404; marked
    as found by the viewer's scope so the service does not run the same check again
    (services/_common.py ``require_in_scope``)."""
    from .services._common import SCOPE_MARK

    terms = scope_terms(viewer)
    lookups = None if terms is None else tuple(lookup for lookup, _value in terms)
    values = () if terms is None else tuple(value for _lookup, value in terms)
    found = _in_scope_query(lookups)(pk, *values)
    if not found:
        raise Http404
    customer = found[0]
    customer.__dict__[SCOPE_MARK] = viewer.pk
    return customer


@dataclass(frozen=True)
class VisitPeriod:
    """The current return-visit period under the policy (a quarter by default)."""

    start: date
    end: date
    months: int


def visit_period(today: date) -> VisitPeriod:
    months = cadence("customers.return_visit").period_months
    start, end = engine.period_bounds(today, months)
    return VisitPeriod(start, end, months)


def customer_filter(
    queryset,
    *,
    today: date,
    q: str = "",
    kind: str = "",
    grade: str = "",
    status: str = "",
    province: int | None = None,
    region: int | None = None,
    owner: int | None = None,
    visit: str = "",
    sort: str = "",
):
    """The filters of the customer list, shared by the page, the API and the export.

    ``visit``: "overdue" (due date passed), "due" (due by the end of this period,
    overdue included) or "" for all. ``sort``: a key of ``CustomerFilterForm.sorts``
    (validated by the form), "-" first for descending.
    """
    if q:
        query = Q(name__icontains=q) | Q(credit_code=q.strip().upper())
        queryset = queryset.filter(query)
    if kind:
        queryset = queryset.filter(kind=kind)
    if grade:
        queryset = queryset.filter(grade=grade)
    if status:
        queryset = queryset.filter(status=status)
    if province:
        queryset = queryset.filter(province_id=province)
    if region:
        queryset = queryset.filter(region_id=region)
    if owner:
        queryset = queryset.filter(owner_id=owner)
    if visit == "overdue":
        queryset = queryset.filter(next_visit_due__lt=today).order_by("next_visit_due", "id")
    elif visit == "due":
        queryset = queryset.filter(next_visit_due__lte=visit_period(today).end).order_by(
            "next_visit_due", "id"
        )
    if sort:
        from mdss.core.sorting import apply_sort

        from .choices import CUSTOMER_SORTS

        queryset = apply_sort(queryset, sort, CUSTOMER_SORTS)
    return queryset


def customer_360(customer: Customer, today: date) -> dict:
    """Everything on the customer page, in a fixed number of queries."""
    qualifications = list(customer.qualifications.order_by("voided_at", "kind", "-valid_until"))
    for q in qualifications:
        q.days_left = (q.valid_until - today).days if q.valid_until else None
    return {
        "contacts": list(customer.contacts.order_by("-is_active", "name")),
        "qualifications": qualifications,
        "activities": list(customer.activities.select_related("recorded_by")[:50]),
        "visits": list(customer.visits.select_related("visitor", "contact")[:20]),
        "feedback": list(customer.feedback.select_related("raised_by", "decided_by")[:50]),
        "purchases": purchases.history(customer),
    }


def site_contacts(customer) -> list:
    """The customer's current contacts for the site card (customers/access.py, whose
    ``customer_site_get`` has checked the viewer's door): who to call on site, not
    their role in purchasing or notes."""
    return list(
        customer.contacts.filter(is_active=True)
        .only("name", "department", "title", "mobile", "phone", "email", "customer_id")
        .order_by("name")
    )


def contact_for_email(address: str):
    """The customer contact an e-mail comes from (``Name <addr>`` or a bare address),
    active contacts first; None for an address nobody has."""
    import re

    from .models import Contact

    address = (address or "").strip()
    match = re.search(r"<([^>]+)>", address)
    address = (match.group(1) if match else address).strip().lower()
    if "@" not in address:
        return None
    return (
        Contact.objects.filter(email__iexact=address)
        .select_related("customer")
        .order_by("-is_active", "pk")
        .first()
    )


def contacts_for_user(viewer, customer_id: int):
    return scoped(Contact.objects.filter(customer_id=customer_id), viewer, "customer__")


def qualifications_for_user(viewer, customer_id: int):
    return scoped(
        Qualification.objects.filter(customer_id=customer_id), viewer, "customer__"
    ).order_by("voided_at", "kind", "-valid_until")


def activities_for_user(viewer, customer_id: int | None = None):
    rows = Activity.objects.select_related("customer", "recorded_by")
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    return scoped(rows, viewer, "customer__")


def visits_for_user(viewer, customer_id: int | None = None):
    rows = ReturnVisit.objects.select_related("customer", "visitor", "contact")
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    return scoped(rows, viewer, "customer__")


def visits_due_for_user(
    viewer, today: date, *, owner: int | None = None, q: str = "", sort: str = ""
):
    """Existing customers in scope whose return visit is due by the end of this period
    (overdue first): an index range scan on (owner | team | province, next_visit_due)."""
    rows = customer_filter(
        customer_list_for_user(viewer), today=today, visit="due", owner=owner, q=q, sort=sort
    ).filter(status=CustomerStatus.EXISTING)
    return rows


def visit_counts_by_rep(viewer, today: date) -> list[dict]:
    """Per rep in scope: customers due this period and overdue (the manager's view)."""
    period = visit_period(today)
    rows = (
        scoped(Customer.objects.filter(status=CustomerStatus.EXISTING), viewer)
        .values("owner_id", "owner__full_name", "owner__username")
        .annotate(
            customers=Count("id"),
            due=Count("id", filter=Q(next_visit_due__lte=period.end)),
            overdue=Count("id", filter=Q(next_visit_due__lt=today)),
        )
        .order_by("-overdue", "-due", "owner__full_name")
    )
    return list(rows)


def _owners_in_scope(terms):
    """The reps whose customers are in a scope (``scope_terms``), as a user-id
    subquery: the terms read from the owner's side."""
    from mdss.accounts.models import User

    owners = Q()
    for lookup, value in terms:
        owners |= Q(**{"pk" if lookup == "owner_id" else lookup.removeprefix("owner__"): value})
    return User.objects.filter(owners).values("pk")


@dataclass(frozen=True)
class VisitFigures:
    """The return-visit card's figures: customers in ``visits_due_for_user`` (due by
    the end of the period), those overdue, and the reps with the most overdue
    customers as ``(user id, name, overdue)``, worst first (ties by the rep's key)."""

    due: int
    overdue: int
    worst: list[tuple[int, str, int]]


def visit_figures(viewer, today: date, period: VisitPeriod, *, worst: int = 0) -> VisitFigures:
    """One read of the customers due, counted per owner (the totals and the ``worst``
    reps come from the same rows), then the names of those reps: two queries, one if
    ``worst`` is 0 or nobody is overdue."""
    from django.db.models import Max

    from mdss.accounts.models import User

    rows = Customer.objects.filter(status=CustomerStatus.EXISTING, next_visit_due__lte=period.end)
    terms = scope_terms(viewer)
    if terms is not None and len(terms) == 1:  # a rep's own: the owner index
        rows = rows.filter(terms_filter(terms))
    grouped = rows.order_by().values("owner_id")
    if terms is not None and len(terms) > 1:
        # A manager's team: the scope checked once per rep after grouping (HAVING),
        # not once per customer through a join to the owner (113,000 customers due
        # and 2,000 reps at national scale, docs/benchmarks.md).
        grouped = grouped.annotate(owner_key=Max("owner_id")).filter(
            owner_key__in=_owners_in_scope(terms)
        )
    counts = list(
        grouped.annotate(
            due=Count("id"), overdue=Count("id", filter=Q(next_visit_due__lt=today))
        ).values_list("owner_id", "due", "overdue")
    )
    late = sorted((r for r in counts if r[2]), key=lambda r: (-r[2], r[0]))[:worst]
    names = {}
    if late:
        names = {
            u.pk: u.display_name
            for u in User.objects.filter(pk__in=[r[0] for r in late]).only(
                "full_name", "first_name", "last_name", "username"
            )
        }
    return VisitFigures(
        due=sum(r[1] for r in counts),
        overdue=sum(r[2] for r in counts),
        worst=[(pk, names.get(pk, ""), overdue) for pk, _due, overdue in late],
    )


def feedback_for_user(viewer, status: str = ""):
    rows = Feedback.objects.select_related("customer__owner", "raised_by", "decided_by", "visit")
    if status:
        rows = rows.filter(status=status)
    return scoped(rows, viewer, "customer__")


def feedback_get_for_user(viewer, pk: int) -> Feedback:
    return get_object_or_404(feedback_for_user(viewer), pk=pk)


def open_feedback_count(viewer) -> int:
    return feedback_for_user(viewer, FeedbackStatus.OPEN).count()


def plans_for_user(viewer):
    return scoped(
        DevelopmentPlan.objects.select_related("owner").prefetch_related("target_regions"), viewer
    )


def plan_get_for_user(viewer, pk: int) -> DevelopmentPlan:
    return get_object_or_404(plans_for_user(viewer), pk=pk)


def plan_customers(plan: DevelopmentPlan):
    """The plan's target group: customers of its owner's scope matching its filters."""
    rows = scoped(Customer.objects.all(), plan.owner)
    if plan.target_kinds:
        rows = rows.filter(kind__in=plan.target_kinds)
    if plan.target_grades:
        rows = rows.filter(grade__in=plan.target_grades)
    region_ids = [r.pk for r in plan.target_regions.all()]
    if region_ids:
        rows = rows.filter(Q(region_id__in=region_ids) | Q(province_id__in=region_ids))
    return rows


def plan_achievement(plan: DevelopmentPlan) -> dict:
    """Planned against achieved, from the records themselves (S6)."""
    group = plan_customers(plan)
    won = group.filter(became_existing_on__range=(plan.period_start, plan.period_end))
    amounts = purchases.amounts(
        list(group.values_list("pk", flat=True)), plan.period_start, plan.period_end
    )
    contract_amount = sum(amounts.values(), start=type(plan.target_contract_amount)(0))
    by_channel = dict(
        Activity.objects.filter(
            customer__in=group, occurred_on__range=(plan.period_start, plan.period_end)
        )
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    campaigns = list(
        Campaign.objects.filter(plan=plan).annotate(lead_count=Count("leads")).order_by("starts_on")
    )
    leads = Lead.objects.filter(campaign__plan=plan)
    return {
        "target_customers": group.count(),
        "new_customers": won.count(),
        "contract_amount": contract_amount,
        "activities_by_kind": by_channel,
        "campaigns": campaigns,
        "leads": leads.count(),
        "leads_converted": leads.filter(customer__isnull=False).count(),
        "new_customer_percent": _percent(won.count(), plan.target_new_customers),
        "amount_percent": _percent(contract_amount, plan.target_contract_amount),
    }


def _percent(done, target) -> int | None:
    return round(100 * done / target) if target else None


def lead_get_for_user(viewer, pk: int) -> Lead:
    return get_object_or_404(
        scoped(Lead.objects.select_related("campaign__plan"), viewer, "campaign__plan__"), pk=pk
    )


def leads_for_campaign(campaign: Campaign):
    return campaign.leads.select_related("customer", "captured_by")


def plan_campaigns(plan: DevelopmentPlan):
    return plan.campaigns.prefetch_related(
        Prefetch("leads", queryset=Lead.objects.select_related("customer"))
    ).order_by("-starts_on")
