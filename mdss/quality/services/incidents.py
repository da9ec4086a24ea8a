"""Quality incidents and CAPA (Q6): open, contain (within the policy's hours), find
the root cause (five whys, fishbone categories), act (corrective and preventive
actions, each with an owner and a clock), wait the policy's period, verify that the
actions worked, and close with quality's e-signature. An action found not effective
sends the incident back to analysis for a new round."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.dates import local_today
from mdss.core.errors import Conflict, FieldError, PermissionDenied
from mdss.core.numbers import next_number

from ..choices import (
    CAPA_CLOCK,
    CONTAINMENT_CLOCK,
    INCIDENT_TRANSITIONS,
    CapaKind,
    Fishbone,
    IncidentSource,
)
from ..choices import IncidentStatus as S
from ..choices import QualityAction as A
from ..models import CapaAction, Incident
from ..permissions import INCIDENT_STATE_ACTIONS, QUALITY, has, require_role
from .common import bounded, locked, move, notify, now_or, raise_if, require_text, save

CLOCKS = (CONTAINMENT_CLOCK, CAPA_CLOCK)
MAX_WHYS = 5


def _locked(incident, actor, action, to=None):
    return locked(incident, actor, action, INCIDENT_STATE_ACTIONS, INCIDENT_TRANSITIONS, to)


def _link(incident: Incident) -> str:
    return f"/quality/incidents/{incident.pk}/"


def _track(incident: Incident) -> None:
    """The incident's deadline: containment, else its earliest open action's."""
    from mdss.calendars.selectors import clocks_for

    due = (
        clocks_for(incident)
        .filter(code=CONTAINMENT_CLOCK, status="running")
        .values_list("due_at", flat=True)
        .first()
    )
    if due is None:
        due = (
            incident.actions.filter(done_at__isnull=True)
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
    if due != incident.due_at:
        incident.due_at = due
        incident.save(update_fields=["due_at"])


def incident_create(
    *,
    actor,
    source: str,
    title: str,
    description: str,
    occurred_on: date,
    impact: str = "",
    model=None,
    lot: str = "",
    feedback=None,
    complaint=None,
    service_request=None,
    owner=None,
    today: date | None = None,
    at: datetime | None = None,
) -> Incident:
    from mdss.calendars.services import clock_start

    require_role(actor, A.INCIDENT_CREATE)
    today = today or local_today()
    errors: list[FieldError] = []
    if source not in IncidentSource.values:
        errors.append(FieldError("source", "invalid_choice", _("Choose where it came from.")))
    title = require_text(errors, "title", title, max_length=200)
    description = require_text(errors, "description", description, _("What happened?"))
    impact = bounded(errors, "impact", impact, 2000)
    lot = bounded(errors, "lot", lot, 100)
    if occurred_on is None:
        errors.append(FieldError("occurred_on", "required", _("When did it happen?")))
    elif occurred_on > today:
        errors.append(FieldError("occurred_on", "future", _("This day has not come yet.")))
    if owner is not None and not (owner.is_active and has(owner, *QUALITY, "management")):
        errors.append(
            FieldError(
                "owner", "not_quality", _("The owner is someone from quality or management.")
            )
        )
    raise_if(errors)
    owner = owner or actor
    with transaction.atomic():
        incident = Incident.objects.create(
            number=next_number("ZS", on=today),
            source=source,
            title=title,
            description=description,
            impact=impact,
            occurred_on=occurred_on,
            model=model,
            lot=lot,
            feedback=feedback,
            complaint=complaint,
            service_request=service_request,
            owner=owner,
            opened_by=actor,
        )
        audit.record(
            actor=actor,
            action="quality.incident_opened",
            obj=incident,
            changes={"title": title, "source": source, "owner": owner.pk},
        )
        clock_start(subject=incident, code=CONTAINMENT_CLOCK, responsible=owner, actor=actor, at=at)
        _track(incident)
        if owner.pk != actor.pk:
            notify(
                owner,
                _("Incident %(no)s is yours: contain it") % {"no": incident.number},
                description,
                _link(incident),
                kind="quality.incident",
            )
    return incident


def incident_contain(
    *, actor, incident: Incident, containment: str, at: datetime | None = None
) -> Incident:
    """The immediate containment (stop the use, quarantine, inform)."""
    from mdss.calendars.services import clock_stop_for

    require_role(actor, A.CONTAIN)
    at = now_or(at)
    errors: list[FieldError] = []
    containment = require_text(
        errors, "containment", containment, _("What was done at once?"), 2000
    )
    raise_if(errors)
    with transaction.atomic():
        incident = _locked(incident, actor, A.CONTAIN, S.CONTAINED)
        move(incident, S.CONTAINED, containment=containment, contained_at=at)
        clock_stop_for(subject=incident, code=CONTAINMENT_CLOCK, actor=actor, at=at)
        _track(incident)
        audit.record(
            actor=actor,
            action="quality.incident_contained",
            obj=incident,
            changes={"containment": containment},
        )
    return incident


def _analysis_errors(whys, fishbone, root_cause) -> tuple[list, dict, str, list]:
    errors: list[FieldError] = []
    whys = [str(w).strip() for w in (whys or []) if str(w or "").strip()]
    if not whys:
        errors.append(FieldError("whys", "required", _("Ask “why?” at least once.")))
    elif len(whys) > MAX_WHYS:
        errors.append(FieldError("whys", "max_items", _("At most five whys.")))
    for n, why in enumerate(whys, start=1):
        if len(why) > 500:
            errors.append(FieldError(f"whys.{n}", "max_length", _("At most 500 characters.")))
    fishbone = {str(k): str(v or "").strip() for k, v in (fishbone or {}).items()}
    fishbone = {k: v for k, v in fishbone.items() if v}
    for key, value in fishbone.items():
        if key not in Fishbone.values:
            errors.append(
                FieldError(f"fishbone.{key}", "invalid_choice", _("Not a cause category."))
            )
        elif len(value) > 500:
            errors.append(FieldError(f"fishbone.{key}", "max_length", _("At most 500 characters.")))
    root_cause = require_text(errors, "root_cause", root_cause, _("State the root cause."), 2000)
    return whys, fishbone, root_cause, errors


def incident_analyse(
    *,
    actor,
    incident: Incident,
    whys: list[str],
    root_cause: str,
    fishbone: dict | None = None,
    at: datetime | None = None,
) -> Incident:
    """Record the root-cause analysis; recorded again it replaces the last one (the
    audit trail keeps both)."""
    require_role(actor, A.ANALYSE)
    whys, fishbone, root_cause, errors = _analysis_errors(whys, fishbone, root_cause)
    raise_if(errors)
    with transaction.atomic():
        incident = _locked(incident, actor, A.ANALYSE)
        fields = {"whys": whys, "fishbone": fishbone, "root_cause": root_cause}
        if incident.status == S.CONTAINED:
            move(incident, S.ANALYSED, analysed_at=now_or(at), **fields)
        else:
            save(incident, **fields)
        audit.record(actor=actor, action="quality.incident_analysed", obj=incident, changes=fields)
    return incident


def capa_add(
    *, actor, incident: Incident, kind: str, description: str, owner, at: datetime | None = None
) -> CapaAction:
    """A corrective or preventive action with its owner; its clock is the policy's."""
    from mdss.calendars.services import clock_start

    require_role(actor, A.CAPA_ADD)
    errors: list[FieldError] = []
    if kind not in CapaKind.values:
        errors.append(FieldError("kind", "invalid_choice", _("Corrective or preventive?")))
    description = require_text(errors, "description", description, _("What is to be done?"), 2000)
    if owner is None or not owner.is_active or owner.has_role(roles.CUSTOMER):
        errors.append(FieldError("owner", "invalid", _("Choose an active member of staff.")))
    raise_if(errors)
    with transaction.atomic():
        incident = _locked(incident, actor, A.CAPA_ADD)
        action = CapaAction.objects.create(
            incident=incident,
            kind=kind,
            description=description,
            owner=owner,
            round=incident.verification_round,
            created_by=actor,
        )
        clock = clock_start(subject=action, code=CAPA_CLOCK, responsible=owner, actor=actor, at=at)
        action.due_at = clock.due_at
        action.save(update_fields=["due_at"])
        _track(incident)
        audit.record(
            actor=actor,
            action="quality.capa_added",
            obj=incident,
            changes={"action": action.pk, "kind": kind, "owner": owner.pk, "text": description},
        )
        notify(
            owner,
            _("Action for incident %(no)s, due %(due)s")
            % {"no": incident.number, "due": f"{clock.due_at:%Y-%m-%d}"},
            description,
            _link(incident),
            kind="quality.capa",
        )
    return action


def capa_done(
    *, actor, action: CapaAction, result: str, today: date | None = None, at=None
) -> CapaAction:
    """The owner (or quality) reports the action done. When the round's last action
    is done and it holds a preventive action (Q6: so that it does not recur), the
    incident waits the policy's period for its effectiveness check."""
    from mdss.calendars.services import clock_stop_for

    require_role(actor, A.CAPA_DONE)
    if action.owner_id != actor.pk and not has(actor, *QUALITY):
        raise PermissionDenied(_("Only the action's owner or quality reports it done."))
    today = today or local_today()
    errors: list[FieldError] = []
    result = require_text(errors, "result", result, _("What was done, and the evidence."), 2000)
    raise_if(errors)
    with transaction.atomic():
        incident = _locked(action.incident, actor, A.CAPA_DONE)
        action = CapaAction.objects.select_for_update().get(pk=action.pk)
        if action.done_at is not None:
            raise Conflict(_("This action is already done."))
        action.done_at, action.result = now_or(at), result
        action.save(update_fields=["done_at", "result", "updated_at"])
        clock_stop_for(subject=action, code=CAPA_CLOCK, actor=actor, at=action.done_at)
        audit.record(
            actor=actor,
            action="quality.capa_done",
            obj=incident,
            changes={"action": action.pk, "result": result},
        )
        round_ = incident.actions.filter(round=incident.verification_round)
        if (
            not round_.filter(done_at__isnull=True).exists()
            and round_.filter(kind=CapaKind.PREVENTIVE).exists()
        ):
            wait = settings.QUALITY_POLICY["effectiveness_days"]
            move(incident, S.VERIFYING, verify_after=today + timedelta(days=wait))
            audit.record(
                actor=actor,
                action="quality.incident_verifying",
                obj=incident,
                changes={"verify_after": incident.verify_after},
            )
            notify(
                incident.owner,
                _("Incident %(no)s: every action is done; check effectiveness from %(d)s")
                % {"no": incident.number, "d": incident.verify_after},
                incident.title,
                _link(incident),
                kind="quality.incident",
            )
        _track(incident)
    return action


def incident_verify(
    *,
    actor,
    incident: Incident,
    effective: bool,
    evidence: str,
    today: date | None = None,
    at: datetime | None = None,
) -> Incident:
    """After the waiting period: did the actions work? Not effective sends the
    incident back to analysis for a new round of actions."""
    require_role(actor, A.VERIFY)
    today = today or local_today()
    errors: list[FieldError] = []
    evidence = require_text(
        errors, "evidence", evidence, _("What shows that it worked, or did not?"), 2000
    )
    raise_if(errors)
    with transaction.atomic():
        incident = _locked(incident, actor, A.VERIFY)
        if incident.verified_at is not None:
            raise Conflict(_("Effectiveness is verified: close the incident."))
        if today < incident.verify_after:
            raise Conflict(
                _("Effectiveness is checked from %(d)s, after the policy's period.")
                % {"d": incident.verify_after}
            )
        if effective:
            save(incident, verification=evidence, verified_at=now_or(at), verified_by=actor)
        else:
            move(
                incident,
                S.ANALYSED,
                verification=evidence,
                verify_after=None,
                verification_round=incident.verification_round + 1,
            )
        audit.record(
            actor=actor,
            action="quality.incident_verified",
            obj=incident,
            changes={"effective": effective, "evidence": evidence},
        )
    return incident


def closing_content(incident: Incident) -> dict:
    """What quality's closing signature covers."""
    return {
        "number": incident.number,
        "title": incident.title,
        "root_cause": incident.root_cause,
        "actions": [
            [a.pk, a.kind, a.description, a.result] for a in incident.actions.order_by("pk")
        ],
        "verification": incident.verification,
        "lessons": incident.lessons,
    }


def incident_close(
    *, actor, incident: Incident, password: str, lessons: str, at: datetime | None = None
) -> Incident:
    """Quality closes a verified incident with an e-signature and the lessons learnt."""
    from mdss.audit import esign

    require_role(actor, A.INCIDENT_CLOSE)
    errors: list[FieldError] = []
    lessons = require_text(errors, "lessons", lessons, _("What should others learn from it?"))
    raise_if(errors)
    esign.authenticate(actor, password)  # before the transaction: a failure counts
    with transaction.atomic():
        incident = _locked(incident, actor, A.INCIDENT_CLOSE, S.CLOSED)
        if incident.verified_at is None:
            raise Conflict(_("Verify that the actions were effective before closing."))
        incident.lessons = lessons
        signature = esign.sign(
            signer=actor,
            password=password,
            meaning=_("Closure of quality incident %(no)s") % {"no": incident.number},
            obj=incident,
            content=closing_content(incident),
        )
        move(
            incident,
            S.CLOSED,
            lessons=lessons,
            closed_at=now_or(at),
            closed_by=actor,
            signature=signature,
        )
        _track(incident)
        audit.record(
            actor=actor,
            action="quality.incident_closed",
            obj=incident,
            changes={"signature": signature.pk, "lessons": lessons},
        )
    return incident
