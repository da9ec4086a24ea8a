"""Reads of complaints, each at a fixed number of queries, always within the viewer's
scope (permissions.complaint_scope)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_STATUSES
from .models import Complaint, Document, Note, Task, TeamMember
from .permissions import complaint_scope

EVENT_LABELS = {
    "complaint.created": _("received"),
    "complaint.assigned": _("handler changed"),
    "complaint.contacted": _("complainant contacted"),
    "complaint.classified": _("classified"),
    "complaint.reclassified": _("reclassified"),
    "complaint.team_formed": _("special team formed"),
    "complaint.answered": _("answered"),
    "complaint.resolved": _("resolved by the team"),
    "complaint.fed_back": _("result fed back, accepted"),
    "complaint.unsatisfied": _("complainant not satisfied: handled again"),
    "complaint.closed": _("closed"),
    "complaint.reopened": _("reopened"),
    "complaint.assessed": _("reportability assessed"),
    "complaint.handed_over": _("handed over to quality"),
    "complaint.handover_closed": _("quality hand-over closed"),
    "complaint.manufacturer_notified": _("manufacturer notified"),
    "complaint.note": _("note"),
    "complaint.task_added": _("task set"),
    "complaint.task_done": _("task done"),
    "complaint.document": _("document added"),
    "complaint.deadline_missed": _("deadline missed"),
    "esign": _("signed"),
}


def _scoped(viewer):
    rows = Complaint.objects.all()
    scope = complaint_scope(viewer)
    return rows if scope is None else rows.filter(scope)


def complaints_for_user(
    viewer,
    *,
    q: str = "",
    status: str = "",
    open_only: bool = False,
    overdue: bool = False,
    severity: str = "",
    category: str = "",
    mine: bool = False,
    customer: int | None = None,
    sort: str = "",
):
    """The queue: by default the open complaints, the nearest deadline first."""
    rows = _scoped(viewer).select_related("customer", "handler")
    if q:
        rows = rows.filter(
            Q(number__icontains=q)
            | Q(complainant_name__icontains=q)
            | Q(complainant_org__icontains=q)
            | Q(complainant_phone__contains=q)
            | Q(customer__name__icontains=q)
        )
    if status:
        rows = rows.filter(status=status)
    if open_only or overdue:
        rows = rows.filter(status__in=OPEN_STATUSES)
    if overdue:
        rows = rows.filter(due_at__lte=timezone.now())
    if severity == "unclassified":
        rows = rows.filter(severity="")
    elif severity:
        rows = rows.filter(severity=severity)
    if category:
        rows = rows.filter(category=category)
    if mine:
        rows = rows.filter(handler=viewer)
    if customer:
        rows = rows.filter(customer_id=customer)
    if sort:  # a key of COMPLAINT_SORTS, validated by ComplaintFilterForm
        from mdss.core.sorting import apply_sort

        from .filters import COMPLAINT_SORTS

        return apply_sort(rows, sort, COMPLAINT_SORTS)
    if open_only or overdue:
        return rows.order_by(F("due_at").asc(nulls_last=True), "id")
    return rows.order_by("-id")


def complaint_get_for_user(viewer, pk: int) -> Complaint:
    return get_object_or_404(
        _scoped(viewer).select_related(
            "customer",
            "handler",
            "device__model__product__manufacturer",
            "service_request",
            "contract",
            "person",
            "classified_by",
            "resolved_by",
            "closed_by",
            "signature",
        ),
        pk=pk,
    )


def complaint_detail(complaint: Complaint) -> dict:
    """Everything the complaint's workspace shows, at a fixed number of queries."""
    from mdss.audit.models import AuditEvent
    from mdss.calendars.selectors import clocks_for

    events = list(
        AuditEvent.objects.filter(
            content_type__app_label="complaints",
            content_type__model="complaint",
            object_id=str(complaint.pk),
        ).order_by("occurred_at", "id")
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return {
        "team": list(TeamMember.objects.filter(complaint=complaint).select_related("user")),
        "notes": list(Note.objects.filter(complaint=complaint).select_related("author")),
        "tasks": list(Task.objects.filter(complaint=complaint).select_related("assignee")),
        "documents": list(
            Document.objects.filter(complaint=complaint).select_related("uploaded_by")
        ),
        "handovers": list(complaint.handovers.select_related("opened_by", "closed_by")),
        "notices": list(complaint.notices.select_related("manufacturer", "recorded_by")),
        "original": getattr(complaint, "original", None) if complaint.channel == "email" else None,
        "clocks": list(clocks_for(complaint)),
        "events": events,
        "earlier": earlier_complaints(complaint),
    }


def earlier_complaints(complaint: Complaint) -> list[Complaint]:
    """The customer's (or the unit's) other complaints within the policy's repeat
    window: the classifier sees whether this one is repeated."""
    if complaint.customer_id is None and complaint.device_id is None:
        return []
    days = settings.COMPLAINT_POLICY["repeat_window_days"]
    same = Q(device_id=complaint.device_id) if complaint.device_id else Q()
    if complaint.customer_id:
        same |= Q(customer_id=complaint.customer_id)
    return list(
        Complaint.objects.filter(same)
        .filter(
            received_at__gte=complaint.received_at - timedelta(days=days),
            received_at__lt=complaint.received_at,
        )
        .exclude(pk=complaint.pk)
        .only("number", "received_at", "category", "status", "content")
        .order_by("-received_at")[:10]
    )


def document_get_for_user(viewer, complaint_id: int, document_id: int) -> Document:
    complaint = complaint_get_for_user(viewer, complaint_id)
    return get_object_or_404(Document, complaint=complaint, pk=document_id)


def task_get_for_user(viewer, complaint_id: int, task_id: int) -> Task:
    complaint = complaint_get_for_user(viewer, complaint_id)
    return get_object_or_404(
        Task.objects.select_related("complaint"), complaint=complaint, pk=task_id
    )


def queue_counts(viewer) -> dict:
    """The quality dashboard's figures: open, past a deadline, major open, with quality."""
    from django.db.models import Count

    rows = _scoped(viewer).filter(status__in=OPEN_STATUSES)
    now = timezone.now()
    return rows.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_at__lte=now)),
        major=Count("id", filter=Q(severity="major")),
        handover=Count("id", filter=Q(handover_open=True)),
        unclassified=Count("id", filter=Q(severity="")),
    )


def complaint_urls(viewer, ids) -> dict:
    """{complaint id: its page} for the deadline list, only those the viewer sees."""
    from django.urls import reverse

    from .permissions import may_read

    if not may_read(viewer):
        return {}
    rows = _scoped(viewer).filter(pk__in=[int(i) for i in ids])
    return {pk: reverse("complaints:detail", args=[pk]) for pk in rows.values_list("pk", flat=True)}


def device_complaint_events(device) -> list:
    """The device timeline's complaints (devices.history), one query."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from mdss.core.dates import local_tz
    from mdss.devices.history import DeviceEvent

    return [
        DeviceEvent(
            on=timezone.localtime(c.received_at, local_tz()).date(),
            kind="complaint",
            title=gettext("Complaint: %(text)s") % {"text": c.content[:80]},
            reference=c.number,
            url=reverse("complaints:detail", args=[c.pk]),
            detail=c.get_status_display(),
            source="complaints",
            permission="complaints.view_complaint",
        )
        for c in Complaint.objects.filter(device=device).order_by("received_at")
    ]


def customer_complaints(customer) -> list:
    """The customer page's complaints (customers.history), one query."""
    from django.urls import reverse

    from mdss.core.dates import local_tz
    from mdss.customers.history import CustomerRecord

    return [
        CustomerRecord(
            on=timezone.localtime(c.received_at, local_tz()).date(),
            kind="complaint",
            title=(f"[{c.get_severity_display()}] " if c.severity else "") + c.content[:120],
            reference=c.number,
            status=c.get_status_display(),
            url=reverse("complaints:detail", args=[c.pk]),
            permission="complaints.view_complaint",
            source="complaints",
        )
        for c in Complaint.objects.filter(customer=customer).order_by("-received_at")[:100]
    ]


def portal_complaints(customer):
    return Complaint.objects.filter(customer=customer).order_by("-received_at")


def counts_by_model(since, until) -> list[dict]:
    """Complaints about a unit received in [since, until), per model: the risk
    register's complaint-trend signal. One query."""
    from django.db.models import Count

    return list(
        Complaint.objects.filter(
            received_at__gte=since, received_at__lt=until, device__isnull=False
        )
        .values("device__model_id", "device__model__code", "device__model__product__name")
        .annotate(count=Count("pk"))
        .order_by("-count")
    )
