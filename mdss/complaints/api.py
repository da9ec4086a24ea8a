"""/api/v1/complaints: the queue, one complaint, and one POST per transition. Out of
scope is 404, a role that may not act 403, a state that does not allow it 409, bad
input 422 naming the field. Creating a complaint honours ``Idempotency-Key``; the
mail gateway posts each message to ``/inbound-email`` (its Message-ID is kept and a
second delivery returns the first complaint)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied

from . import selectors, services
from .choices import (
    Acceptance,
    Category,
    Channel,
    Concerns,
    FeedbackChannel,
    MajorCriterion,
    NoticeMethod,
    Responsibility,
    Severity,
    Solution,
    TeamRole,
)
from .choices import ComplaintAction as A
from .filters import ComplaintFilterForm
from .permissions import actions_for, may_read, require_action

router = Router(tags=["complaints"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_reader(request) -> None:
    if not may_read(request.user):
        raise PermissionDenied("Complaints are for quality, service, sales and management.")


class ComplaintOut(Schema):
    id: int
    number: str
    channel: str
    status: str
    received_at: datetime
    complainant_name: str
    complainant_org: str
    customer_id: int | None
    concerns: str
    device_id: int | None
    service_request_id: int | None
    contract_id: int | None
    content: str
    category: str
    severity: str
    criteria: list[str]
    handler_id: int | None
    due_at: datetime | None
    handover_open: bool
    allowed_actions: list[str] = []


class ComplaintMemberOut(Schema):
    user_id: int
    role: str


class ComplaintNoteOut(Schema):
    id: int
    author_id: int
    text: str
    created_at: datetime


class ComplaintTaskOut(Schema):
    id: int
    title: str
    assignee_id: int
    due_on: date
    done_at: datetime | None
    result: str


class ComplaintDetailOut(ComplaintOut):
    complainant_phone: str
    complainant_email: str
    person_id: int | None
    contacted_at: datetime | None
    classified_at: datetime | None
    team_formed_at: datetime | None
    resolution_due: datetime | None
    facts: str
    root_cause: str
    responsibility: str
    solution: str
    solution_detail: str
    decision_basis: str
    resolved_at: datetime | None
    feedback_channel: str
    fed_back_at: datetime | None
    acceptance: str
    satisfaction: int | None
    possible_adverse_event: bool | None
    ae_death: bool
    ae_serious_injury: bool
    ae_malfunction: bool
    closed_at: datetime | None
    signature_id: int | None
    reopen_count: int
    team: list[ComplaintMemberOut]
    notes: list[ComplaintNoteOut]
    tasks: list[ComplaintTaskOut]

    @staticmethod
    def resolve_team(obj):
        return list(obj.team.all())

    @staticmethod
    def resolve_notes(obj):
        return list(obj.notes.all())

    @staticmethod
    def resolve_tasks(obj):
        return list(obj.tasks.all())


class ComplaintIn(Schema):
    channel: Channel = Channel.API
    received_at: datetime | None = None
    complainant_name: str = Field(max_length=100)
    complainant_org: str = Field("", max_length=200)
    complainant_phone: str = Field("", max_length=30)
    complainant_email: str = Field("", max_length=254)
    customer_id: int | None = None
    concerns: Concerns = Concerns.OTHER
    device_id: int | None = None
    service_request_id: int | None = None
    contract_id: int | None = None
    person_id: int | None = None
    content: str = Field(max_length=4000)


class ComplaintInboundEmailIn(Schema):
    sender: str = Field(max_length=320)
    subject: str = Field("", max_length=500)
    body: str = Field("", max_length=100_000)
    message_id: str = Field("", max_length=300)
    received_at: datetime | None = None


class ComplaintNoteIn(Schema):
    note: str = Field("", max_length=2000)


class ComplaintAssignIn(Schema):
    handler_id: int


class ComplaintClassifyIn(Schema):
    category: Category
    severity: Severity
    criteria: list[MajorCriterion] = []
    note: str = Field("", max_length=2000)


class ComplaintResolutionIn(Schema):
    facts: str = Field(max_length=4000)
    root_cause: str = Field("", max_length=2000)
    responsibility: Responsibility
    solution: Solution
    solution_detail: str = Field(max_length=4000)
    decision_basis: str = Field(max_length=2000)


class ComplaintMemberIn(Schema):
    user_id: int
    role: TeamRole


class ComplaintTeamIn(Schema):
    members: list[ComplaintMemberIn] = Field(max_length=20)
    resolution_due: datetime


class ComplaintFeedbackIn(Schema):
    channel: FeedbackChannel
    acceptance: Acceptance
    satisfaction: int | None = Field(None, ge=1, le=5)
    note: str = Field("", max_length=2000)


class ComplaintCloseIn(Schema):
    password: str = Field("", max_length=128)
    comment: str = Field("", max_length=2000)


class ComplaintReasonIn(Schema):
    reason: str = Field(max_length=2000)


class ComplaintAssessIn(Schema):
    possible_adverse_event: bool
    death: bool = False
    serious_injury: bool = False
    malfunction: bool = False
    note: str = Field("", max_length=2000)


class ComplaintNotifyIn(Schema):
    manufacturer_id: int
    method: NoticeMethod
    contact: str = Field(max_length=100)
    notified_at: datetime | None = None
    reference: str = Field("", max_length=60)


class ComplaintHandoverCloseIn(Schema):
    reference: str = Field(max_length=60)
    note: str = Field("", max_length=2000)


class ComplaintWorkspaceNoteIn(Schema):
    text: str = Field(max_length=4000)


class ComplaintTaskIn(Schema):
    title: str = Field(max_length=200)
    assignee_id: int
    due_on: date


class ComplaintResultIn(Schema):
    result: str = Field(max_length=2000)


@router.get("", response={200: list[ComplaintOut], 403: ErrorOut, 422: ErrorOut})
@paginate(PageNumberPagination)
def complaint_list(
    request,
    search: str = "",
    status: str = "",
    severity: str = "",
    category: str = "",
    mine: bool = False,
    sort: str = "",
):
    """The queue: open complaints by the nearest deadline, unless ``status`` says
    otherwise (``all``, ``overdue`` or one state)."""
    _require_reader(request)
    params = {
        "search": search,
        "status": status,
        "severity": severity,
        "category": category,
        "mine": mine or "",
        "sort": sort,
    }
    return selectors.complaints_for_user(request.user, **ComplaintFilterForm.from_api(params))


def _out(request, complaint_id: int):
    it = selectors.complaint_get_for_user(request.user, complaint_id)
    it.allowed_actions = actions_for(request.user, it)
    return it


@router.get("/{int:complaint_id}", response={200: ComplaintDetailOut, **ERRORS})
def complaint_detail(request, complaint_id: int):
    _require_reader(request)
    return _out(request, complaint_id)


@router.post("", response={201: ComplaintDetailOut, **ERRORS}, summary="Record a complaint")
def complaint_create(request, payload: ComplaintIn):
    from mdss.accounts.models import User
    from mdss.contracts.models import Contract
    from mdss.customers.models import Customer
    from mdss.devices.models import InstalledDevice
    from mdss.service.models import ServiceRequest

    require_action(request.user, A.CREATE)  # before the ids are looked up
    data = payload.dict()
    linked = {}
    for name, model in (
        ("customer", Customer),
        ("device", InstalledDevice),
        ("service_request", ServiceRequest),
        ("contract", Contract),
        ("person", User),
    ):
        pk = data.pop(f"{name}_id")
        linked[name] = referenced(model, pk, f"{name}_id") if pk else None
    it = services.complaint_create(actor=request.user, **data, **linked)
    return Status(201, _out(request, it.pk))


@router.post(
    "/inbound-email",
    response={201: ComplaintDetailOut, **ERRORS},
    summary="A complaint from an e-mail to the complaint address (the mail gateway)",
)
def inbound_email(request, payload: ComplaintInboundEmailIn):
    it = services.complaint_from_email(actor=request.user, **payload.dict())
    return Status(201, _out(request, it.pk))


def _get(request, complaint_id: int, action: str):
    """The complaint in scope (404), then the role and the person (403)."""
    _require_reader(request)
    it = selectors.complaint_get_for_user(request.user, complaint_id)
    require_action(request.user, action, it)
    return it


def _user(pk: int, field: str):
    from mdss.accounts.models import User

    return referenced(User, pk, field)


@router.post("/{int:complaint_id}/assign", response={200: ComplaintDetailOut, **ERRORS})
def complaint_assign(request, complaint_id: int, payload: ComplaintAssignIn):
    it = _get(request, complaint_id, A.ASSIGN)
    services.complaint_assign(
        actor=request.user, complaint=it, handler=_user(payload.handler_id, "handler_id")
    )
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/contact", response={200: ComplaintDetailOut, **ERRORS})
def complaint_contact(request, complaint_id: int, payload: ComplaintNoteIn):
    it = _get(request, complaint_id, A.CONTACT)
    services.complaint_contact(actor=request.user, complaint=it, note=payload.note)
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/classify", response={200: ComplaintDetailOut, **ERRORS})
def complaint_classify(request, complaint_id: int, payload: ComplaintClassifyIn):
    it = _get(request, complaint_id, A.CLASSIFY)
    services.complaint_classify(
        actor=request.user,
        complaint=it,
        category=payload.category,
        severity=payload.severity,
        criteria=[str(c) for c in payload.criteria],
        note=payload.note,
    )
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/answer", response={200: ComplaintDetailOut, **ERRORS})
def complaint_answer(request, complaint_id: int, payload: ComplaintResolutionIn):
    it = _get(request, complaint_id, A.ANSWER)
    services.complaint_answer(actor=request.user, complaint=it, **payload.dict())
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/form-team", response={200: ComplaintDetailOut, **ERRORS})
def complaint_form_team(request, complaint_id: int, payload: ComplaintTeamIn):
    it = _get(request, complaint_id, A.FORM_TEAM)
    members = [
        (_user(m.user_id, f"members.{n}.user_id"), str(m.role))
        for n, m in enumerate(payload.members)
    ]
    services.complaint_form_team(
        actor=request.user,
        complaint=it,
        members=members,
        resolution_due=payload.resolution_due,
    )
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/resolve", response={200: ComplaintDetailOut, **ERRORS})
def complaint_resolve(request, complaint_id: int, payload: ComplaintResolutionIn):
    it = _get(request, complaint_id, A.RESOLVE)
    services.complaint_resolve(actor=request.user, complaint=it, **payload.dict())
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/feedback", response={200: ComplaintDetailOut, **ERRORS})
def complaint_feedback(request, complaint_id: int, payload: ComplaintFeedbackIn):
    it = _get(request, complaint_id, A.FEEDBACK)
    services.complaint_feedback(actor=request.user, complaint=it, **payload.dict())
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/close", response={200: ComplaintDetailOut, **ERRORS})
def complaint_close(request, complaint_id: int, payload: ComplaintCloseIn):
    it = _get(request, complaint_id, A.CLOSE)
    services.complaint_close(actor=request.user, complaint=it, **payload.dict())
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/reopen", response={200: ComplaintDetailOut, **ERRORS})
def complaint_reopen(request, complaint_id: int, payload: ComplaintReasonIn):
    it = _get(request, complaint_id, A.REOPEN)
    services.complaint_reopen(actor=request.user, complaint=it, reason=payload.reason)
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/assess", response={200: ComplaintDetailOut, **ERRORS})
def complaint_assess(request, complaint_id: int, payload: ComplaintAssessIn):
    it = _get(request, complaint_id, A.ASSESS)
    services.complaint_assess(actor=request.user, complaint=it, **payload.dict())
    return _out(request, complaint_id)


@router.post(
    "/{int:complaint_id}/notify-manufacturer",
    response={200: ComplaintDetailOut, **ERRORS},
)
def complaint_notify_manufacturer(request, complaint_id: int, payload: ComplaintNotifyIn):
    from mdss.catalog.models import Manufacturer

    it = _get(request, complaint_id, A.NOTIFY_MANUFACTURER)
    data = payload.dict()
    manufacturer = referenced(Manufacturer, data.pop("manufacturer_id"), "manufacturer_id")
    services.complaint_notify_manufacturer(
        actor=request.user, complaint=it, manufacturer=manufacturer, **data
    )
    return _out(request, complaint_id)


@router.post(
    "/{int:complaint_id}/handover/close",
    response={200: ComplaintDetailOut, **ERRORS},
)
def complaint_handover_close(request, complaint_id: int, payload: ComplaintHandoverCloseIn):
    it = _get(request, complaint_id, A.HANDOVER_CLOSE)
    services.handover_close(actor=request.user, complaint=it, **payload.dict())
    return _out(request, complaint_id)


@router.post("/{int:complaint_id}/notes", response={201: ComplaintNoteOut, **ERRORS})
def complaint_note(request, complaint_id: int, payload: ComplaintWorkspaceNoteIn):
    it = _get(request, complaint_id, A.NOTE)
    return Status(201, services.note_add(actor=request.user, complaint=it, text=payload.text))


@router.post("/{int:complaint_id}/tasks", response={201: ComplaintTaskOut, **ERRORS})
def complaint_task(request, complaint_id: int, payload: ComplaintTaskIn):
    it = _get(request, complaint_id, A.TASK)
    task = services.task_add(
        actor=request.user,
        complaint=it,
        title=payload.title,
        assignee=_user(payload.assignee_id, "assignee_id"),
        due_on=payload.due_on,
        today=local_today(),
    )
    return Status(201, task)


@router.post(
    "/{int:complaint_id}/tasks/{int:task_id}/done", response={200: ComplaintTaskOut, **ERRORS}
)
def complaint_task_done(request, complaint_id: int, task_id: int, payload: ComplaintResultIn):
    _require_reader(request)
    task = selectors.task_get_for_user(request.user, complaint_id, task_id)
    return services.task_done(actor=request.user, task=task, result=payload.result)
