"""The world the permission matrix runs in: the demo data (every role, every kind of
record), the callers, and each route's arguments filled with a record of the rep
孙丽 (sun.li), so "another rep" (吴芳, wu.fang, another team) is the caller outside
its scope."""

from __future__ import annotations

import re
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

# Each caller and the demo user who plays it (None: not logged in).
USERNAMES = {
    "anonymous": None,
    "admin": "admin",
    "management": "zhao.min",
    "sales_manager": "qian.wei",  # 孙丽's manager
    "rep": "sun.li",  # the owner of every record used
    "other_rep": "wu.fang",  # another team: the records are outside her scope
    "legal": "zheng.hao",
    "service_manager": "wang.lei",
    "engineer": "feng.tao",
    "warehouse": "chu.yan",
    "quality": "wei.na",
    "trainer": "jiang.hua",
    "customer": "han.xue",
}
CALLERS = list(USERNAMES)


@cache
def _users() -> dict:
    from mdss.accounts.models import User

    return {u.username: u for u in User.objects.all()}


def caller_user(caller: str):
    name = USERNAMES[caller]
    return _users()[name] if name else None


def _first(model, **filters):
    row = model.objects.filter(**filters).order_by("pk").first()
    assert row is not None, f"the demo has no {model.__name__} with {filters}"
    return row.pk


def world() -> dict:
    """Seed the demo and pick one record of the rep for each route argument."""
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from mdss.accounts.models import ApiToken
    from mdss.accounts.services import api_token_create
    from mdss.catalog import models as catalog
    from mdss.contracts import models as contracts
    from mdss.contracts import services as contract_services
    from mdss.core.dates import local_today
    from mdss.customers import models as customers
    from mdss.pricing import models as pricing
    from mdss.pricing.services import adjustments
    from mdss.pricing.services import changes as price_changes
    from mdss.training import models as training
    from tests.demo_copy import seed_demo

    seed_demo()
    _users.cache_clear()
    rep = caller_user("rep")
    api_token_create(user=rep, name="matrix", actor=rep)
    performing = contracts.Contract.objects.filter(rep=rep, status="in_performance")
    performing = performing.filter(amendments__isnull=False, problems__isnull=False)
    contract = performing.order_by("pk").first()
    draft = contracts.Contract.objects.filter(rep=rep, status="draft").order_by("pk").first()
    attachment = contract_services.attachment_add(
        actor=rep,
        contract=draft,
        title="技术协议",
        file=ContentFile(b"%PDF-1.4 matrix", name="annex.pdf"),
    )
    customer = customers.Customer.objects.filter(owner=rep, contacts__isnull=False)
    customer = customer.filter(qualifications__isnull=False).order_by("pk").first()
    entry = pricing.PriceEntry.objects.filter(version__is_active=True).order_by("pk").first()
    today = local_today()
    change = price_changes.price_change_create(
        actor=caller_user("sales_manager"),
        effective_from=today + timedelta(days=30),
        reason="年度调价",
        lines=[
            price_changes.LineInput(
                model_id=entry.model_id, list_price="100.00", floor_price="90.00"
            )
        ],
    )
    adjustment = adjustments.adjustment_create(
        actor=rep,
        customer_id=customer.pk,
        model=entry.model,
        quantity=1,
        requested_price=entry.floor_price - 1,
        reason="招标限价",
        today=today,
    )
    certificate = training.Certificate.objects.order_by("pk").first()
    # Submitted, so a decision reaches the decider check (not only the state's).
    change = price_changes.price_change_submit(change=change, actor=caller_user("sales_manager"))
    adjustment = adjustments.adjustment_submit(adjustment=adjustment, actor=rep)
    w = {
        "user_id": rep.pk,
        "person_id": rep.pk,
        "token_id": _first(ApiToken, user=rep),
        "model_id": _first(catalog.ProductModel),
        "product_id": _first(catalog.Product),
        "document_id": _first(catalog.ProductDocument),
        "catalog_certificate_id": _first(catalog.RegistrationCertificate),
        "customer_id": customer.pk,
        "contact_id": _first(customers.Contact, customer=customer),
        "qualification_id": _first(customers.Qualification, customer=customer),
        "feedback_id": _first(customers.Feedback, customer__owner=rep),
        "plan_id": _first(customers.DevelopmentPlan, owner=caller_user("sales_manager")),
        "campaign_id": _first(customers.Campaign, plan__owner=caller_user("sales_manager")),
        "training_certificate_id": certificate.pk,
        "certificate_holder_id": certificate.user_id,
        "authorisation_id": _first(training.Authorisation, rep=rep),
        "session_id": _first(training.TrainingSession),
        "assessment_id": _first(training.Assessment),
        "retraining_id": _first(training.Retraining),
        "external_id": _first(training.ExternalTraining),
        "contract_id": contract.pk,
        "line_id": _first(contracts.ContractLine, contract=contract),
        "delivery_id": _first(contracts.Delivery, contract=contract),
        "problem_id": _first(contracts.Problem, contract=contract),
        "amendment_id": _first(contracts.Amendment, contract=contract),
        "draft_id": draft.pk,
        "attachment_id": attachment.pk,
        "pk": attachment.pk,
        "change_id": change.pk,
        "adjustment_id": adjustment.pk,
    }
    from mdss.devices.models import InstalledDevice
    from mdss.notifications.choices import Channel
    from mdss.notifications.services import notify

    w["device_id"] = _first(InstalledDevice, customer__owner=rep)
    from mdss.inventory.models import Part, PurchaseOrder, Requisition, StockCount, Supplier

    w["part_id"] = _first(Part)
    w["supplier_id"] = _first(Supplier)
    # A draft order (so approval reaches its checks) and the approved count.
    w["order_id"] = _first(PurchaseOrder, status="draft")
    w["count_id"] = _first(StockCount)
    # An open requisition of the engineer 冯涛 (so issue and cancel reach their checks).
    w["requisition_id"] = _first(Requisition, requested_by__username="feng.tao", status="submitted")
    from mdss.service.models import ImprovementAction, ServiceRequest

    # 冯涛's new job at a customer of 孙丽, and an open improvement action on his work.
    w["request_id"] = _first(
        ServiceRequest, status="new", engineer__username="feng.tao", customer__owner=rep
    )
    w["service_action"] = "contact"
    # The customer 韩雪's hospital (portal demo): its unit and the result to confirm.
    from mdss.customers.models import PortalAccount
    from mdss.devices.models import InstalledDevice as Unit

    hospital = PortalAccount.objects.get(user__username="han.xue").customer
    w["portal_device_id"] = _first(Unit, customer=hospital)
    w["portal_request_id"] = _first(ServiceRequest, customer=hospital, status="completed")
    w["improvement_id"] = _first(
        ImprovementAction,
        status="open",
        request__engineer__username="feng.tao",
        request__customer__owner=rep,
    )
    from mdss.complaints.models import Complaint

    # The complaint just in at a customer of 孙丽 (about service), handled by 卫娜; the
    # portal customer's answered complaint.
    w["complaint_id"] = _first(Complaint, status="new", customer__owner=rep)
    w["complaint_action"] = "contact"
    from mdss.complaints.models import Task

    w["task_id"] = _first(Task, complaint_id=w["complaint_id"])
    w["complaint_document_id"] = 0  # the demo keeps no complaint documents: 404
    w["portal_complaint_id"] = _first(Complaint, customer=hospital, status="resolved")
    from mdss.quality import models as quality

    # Quality: feedback the service manager recorded; the incident in progress (冯涛
    # owns its corrective action); the adverse event being prepared; the recall in
    # progress and its notice.
    w["quality_feedback_id"] = _first(quality.ProductFeedback, recorded_by__username="wang.lei")
    w["incident_id"] = _first(quality.Incident, status="analysed")
    w["action_id"] = _first(quality.CapaAction, incident_id=w["incident_id"])
    w["event_id"] = _first(quality.AdverseEvent, status="draft", complaint__isnull=True)
    w["recall_id"] = _first(quality.Recall, status="active")
    w["notice_id"] = _first(quality.RecallNotice, recall_id=w["recall_id"])
    w["evaluation_id"] = _first(quality.Evaluation, engineer__username="feng.tao")
    w["audit_id"] = _first(quality.RecordAudit)
    w["finding_id"] = _first(quality.Finding, owner__username="feng.tao")
    w["item_id"] = quality.Finding.objects.get(pk=w["finding_id"]).item_id
    # Risks: 王磊's (the service manager) operational risk; the quality risk whose
    # measure 冯涛 owns; a proposed signal.
    from mdss.risk import models as risk

    w["risk_id"] = _first(risk.Risk, owner__username="wei.na", measures__owner__username="feng.tao")
    w["measure_id"] = _first(risk.Measure, owner__username="feng.tao")
    w["signal_id"] = _first(risk.Signal, status="proposed")
    w["risk_action"] = "assess"
    w["signal_decision"] = "accept"
    # The transition each quality record's action page is tried with.
    w["quality_feedback_action"] = "feedback_send"
    w["quality_incident_action"] = "analyse"
    w["quality_ae_action"] = "ae_submit"
    w["quality_recall_action"] = "recall_notice"
    w["quality_audit_action"] = "audit_close"
    w["quality_evaluation_action"] = "evaluation_review"
    (message,) = notify(recipient=rep, kind="matrix", subject="矩阵", channels=[Channel.IN_APP])
    w["notification_id"] = message.pk
    return w


# Arguments that differ by route from the plain name → record rule above.
ROUTE_ARGS = {
    "catalog:certificate_edit": {"certificate_id": "catalog_certificate_id"},
    "training:certificate_edit": {
        "person_id": "certificate_holder_id",
        "certificate_id": "training_certificate_id",
    },
    "contracts:attachment_remove": {"contract_id": "draft_id"},
    "contracts:attach": {"contract_id": "draft_id"},
    "contracts:line_add": {"contract_id": "draft_id"},
    "contracts:submit": {"contract_id": "draft_id"},
    "contracts:cancel": {"contract_id": "draft_id"},
    # The training transitions name their record ``pk``.
    "training:session_hold": {"pk": "session_id"},
    "training:session_cancel": {"pk": "session_id"},
    "training:assessment_record": {"pk": "assessment_id"},
    "training:external_approve": {"pk": "external_id"},
    "training:external_reject": {"pk": "external_id"},
    "training:external_attended": {"pk": "external_id"},
    "training:external_reimburse": {"pk": "external_id"},
    "service:action": {"action": "service_action"},
    "complaints:action": {"action": "complaint_action"},
    "complaints:document": {"document_id": "complaint_document_id"},
    "portal:complaint": {"complaint_id": "portal_complaint_id"},
    "portal:device": {"device_id": "portal_device_id"},
    "portal:request": {"request_id": "portal_request_id"},
    "portal:report": {"request_id": "portal_request_id"},
    "quality:feedback-detail": {"feedback_id": "quality_feedback_id"},
    "risk:action": {"action": "risk_action"},
    "risk:signal-decide": {"decision": "signal_decision"},
    "quality:feedback-action": {"pk": "quality_feedback_id", "action": "quality_feedback_action"},
    "quality:incident-action": {"pk": "incident_id", "action": "quality_incident_action"},
    "quality:capa-done": {"capa_id": "action_id"},
    "quality:ae-action": {"pk": "event_id", "action": "quality_ae_action"},
    "quality:recall-action": {"pk": "recall_id", "action": "quality_recall_action"},
    "quality:audit-action": {"pk": "audit_id", "action": "quality_audit_action"},
    "quality:evaluation-action": {"pk": "evaluation_id", "action": "quality_evaluation_action"},
}
# Literal values for the string arguments.
STRINGS = {"kind": "signed", "action": "submit"}


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            route = prefix + str(p.pattern)
            if route.startswith(("admin/", "api/")):
                continue  # the admin has its own tests; the API its own matrix
            yield from _walk(p.url_patterns, route, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield name, prefix + str(p.pattern)


def page_routes(w: dict):
    """(name, path) of every page, its arguments filled from the world."""
    seen = set()
    for name, route in _walk(get_resolver().url_patterns):
        overrides = ROUTE_ARGS.get(name, {})

        def fill(match, overrides=overrides):
            kind, arg = match.group(1), match.group(2)
            if kind == "str" and arg not in overrides:
                return STRINGS[arg]
            key = overrides.get(arg, arg)
            return str(w[key])

        path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
        key = (name, path)
        if key in seen:
            continue
        seen.add(key)
        yield name, path
