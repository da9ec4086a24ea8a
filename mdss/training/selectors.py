"""Reads of training records, and the competence checks other apps call:
``is_qualified(engineer, model, on_date)`` (service dispatch) and
``is_authorised(rep, model, region, on_date)`` (contracts)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from mdss.core.decisions import Decision

from .choices import AssessmentStatus, ExternalStatus, SessionKind, SessionStatus
from .models import (
    Assessment,
    Attendance,
    Authorisation,
    Certificate,
    CompetenceOverride,
    ExternalTraining,
    Retraining,
    StaffProfile,
    TrainingSession,
)
from .permissions import people_scope, scoped


def _covers(model, model_ids, categories) -> bool:
    code = model.product.category_code or ""
    return model.pk in model_ids or any(code.startswith(str(c)) for c in categories if c)


def is_qualified(engineer, model, on_date: date) -> Decision:
    """A valid certificate or attended manufacturer training for the model or its
    category, and no failed assessment still open; or the service manager's override
    for that day. Every reason if not."""
    decision = Decision()
    pending = (
        Assessment.objects.filter(
            user=engineer, status=AssessmentStatus.SCHEDULED, follows__isnull=False
        )
        .select_related("follows")
        .first()
    )
    # Every piece of evidence is weighed, whatever order the database returns it in:
    # any valid basis qualifies; the expired ones are only reasons when none is valid.
    bases, expired = [], []
    for c in Certificate.objects.filter(user=engineer, voided_at__isnull=True).order_by("pk"):
        if not _covers(model, {c.model_id} if c.model_id else set(), [c.category_code]):
            continue
        if c.valid_until is not None and c.valid_until < on_date:
            expired.append(
                _("Certificate %(number)s expired on %(date)s.")
                % {"number": c.number, "date": c.valid_until}
            )
        elif c.issued_on is None or c.issued_on <= on_date:
            bases.append(_("certificate %(number)s") % {"number": c.number})
    sessions = TrainingSession.objects.filter(
        kind=SessionKind.MANUFACTURER,
        status=SessionStatus.HELD,
        held_on__lte=on_date,
        pk__in=Attendance.objects.filter(user=engineer, present=True).values("session_id"),
    ).prefetch_related("models_covered")
    for s in sessions.order_by("-held_on", "pk"):
        if _covers(model, {m.pk for m in s.models_covered.all()}, s.categories_covered):
            bases.append(
                _("manufacturer training %(title)s on %(date)s")
                % {"title": s.title, "date": s.held_on}
            )
    basis = "; ".join(bases)
    if not bases:
        for message in expired:
            decision.refuse("certificate_expired", message)
        if not expired:
            decision.refuse(
                "no_competence",
                _("%(person)s has no certificate or manufacturer training for %(model)s.")
                % {"person": engineer.display_name, "model": model},
            )
    elif expired:
        basis += " (" + " ".join(expired) + ")"
    if pending is not None:
        decision.refuse(
            "assessment_failed",
            _("%(person)s failed the assessment of %(date)s; the %(next)s is still open.")
            % {
                "person": engineer.display_name,
                "date": pending.follows.held_on,
                "next": pending.get_kind_display(),
            },
        )
    elif Retraining.objects.filter(user=engineer, status="assigned").exists():
        decision.refuse(
            "assessment_failed",
            _("%(person)s failed the make-up exam; retraining is still open.")
            % {"person": engineer.display_name},
        )
    if decision.ok:
        decision.basis = basis
        return decision
    override = CompetenceOverride.objects.filter(
        engineer=engineer, model=model, valid_on=on_date
    ).first()
    if override is not None:
        decision.override(
            _("override by %(who)s: %(reason)s")
            % {"who": override.granted_by.display_name, "reason": override.reason}
        )
    return decision


def rep_authorisations(rep) -> list:
    """A rep's authorisations in force or not, loaded once for many questions."""
    return list(
        Authorisation.objects.filter(rep=rep, voided_at__isnull=True).prefetch_related(
            "models_covered", "regions"
        )
    )


def is_authorised(rep, model, region, on_date: date, authorisations=None) -> Decision:
    """A 授权书 valid on the date that names the model (or its category) and the region
    (or its province). Every reason if not. ``authorisations`` (from
    ``rep_authorisations``) spares the queries when a contract asks for many lines."""
    decision = Decision()
    rows = authorisations if authorisations is not None else rep_authorisations(rep)
    if not rows:
        decision.refuse(
            "no_authorisation",
            _("%(person)s has no written authorisation on file.") % {"person": rep.display_name},
        )
        return decision
    places = {region.pk, region.parent_id}
    for a in rows:
        covers_model = _covers(model, {m.pk for m in a.models_covered.all()}, a.categories_covered)
        covers_region = any(r.pk in places for r in a.regions.all())
        if covers_model and covers_region and a.valid_from <= on_date <= a.valid_until:
            decision.basis = str(a)
            return decision
    for a in rows:
        if not (a.valid_from <= on_date <= a.valid_until):
            decision.refuse(
                "authorisation_expired"
                if a.valid_until < on_date
                else "authorisation_not_yet_valid",
                _("%(doc)s is valid from %(from)s to %(until)s (asked for %(date)s).")
                % {"doc": a, "from": a.valid_from, "until": a.valid_until, "date": on_date},
            )
        elif not _covers(model, {m.pk for m in a.models_covered.all()}, a.categories_covered):
            decision.refuse(
                "model_not_covered",
                _("%(doc)s does not cover %(model)s.") % {"doc": a, "model": model},
            )
        else:
            decision.refuse(
                "region_not_covered",
                _("%(doc)s does not cover %(region)s.") % {"doc": a, "region": region},
            )
    return decision


# --- lists for pages and API ---------------------------------------------------------------


def people_for_user(viewer):
    from mdss.accounts.models import User

    return scoped(User.objects.filter(is_active=True), viewer, "").order_by("full_name", "username")


def person_get_for_user(viewer, pk: int):
    return get_object_or_404(people_for_user(viewer), pk=pk)


def record_of(person) -> dict:
    """Everything on a person's training record, in a fixed number of queries."""
    return {
        "profile": StaffProfile.objects.filter(user=person).first(),
        "skills": list(person.skills.select_related("model__product")),
        "certificates": list(
            Certificate.objects.filter(user=person)
            .select_related("model__product")
            .order_by("voided_at", "-valid_until")
        ),
        "attended": list(
            Attendance.objects.filter(user=person)
            .select_related("session")
            .order_by("-session__held_on")[:50]
        ),
        "assessments": list(Assessment.objects.filter(user=person).order_by("-period_start", "id")),
        "retrainings": list(Retraining.objects.filter(user=person).select_related("failed")),
        "external": list(ExternalTraining.objects.filter(requester=person)),
        "authorisations": list(
            Authorisation.objects.filter(rep=person).prefetch_related("regions", "models_covered")
        ),
    }


def sessions_for_user(
    viewer,
    *,
    q: str = "",
    team: str = "",
    kind: str = "",
    status: str = "",
    held_from: date | None = None,
    held_to: date | None = None,
    sort: str = "",
):
    """Sessions are team events: everybody on the staff sees the calendar. Filtered
    and sorted as the sessions list's form says (training/filters.py)."""
    from django.db.models import Q

    rows = TrainingSession.objects.order_by("-held_on", "-id")
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(trainer__icontains=q))
    if team:
        rows = rows.filter(team=team)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if held_from:
        rows = rows.filter(held_on__gte=held_from)
    if held_to:
        rows = rows.filter(held_on__lte=held_to)
    if sort:  # a key of SESSION_SORTS, validated by SessionFilterForm
        from mdss.core.sorting import apply_sort

        from .choices import SESSION_SORTS

        return apply_sort(rows, sort, SESSION_SORTS)
    return rows


def session_get(pk: int) -> TrainingSession:
    return get_object_or_404(TrainingSession.objects.prefetch_related("models_covered"), pk=pk)


def upcoming_sessions(today: date):
    return TrainingSession.objects.filter(
        status=SessionStatus.PLANNED, held_on__gte=today
    ).order_by("held_on")


def assessments_for_user(viewer, status: str = ""):
    rows = Assessment.objects.select_related("user", "follows")
    if status:
        rows = rows.filter(status=status)
    return scoped(rows, viewer, "user__").order_by("due_on", "id")


def assessment_get_for_user(viewer, pk: int) -> Assessment:
    return get_object_or_404(assessments_for_user(viewer), pk=pk)


def retrainings_for_user(viewer):
    return scoped(Retraining.objects.select_related("user", "failed"), viewer, "user__")


def certificates_for_user(viewer):
    return scoped(Certificate.objects.select_related("user", "model__product"), viewer, "user__")


def external_for_user(viewer):
    """Own requests, those the viewer decides (direct reports), and all for HR/management."""
    rows = ExternalTraining.objects.select_related("requester", "approver")
    scope = people_scope(viewer, "requester__")
    return rows if scope is None else rows.filter(scope | Q(requester__superior=viewer))


def external_get_for_user(viewer, pk: int) -> ExternalTraining:
    return get_object_or_404(external_for_user(viewer), pk=pk)


def external_inbox(viewer):
    return external_for_user(viewer).filter(
        status=ExternalStatus.SUBMITTED, requester__superior=viewer
    )


def authorisations_for_user(viewer):
    return scoped(
        Authorisation.objects.select_related("rep").prefetch_related("regions"), viewer, "rep__"
    )


def qualified_by_model(models, on_date: date) -> dict[int, set[int]]:
    """{model id: ids of the people with a valid certificate or attended manufacturer
    training covering it on ``on_date``}: analytics' planning figure (engineers
    qualified per model in a region), three queries whatever the number of models.
    Unlike ``is_qualified`` it does not weigh an open failed assessment or an
    override: it counts competence on paper, not the dispatch gate."""
    from django.db.models import Q

    models = list(models)
    if not models:
        return {}
    found: dict[int, set[int]] = {m.pk: set() for m in models}
    certificates = Certificate.objects.filter(voided_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on_date),
        Q(issued_on__isnull=True) | Q(issued_on__lte=on_date),
    )
    for user_id, model_id, category in certificates.values_list(
        "user_id", "model_id", "category_code"
    ):
        for m in models:
            if _covers(m, {model_id} if model_id else set(), [category]):
                found[m.pk].add(user_id)
    sessions = TrainingSession.objects.filter(
        kind=SessionKind.MANUFACTURER, status=SessionStatus.HELD, held_on__lte=on_date
    ).prefetch_related("models_covered")
    attendees: dict[int, set[int]] = {}
    for session_id, user_id in Attendance.objects.filter(
        present=True, session__in=sessions
    ).values_list("session_id", "user_id"):
        attendees.setdefault(session_id, set()).add(user_id)
    for s in sessions:
        covered = {m.pk for m in s.models_covered.all()}
        for m in models:
            if _covers(m, covered, s.categories_covered):
                found[m.pk] |= attendees.get(s.pk, set())
    return found
