"""Reads for quality's pages, API and the gates: lists and records in the viewer's
scope (out of scope is 404), the feedback trend, a recall's progress and the trace
from a UDI, DI, model, lot or serial to every unit, customer, delivery, contract and
stock location."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from mdss.core.errors import ValidationFailed

from .choices import AeStatus, FeedbackStatus, IncidentStatus, RecallStatus
from .models import AdverseEvent, CapaAction, Incident, ProductFeedback, Recall
from .permissions import feedback_scope, incident_scope, require_reader, require_sees_all

TRACE_LIMIT = 5000  # units listed by one trace (the counts are always whole)


def _scoped(rows, scope):
    return rows if scope is None else rows.filter(scope).distinct()


# Lists ---------------------------------------------------------------------------


def feedback_for_user(viewer, *, status="", q="", model=None, lot=""):
    require_reader(viewer)
    rows = _scoped(ProductFeedback.objects.all(), feedback_scope(viewer)).select_related(
        "model__product", "customer"
    )
    if status == "open":
        rows = rows.exclude(status=FeedbackStatus.CLOSED)
    elif status:
        rows = rows.filter(status=status)
    if model is not None:
        rows = rows.filter(model=model)
    if lot:
        rows = rows.filter(lot=lot)
    if q:
        rows = rows.filter(
            Q(number__icontains=q) | Q(description__icontains=q) | Q(serial=q) | Q(lot=q)
        )
    return rows.order_by("-received_on", "-pk")


def feedback_get_for_user(viewer, pk: int) -> ProductFeedback:
    require_reader(viewer)
    rows = _scoped(ProductFeedback.objects.all(), feedback_scope(viewer))
    return get_object_or_404(
        rows.select_related(
            "model__product", "customer", "device", "service_request", "complaint", "recorded_by"
        ),
        pk=pk,
    )


def incidents_for_user(viewer, *, status="", q=""):
    require_reader(viewer)
    rows = (
        _scoped(Incident.objects.all(), incident_scope(viewer))
        .select_related("owner")
        .prefetch_related("actions")
    )
    if status == "open":
        rows = rows.exclude(status=IncidentStatus.CLOSED)
    elif status:
        rows = rows.filter(status=status)
    if q:
        # Lessons learnt are searched for similar cases.
        rows = rows.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(root_cause__icontains=q)
            | Q(lessons__icontains=q)
        )
    return rows.order_by("-occurred_on", "-pk")


def incident_get_for_user(viewer, pk: int) -> Incident:
    require_reader(viewer)
    rows = _scoped(Incident.objects.all(), incident_scope(viewer))
    incident = get_object_or_404(
        rows.select_related(
            "owner",
            "model__product",
            "feedback",
            "complaint",
            "service_request",
            "signature__signer",
        ),
        pk=pk,
    )
    incident.action_rows = list(incident.actions.select_related("owner").order_by("round", "pk"))
    return incident


def similar_incidents(incident: Incident, limit: int = 5):
    """Closed incidents of the same model, or sharing a word of the title, with their
    lessons (the summary people search before acting)."""
    words = [w for w in incident.title.split() if len(w) > 1][:3]
    match = Q(model_id=incident.model_id) if incident.model_id else Q(pk__in=[])
    for word in words:
        match |= Q(title__icontains=word) | Q(lessons__icontains=word)
    return (
        Incident.objects.filter(status=IncidentStatus.CLOSED)
        .filter(match)
        .exclude(pk=incident.pk)
        .order_by("-closed_at")[:limit]
    )


def capa_for_owner(user):
    return (
        CapaAction.objects.filter(owner=user, done_at__isnull=True)
        .select_related("incident")
        .order_by("due_at")
    )


def adverse_events_for_user(viewer, *, status=""):
    require_sees_all(viewer)
    rows = AdverseEvent.objects.select_related("model__product")
    if status == "open":
        rows = rows.exclude(status=AeStatus.CLOSED)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "due_at", "-pk")


def adverse_event_get_for_user(viewer, pk: int) -> AdverseEvent:
    require_sees_all(viewer)
    return get_object_or_404(
        AdverseEvent.objects.select_related("model__product", "device", "complaint"), pk=pk
    )


def recalls_for_user(viewer, *, status=""):
    require_sees_all(viewer)
    rows = Recall.objects.select_related("model__product")
    if status:
        rows = rows.filter(status=status)
    return rows.annotate(unit_count=Count("devices")).order_by("-notice_on", "-pk")


def recall_get_for_user(viewer, pk: int) -> Recall:
    require_sees_all(viewer)
    return get_object_or_404(Recall.objects.select_related("model__product"), pk=pk)


def recall_customers(recall: Recall) -> list[dict]:
    """Each affected customer with its units, its notice and the units' actions."""
    rows = recall.devices.select_related("device__customer", "service_request").order_by(
        "device__customer__name", "device__serial"
    )
    notices = {n.customer_id: n for n in recall.notices.all()}
    customers: OrderedDict[int, dict] = OrderedDict()
    for row in rows:
        customer = row.device.customer
        entry = customers.setdefault(
            customer.pk, {"customer": customer, "units": [], "notice": notices.get(customer.pk)}
        )
        entry["units"].append(row)
    return list(customers.values())


# The feedback trend (Q3) -------------------------------------------------------


def _months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _n in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def feedback_trend(model, *, lot: str | None = None, today: date, months: int = 12) -> dict:
    """Reports per month on a model (or one of its lots) and per 100 units in the
    installed base of that model (or lot); whether the alert threshold is crossed in
    the policy's window."""
    from mdss.devices.models import InstalledDevice

    from .services.feedback import similar_count

    starts = _months(today, months)
    rows = ProductFeedback.objects.filter(model=model, received_on__gte=starts[0])
    base = InstalledDevice.objects.filter(model=model)
    if lot is not None:
        rows, base = rows.filter(lot=lot), base.filter(lot=lot)
    counts: dict[date, int] = {}
    for received in rows.values_list("received_on", flat=True):
        key = received.replace(day=1)
        counts[key] = counts.get(key, 0) + 1
    installed = base.exclude(status="decommissioned").count()
    series = [
        {
            "month": start,
            "count": counts.get(start, 0),
            "per_100": round(counts.get(start, 0) * 100 / installed, 2) if installed else None,
        }
        for start in starts
    ]
    policy = settings.QUALITY_POLICY
    window = similar_count(model.pk, lot, today) if lot is not None else None
    return {
        "series": series,
        "installed": installed,
        "window_days": policy["feedback_alert_days"],
        "threshold": policy["feedback_alert_count"],
        "window_count": window,
        "alert": window is not None and window >= policy["feedback_alert_count"],
    }


def trend_alerts(today: date):
    """Model and lot groups at or over the threshold in the window (the dashboard)."""
    policy = settings.QUALITY_POLICY
    since = today - timedelta(days=policy["feedback_alert_days"] - 1)
    return (
        ProductFeedback.objects.filter(received_on__gte=since, received_on__lte=today)
        .values("model_id", "model__code", "model__product__name", "lot")
        .annotate(count=Count("pk"))
        .filter(count__gte=policy["feedback_alert_count"])
        .order_by("-count")
    )


# Traceability (X5) ---------------------------------------------------------------


def model_dis(model_ids) -> list[str]:
    from mdss.catalog.models import UdiDeviceIdentifier

    return list(
        UdiDeviceIdentifier.objects.filter(model_id__in=list(model_ids)).values_list(
            "di", flat=True
        )
    )


def unit_filter(*, model_ids=None, lots=(), serials=(), lot="", serial="") -> Q:
    """Installed units of these models in these lots or with these serials (none
    named: every unit of the models); ``lot``/``serial`` narrow further."""
    q = Q()
    if model_ids is not None:
        q &= Q(model_id__in=list(model_ids))
    if lots or serials:
        q &= Q(lot__in=list(lots)) | Q(serial__in=list(serials))
    if lot:
        q &= Q(lot=lot)
    if serial:
        q &= Q(serial=serial)
    return q


def trace(viewer, *, udi: str = "", di: str = "", model_id=None, lot: str = "", serial: str = ""):
    """Everything a UDI, DI, model, lot or serial reaches: the installed units with
    their customer, site, delivery and contract (one query), the customers, and the
    spare-part stock that is the same device (one query)."""
    from mdss.catalog.models import UdiDeviceIdentifier
    from mdss.catalog.udi import parse_udi
    from mdss.devices.models import InstalledDevice
    from mdss.inventory.models import StockBalance

    from .permissions import A, require_role

    require_role(viewer, A.TRACE)
    udi, di, lot, serial = (udi or "").strip(), (di or "").strip(), lot.strip(), serial.strip()
    for name, value, limit in (
        ("udi", udi, 200),
        ("di", di, 50),
        ("lot", lot, 100),
        ("serial", serial, 100),
    ):
        if len(value) > limit:
            raise ValidationFailed.single(
                name, "max_length", _("At most %(n)s characters.") % {"n": limit}
            )
    if udi:
        parsed = parse_udi(udi)
        if not parsed.ok:
            raise ValidationFailed.single("udi", "udi", "; ".join(parsed.errors) or _("Not a UDI."))
        di, lot, serial = parsed.di, lot or parsed.lot, serial or parsed.serial
    if not (di or model_id or lot or serial):
        raise ValidationFailed.single(
            "udi", "required", _("Give a UDI, a UDI-DI, a model, a lot or a serial number.")
        )
    model_ids = None
    dis: list[str] = []
    if di:
        model_ids = list(
            UdiDeviceIdentifier.objects.filter(di=di).values_list("model_id", flat=True)
        )
        dis = [di]
    if model_id:
        model_ids = [model_id] if model_ids is None else [m for m in model_ids if m == model_id]
        dis = dis or model_dis([model_id])
    units = InstalledDevice.objects.filter(unit_filter(model_ids=model_ids, lot=lot, serial=serial))
    columns = (
        "pk",
        "serial",
        "lot",
        "di",
        "site",
        "status",
        "delivered_on",
        "model_id",
        "model__code",
        "customer_id",
        "customer__name",
        "delivered_unit__delivery_item__delivery_id",
        "delivered_unit__delivery_item__delivery__number",
        "delivered_unit__delivery_item__delivery__contract_id",
        "delivered_unit__delivery_item__delivery__contract__number",
    )
    rows = list(units.order_by("customer_id", "pk").values_list(*columns)[: TRACE_LIMIT + 1])
    truncated = len(rows) > TRACE_LIMIT
    rows = rows[:TRACE_LIMIT]
    devices = [
        {
            "id": r[0],
            "serial": r[1],
            "lot": r[2],
            "di": r[3],
            "site": r[4],
            "status": r[5],
            "delivered_on": r[6],
            "model_id": r[7],
            "model": r[8],
            "customer_id": r[9],
            "customer": r[10],
            "delivery_id": r[11],
            "delivery": r[12] or "",
            "contract_id": r[13],
            "contract": r[14] or "",
        }
        for r in rows
    ]
    customers: OrderedDict[int, dict] = OrderedDict()
    for d in devices:
        c = customers.setdefault(
            d["customer_id"],
            {"id": d["customer_id"], "name": d["customer"], "units": 0, "sites": []},
        )
        c["units"] += 1
        if d["site"] and d["site"] not in c["sites"]:
            c["sites"].append(d["site"])
    stock = []
    if dis or (lot or serial) and model_ids is None:
        balances = StockBalance.objects.filter(quantity__gt=0)
        if dis:
            balances = balances.filter(part__udi_di__in=dis)
        else:
            balances = balances.exclude(part__udi_di="")
        if lot or serial:
            balances = balances.filter(lot__in=[c for c in (lot, serial) if c])
        stock = [
            {
                "part_id": b[0],
                "part": b[1],
                "warehouse": b[2],
                "location": b[3],
                "quarantine": b[4],
                "lot": b[5],
                "quantity": b[6],
            }
            for b in balances.order_by("location__warehouse__code", "location__code").values_list(
                "part_id",
                "part__number",
                "location__warehouse__name",
                "location__code",
                "location__is_quarantine",
                "lot",
                "quantity",
            )
        ]
    return {
        "query": {"di": di, "model_id": model_id, "lot": lot, "serial": serial},
        "unit_count": units.count() if truncated else len(devices),
        "truncated": truncated,
        "devices": devices,
        "customers": list(customers.values()),
        "stock": stock,
    }


def device_quality_events(device) -> list:
    """The device timeline's product feedback and recalls (devices.history), two
    queries."""
    from django.urls import reverse

    from mdss.devices.history import DeviceEvent

    events = [
        DeviceEvent(
            on=f.received_on,
            kind="quality_feedback",
            title=_("Product feedback: %(text)s") % {"text": f.description[:80]},
            reference=f.number,
            url=reverse("quality:feedback-detail", args=[f.pk]),
            detail=f.get_status_display(),
            source="quality",
            permission="quality.view_recall",
        )
        for f in ProductFeedback.objects.filter(device=device).order_by("received_on")
    ]
    for row in device.recalls.select_related("recall").order_by("recall__notice_on"):
        recall = row.recall
        events.append(
            DeviceEvent(
                on=recall.notice_on,
                kind="recall",
                title=_("Recall (%(level)s): %(reason)s")
                % {"level": recall.get_level_display(), "reason": recall.reason[:80]},
                reference=recall.number,
                url=reverse("quality:recall-detail", args=[recall.pk]),
                detail=recall.get_status_display(),
                source="quality",
                permission="quality.view_recall",
            )
        )
    return events


def capa_get_for_user(viewer, pk: int) -> CapaAction:
    """An action of an incident in the viewer's scope (404 else)."""
    require_reader(viewer)
    rows = CapaAction.objects.filter(
        incident__in=_scoped(Incident.objects.all(), incident_scope(viewer))
    )
    return get_object_or_404(rows.select_related("incident"), pk=pk)


def recall_notice_get(recall: Recall, pk: int):
    return get_object_or_404(recall.notices.all(), pk=pk)


def evaluations_for_user(viewer, *, period_start=None, period_end=None):
    from .models import Evaluation
    from .permissions import evaluation_scope

    rows = _scoped(Evaluation.objects.all(), evaluation_scope(viewer)).select_related(
        "engineer", "reviewed_by"
    )
    if period_start:
        rows = rows.filter(period_start=period_start)
    if period_end:
        rows = rows.filter(period_end=period_end)
    return rows.order_by("-period_start", "-overall", "engineer_id")


def evaluation_get_for_user(viewer, pk: int):
    from .models import Evaluation
    from .permissions import evaluation_scope

    rows = _scoped(Evaluation.objects.all(), evaluation_scope(viewer))
    return get_object_or_404(rows.select_related("engineer", "reviewed_by"), pk=pk)


def _require_audit_reader(viewer) -> None:
    from mdss.core.errors import PermissionDenied

    from .permissions import AUDIT_READERS, has

    if not has(viewer, *AUDIT_READERS):
        raise PermissionDenied(
            _("Record audits are for quality, the service manager and management.")
        )


def audits_for_user(viewer, *, status=""):
    from .models import RecordAudit

    _require_audit_reader(viewer)
    rows = RecordAudit.objects.select_related("auditor").annotate(item_count=Count("items"))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-period_start", "-pk")


def audit_get_for_user(viewer, pk: int):
    from django.db.models import Prefetch

    from .models import Finding, RecordAudit

    _require_audit_reader(viewer)
    it = get_object_or_404(RecordAudit.objects.select_related("auditor"), pk=pk)
    it.item_rows = list(
        it.items.select_related("service_request__customer", "service_request__engineer")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("owner").order_by("pk"))
        )
        .order_by("stratum", "service_request_id")
    )
    return it


def audit_item_get(record_audit, pk: int):
    return get_object_or_404(record_audit.items.select_related("audit"), pk=pk)


def findings_for_owner(user):
    from .models import Finding

    return (
        Finding.objects.filter(owner=user, done_at__isnull=True)
        .select_related("item__audit", "item__service_request")
        .order_by("due_on", "pk")
    )


def finding_get_for_user(viewer, pk: int):
    """A finding the viewer owns, or any for the audit's readers (404 else)."""
    from .models import Finding
    from .permissions import AUDIT_READERS, has

    rows = Finding.objects.select_related("item__audit")
    if not has(viewer, *AUDIT_READERS):
        rows = rows.filter(owner=viewer)
    return get_object_or_404(rows, pk=pk)


def card_counts() -> dict:
    """The home card's figures in one query (a union of three counts; the lists they
    link to count the same rows)."""
    from django.db.models import CharField, Value

    def count(rows, key):
        return (
            rows.order_by()
            .annotate(k=Value(key, output_field=CharField()))
            .values("k")
            .annotate(n=Count("pk"))
            .values_list("k", "n")
        )

    counts = dict(
        count(AdverseEvent.objects.filter(status=AeStatus.DRAFT), "ae_due").union(
            count(Incident.objects.exclude(status=IncidentStatus.CLOSED), "incidents_open"),
            count(ProductFeedback.objects.exclude(status=FeedbackStatus.CLOSED), "feedback_open"),
            all=True,
        )
    )
    return {k: counts.get(k, 0) for k in ("ae_due", "incidents_open", "feedback_open")}


def dashboard(viewer, *, today: date, now) -> dict:
    """The quality dashboard (a fixed number of queries): open feedback and the trend
    alerts, open incidents by deadline, the adverse-event clocks, recalls in progress
    with their progress, papers expiring in the catalog, and the viewer's own open
    actions and findings."""
    from django.db.models import Count, Q

    from mdss.catalog.selectors import expiring_documents

    from .services.recalls import DONE_REQUEST_STATUSES

    require_sees_all(viewer)
    feedback = ProductFeedback.objects.exclude(status=FeedbackStatus.CLOSED).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now))
    )
    recalls = list(
        Recall.objects.filter(status=RecallStatus.ACTIVE)
        .select_related("model__product")
        .annotate(
            total=Count("devices", distinct=True),
            done=Count(
                "devices",
                filter=Q(devices__service_request__status__in=DONE_REQUEST_STATUSES),
                distinct=True,
            ),
            told=Count("notices", distinct=True),
            acknowledged=Count(
                "notices", filter=Q(notices__acknowledged_at__isnull=False), distinct=True
            ),
        )
        .order_by("level", "activated_at")
    )
    return {
        "feedback": feedback,
        "alerts": list(trend_alerts(today)[:10]),
        "incidents": list(
            Incident.objects.exclude(status=IncidentStatus.CLOSED)
            .select_related("owner")
            .order_by("due_at", "pk")[:10]
        ),
        "events": list(
            AdverseEvent.objects.filter(status=AeStatus.DRAFT)
            .select_related("model")
            .order_by("due_at", "pk")[:10]
        ),
        "recalls": recalls,
        "documents": expiring_documents(today=today)[:10],
        "my_actions": list(capa_for_owner(viewer)[:10]),
        "my_findings": list(findings_for_owner(viewer)[:10]),
    }
