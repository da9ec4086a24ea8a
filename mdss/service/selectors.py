"""Reads of service requests for pages, the API and other apps, each at a fixed
number of queries: the lists, a request with everything its page shows, the
engineer's jobs, the dispatch board and its candidate engineers, and the device
timeline's service events."""

from __future__ import annotations

import base64
from datetime import date

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from .choices import EVENT_LABELS, JOB_STATUSES, OPEN_STATUSES, ImprovementStatus
from .choices import RequestStatus as S
from .models import Confirmation, FollowUp, ImprovementAction, ReplacedPart, ServiceRequest
from .permissions import request_scope

WAITING = (S.NEW, S.CONTACTED, S.TO_DISPATCH)


def requests_for_user(
    viewer,
    *,
    q: str = "",
    status: str = "",
    urgency: str = "",
    engineer: int | None = None,
    customer: int | None = None,
    device: int | None = None,
    open_only: bool = False,
    overdue: bool = False,
    sort: str = "",
):
    rows = ServiceRequest.objects.select_related("customer", "device__model__product", "engineer")
    scope = request_scope(viewer)
    if scope is not None:
        rows = rows.filter(scope)
    if q:
        rows = rows.filter(
            Q(number__icontains=q)
            | Q(customer__name__icontains=q)
            | Q(reporter_phone__contains=q)
            | Q(device__serial__icontains=q)
        )
    if status:
        rows = rows.filter(status=status)
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    if overdue:
        from django.utils import timezone

        from .choices import ACTIVE_STATUSES

        rows = rows.filter(status__in=ACTIVE_STATUSES, due_at__lte=timezone.now())
    if urgency:
        rows = rows.filter(urgency=urgency)
    if engineer:
        rows = rows.filter(engineer_id=engineer)
    if customer:
        rows = rows.filter(customer_id=customer)
    if device:
        rows = rows.filter(device_id=device)
    if sort:  # a key of REQUEST_SORTS, validated by RequestFilterForm
        from mdss.core.sorting import apply_sort

        from .filters import REQUEST_SORTS

        return apply_sort(rows, sort, REQUEST_SORTS)
    return rows.order_by("-id")


def request_get_for_user(viewer, pk: int) -> ServiceRequest:
    return get_object_or_404(
        requests_for_user(viewer).select_related("created_by", "reopens"), pk=pk
    )


def my_jobs(engineer):
    """The engineer's jobs by urgency, then the deadline that runs out first (the
    partial index service_jobs_idx)."""
    return (
        ServiceRequest.objects.filter(engineer=engineer, status__in=JOB_STATUSES)
        .select_related("customer", "device__model__product")
        .order_by("urgency_rank", F("due_at").asc(nulls_last=True), "id")
    )


def dispatcher_provinces(user) -> list[int]:
    """The provinces a dispatcher covers (their regions, a city counting as its
    province); empty: the whole country."""
    return sorted({r.parent_id or r.pk for r in user.regions.all()})


def board_waiting(*, region: int | None = None, provinces=()):
    """Requests waiting for an engineer (or for the on-site dispatch), by urgency and
    deadline (service_board_idx); ``region``: one province, else ``provinces`` (the
    dispatcher's), else everywhere."""
    rows = ServiceRequest.objects.filter(
        Q(status__in=WAITING, engineer__isnull=True) | Q(status=S.TO_DISPATCH)
    )
    if region:
        rows = rows.filter(province_id=region)
    elif provinces:
        rows = rows.filter(province_id__in=list(provinces))
    # Only what the board shows: a page of it is read many times a minute.
    return (
        rows.select_related("customer__province", "device__model")
        .only(
            "number",
            "status",
            "urgency",
            "urgency_rank",
            "due_at",
            "symptom",
            "engineer_id",
            "customer__name",
            "customer__province__name",
            "device__serial",
            "device__model__code",
        )
        .order_by("urgency_rank", F("due_at").asc(nulls_last=True), "id")
    )


def engineers_with_load(provinces=()):
    """Active engineers (those working in ``provinces`` when given) with their open
    jobs (count) and regions: one query for the counts and one for the regions."""
    from mdss.accounts import roles
    from mdss.accounts.models import Region, User

    rows = User.objects.filter(groups__name=roles.SERVICE_ENGINEER, is_active=True)
    if provinces:
        # From the provinces and their cities to the people working there (the
        # regions' index), not from every engineer to their regions.
        places = Region.objects.filter(
            Q(pk__in=list(provinces)) | Q(parent__in=list(provinces))
        ).values("pk")
        rows = rows.filter(
            pk__in=User.regions.through.objects.filter(region__in=places).values("user_id")
        )
    # Each engineer's open jobs counted on the jobs index (a correlated subquery),
    # not by joining every request they ever had.
    open_jobs = (
        ServiceRequest.objects.filter(engineer=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("engineer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        rows.annotate(open_jobs=Coalesce(Subquery(open_jobs), 0))
        .prefetch_related("regions")
        .order_by("open_jobs", "full_name", "pk")
    )


def engineer_candidates(request: ServiceRequest, on_date: date) -> list:
    """The engineers the dispatcher may choose from for ``request``: each with
    ``qualified`` (training's Decision for the device's model), ``in_region`` (one of
    their regions is the customer's city or province) and ``open_jobs``; qualified
    ones in the region first, then by load."""
    from mdss.training.selectors import is_qualified

    customer = request.customer
    places = {customer.region_id, customer.province_id} - {None}
    model = request.device.model if request.device_id else None
    # The customer's province first; the whole country when nobody works there.
    rows = list(engineers_with_load([customer.province_id])[:50]) if customer.province_id else []
    if not rows:
        rows = list(engineers_with_load()[:50])
    for engineer in rows:
        engineer.qualified = is_qualified(engineer, model, on_date) if model else None
        engineer.in_region = any(r.pk in places for r in engineer.regions.all())
    return sorted(
        rows,
        key=lambda e: (
            not (e.qualified is None or e.qualified.ok),
            not e.in_region,
            e.open_jobs,
        ),
    )


def request_detail(request: ServiceRequest) -> dict:
    """Everything the request's page shows, at a fixed number of queries."""
    from mdss.audit.models import AuditEvent
    from mdss.calendars.selectors import clocks_for
    from mdss.inventory.selectors import requisitions_for_reference

    visits = list(
        request.visits.select_related("engineer").prefetch_related(
            Prefetch("parts", queryset=ReplacedPart.objects.select_related("part", "requisition"))
        )
    )
    events = list(
        AuditEvent.objects.filter(
            content_type__app_label="service",
            content_type__model="servicerequest",
            object_id=str(request.pk),
        ).order_by("occurred_at", "id")
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    confirmations = list(Confirmation.objects.filter(request=request).select_related("recorded_by"))
    for c in confirmations:
        # Shown inline as a data: URL: the PNG was checked when it was stored and is
        # never served from a URL of ours.
        c.signature_src = (
            "data:image/png;base64," + base64.b64encode(bytes(c.signature_png)).decode()
            if c.signature_png
            else ""
        )
    return {
        "visits": visits,
        "open_visit": next((v for v in visits if v.checked_out_at is None), None),
        "confirmations": confirmations,
        "follow_up": FollowUp.objects.filter(request=request).select_related("recorded_by").first(),
        "improvements": list(request.improvements.select_related("owner")),
        "clocks": list(clocks_for(request)),
        "events": events,
        "requisitions": requisitions_for_reference(request.number),
        "reopenings": list(request.reopenings.only("number", "status")),
    }


def improvements_for_user(viewer, *, open_only: bool = True):
    rows = ImprovementAction.objects.select_related("request__customer", "owner")
    scope = request_scope(viewer)
    if scope is not None:
        rows = rows.filter(Q(owner=viewer) | Q(request__in=ServiceRequest.objects.filter(scope)))
    if open_only:
        rows = rows.filter(status=ImprovementStatus.OPEN)
    return rows.order_by("due_on", "id")


def caller_matches(viewer, text: str) -> list:
    """The hotline's lookup, by what the caller gives: a phone number (a contact's or
    an earlier reporter's), a serial number or a scanned UDI, or the customer's name.
    Customers (at most 10), each with ``units`` in service; ``unit.matched`` marks the
    unit a serial or scan named."""
    from mdss.customers.models import Customer
    from mdss.devices.models import InstalledDevice
    from mdss.devices.search import scan_filter

    text = text.strip()[:100]
    if len(text) < 2:
        return []
    digits = "".join(ch for ch in text if ch.isdigit())
    match = Q(name__icontains=text)
    if len(digits) >= 5:
        match |= (
            Q(contacts__mobile__contains=digits)
            | Q(contacts__phone__contains=digits)
            | Q(service_requests__reporter_phone__contains=digits)
        )
    unit_match = Q(serial__iexact=text) | Q(lot__iexact=text)
    scanned = scan_filter(text)
    if scanned is not None:
        unit_match |= scanned
    named = set(
        InstalledDevice.objects.filter(unit_match).values_list("pk", flat=True).distinct()[:10]
    )
    if named:
        match |= Q(devices__pk__in=named)
    customers = list(Customer.objects.filter(match).distinct().order_by("name")[:10])
    units = InstalledDevice.objects.filter(
        customer__in=customers, status="in_service"
    ).select_related("model__product")
    by_customer: dict[int, list] = {}
    for unit in units.order_by("model__code", "serial"):
        unit.matched = unit.pk in named
        by_customer.setdefault(unit.customer_id, []).append(unit)
    for customer in customers:
        customer.units = by_customer.get(customer.pk, [])
    return customers


def engineer_board(provinces=()) -> list:
    """The board's right-hand side: the engineers (of ``provinces``) with their open
    jobs, three queries."""
    engineers = list(engineers_with_load(provinces))
    jobs: dict[int, list] = {}
    rows = (
        ServiceRequest.objects.filter(status__in=OPEN_STATUSES, engineer__in=engineers)
        .select_related("customer")
        .only("number", "status", "urgency", "due_at", "engineer_id", "customer__name")
        .order_by("engineer_id", "urgency_rank", F("due_at").asc(nulls_last=True))
    )
    for job in rows:
        jobs.setdefault(job.engineer_id, []).append(job)
    for engineer in engineers:
        engineer.jobs = jobs.get(engineer.pk, [])
    return engineers


def board_rows(provinces=(), *, waiting: int = 50) -> dict:
    """The board for the API as plain rows, three queries and no model instance: the
    first ``waiting`` requests waiting, and the engineers (of ``provinces``) with the
    numbers of their open jobs by urgency. A board is read many times a minute, and
    building a request and a customer instance for each of ~600 open jobs was half
    its time at national scale (docs/benchmarks.md)."""
    from django.db.models import Value

    from mdss.accounts.models import User

    rows = (
        board_waiting(provinces=provinces)
        .values("id", "number", "status", "urgency", "due_at")
        .annotate(
            customer_name=F("customer__name"),
            province_name=Coalesce(F("customer__province__name"), Value("")),
            model_code=Coalesce(F("device__model__code"), Value("")),
        )[:waiting]
    )
    engineers = list(
        engineers_with_load(provinces)
        .prefetch_related(None)
        .values("id", "full_name", "first_name", "last_name", "username", "open_jobs")
    )
    jobs: dict[int, list[str]] = {}
    numbers = (
        ServiceRequest.objects.filter(
            status__in=OPEN_STATUSES, engineer__in=[e["id"] for e in engineers]
        )
        .order_by("engineer_id", "urgency_rank", F("due_at").asc(nulls_last=True))
        .values_list("engineer_id", "number")
    )
    for engineer_id, number in numbers:
        jobs.setdefault(engineer_id, []).append(number)
    return {
        "waiting": [
            {
                **{k: r[k] for k in ("id", "number", "status", "urgency", "due_at")},
                "customer": r["customer_name"],
                "province": r["province_name"],
                "model": r["model_code"],
            }
            for r in rows
        ],
        "engineers": [
            {
                "id": e["id"],
                "name": User.name_of(
                    e["full_name"], e["first_name"], e["last_name"], e["username"]
                ),
                "open_jobs": e["open_jobs"],
                "jobs": jobs.get(e["id"], []),
            }
            for e in engineers
        ],
    }


def status_counts(viewer) -> dict:
    """Requests still with the service department, per state, in the order of the
    workflow: {label: count} (the board and the dashboard)."""
    from .choices import ACTIVE_STATUSES

    rows = ServiceRequest.objects.filter(status__in=ACTIVE_STATUSES)
    scope = request_scope(viewer)
    if scope is not None:
        rows = rows.filter(scope)
    found = dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {S(code).label: found[code] for code in ACTIVE_STATUSES if found.get(code)}


def dashboard_counts(viewer) -> dict[str, int]:
    """The service card's figures in two queries: open requests, those past their
    running deadline, follow-ups due (confirmed), open improvement actions."""
    from django.utils import timezone

    from .choices import ACTIVE_STATUSES

    rows = ServiceRequest.objects.filter(status__in=ACTIVE_STATUSES)
    scope = request_scope(viewer)
    if scope is not None:
        rows = rows.filter(scope)
    counts = rows.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(due_at__lte=timezone.now())),
        follow_ups=Count("pk", filter=Q(status=S.CONFIRMED)),
    )
    counts["improvements"] = improvements_for_user(viewer).count()
    return counts


def request_urls(viewer, ids) -> dict:
    """{request id: its page} for the deadline list, only those the viewer sees."""
    from django.urls import reverse

    from .permissions import may_read

    if not may_read(viewer):
        return {}
    rows = ServiceRequest.objects.filter(pk__in=[int(i) for i in ids])
    scope = request_scope(viewer)
    if scope is not None:
        rows = rows.filter(scope)
    return {pk: reverse("service:detail", args=[pk]) for pk in rows.values_list("pk", flat=True)}


def device_service_events(device) -> list:
    """The device timeline's service requests and parts fitted (devices.history), two
    queries."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from mdss.core.dates import local_tz
    from mdss.devices.history import DeviceEvent

    events = []
    for request in ServiceRequest.objects.filter(device=device).order_by("reported_at"):
        events.append(
            DeviceEvent(
                on=timezone.localtime(request.reported_at, local_tz()).date(),
                kind="service",
                title=_("Service request: %(symptom)s") % {"symptom": request.symptom[:80]},
                reference=request.number,
                url=reverse("service:detail", args=[request.pk]),
                detail=request.get_status_display(),
                source="service",
                permission="service.view_servicerequest",
            )
        )
    for fitted in ReplacedPart.objects.filter(visit__request__device=device).select_related(
        "part", "visit__request"
    ):
        events.append(
            DeviceEvent(
                on=timezone.localtime(fitted.visit.checked_in_at, local_tz()).date(),
                kind="part_replaced",
                title=_("Part replaced: %(part)s × %(n)s")
                % {"part": fitted.part.name, "n": fitted.quantity},
                reference=fitted.visit.request.number,
                detail=" → ".join(filter(None, [fitted.removed_lot_serial, fitted.new_lot_serial])),
                source="service",
            )
        )
    return events


def breach_rates_by_province(since, until) -> list[dict]:
    """Per province, the service requests reported in [since, until) and those with a
    missed deadline: the risk register's SLA signal. One query."""
    from mdss.calendars.hooks import has_missed

    return list(
        ServiceRequest.objects.filter(reported_at__gte=since, reported_at__lt=until)
        .annotate(late=has_missed(ServiceRequest))
        .values("customer__province_id", "customer__province__name")
        .annotate(total=Count("pk"), missed=Count("pk", filter=Q(late=True)))
        .order_by("customer__province__name")
    )
