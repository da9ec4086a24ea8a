"""Competence that work depends on: reps' written authorisations (授权书), the
service manager's override for an engineer, and expiry warnings for certificates and
authorisations (to the holder and their manager)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.audit import services as audit
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed
from mdss.core.expiry import warn_once_per_threshold
from mdss.notifications.services import notify

from ..choices import EXPIRY_WARNING_DAYS
from ..models import Authorisation, Certificate, CompetenceOverride
from ._common import clean_errors, require_keeper

AUTHORISATION_FIELDS = [
    "number",
    "id_number",
    "categories_covered",
    "valid_from",
    "valid_until",
    "file",
]


def authorisation_save(
    *, actor, authorisation: Authorisation, models, regions, reason: str = ""
) -> Authorisation:
    """Record a rep's 授权书 (sales managers, management, HR); a correction needs a reason."""
    a = authorisation
    if not (
        actor.is_superuser or actor.has_role(roles.SALES_MANAGER, roles.MANAGEMENT, roles.TRAINER)
    ):
        raise PermissionDenied(_("Sales managers, management and HR record authorisations."))
    require_keeper(actor, a.rep)
    if a.pk and not (reason or "").strip():
        raise ValidationFailed.single(
            "reason", "required", _("Say why a recorded authorisation is corrected.")
        )
    correcting = a.pk is not None
    before = audit.stored_values(a, AUTHORISATION_FIELDS)
    a.id_number = (a.id_number or "").strip().upper()
    a.categories_covered = sorted(
        {str(c).strip() for c in a.categories_covered or [] if str(c).strip()}
    )
    errors = clean_errors(a)
    if a.valid_from and a.valid_until and a.valid_until < a.valid_from:
        errors.append(FieldError("valid_until", "after_start", _("It must end after it starts.")))
    if not models and not a.categories_covered:
        errors.append(
            FieldError("models_covered", "required", _("Name the products: models or categories."))
        )
    if not regions:
        errors.append(FieldError("regions", "required", _("Name the regions.")))
    if errors:
        raise ValidationFailed(errors=errors)
    if correcting:
        a.warned_days = None  # a renewed date is warned about afresh

    def covered():
        a.models_covered.set(models)
        a.regions.set(regions)

    return audit.save_with_diff(
        actor=actor,
        obj=a,
        before=before,
        action="training.authorisation_saved",
        reason=reason,
        related=covered,
    )


def authorisation_void(*, actor, authorisation: Authorisation, reason: str) -> Authorisation:
    if not (
        actor.is_superuser or actor.has_role(roles.SALES_MANAGER, roles.MANAGEMENT, roles.TRAINER)
    ):
        raise PermissionDenied(_("Sales managers, management and HR record authorisations."))
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why it is withdrawn."))
    audit.void(obj=authorisation, actor=actor, reason=reason.strip())
    return authorisation


def competence_override(
    *, actor, engineer, model, valid_on: date, reason: str
) -> CompetenceOverride:
    """Let an engineer work on a model for one day without the competence (A3 gap),
    e.g. an emergency with nobody else in reach; the service manager, with a reason."""
    if not (actor.is_superuser or actor.has_role(roles.SERVICE_MANAGER)):
        raise PermissionDenied(_("Only the service manager can override the competence check."))
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why this engineer must go."))
    with transaction.atomic():
        override = CompetenceOverride.objects.create(
            engineer=engineer,
            model=model,
            valid_on=valid_on,
            reason=reason.strip(),
            granted_by=actor,
        )
        audit.record(
            actor=actor,
            action="training.competence_overridden",
            obj=override,
            reason=reason.strip(),
            changes={"engineer": engineer.pk, "model": model.pk, "valid_on": valid_on},
        )
    return override


def expiry_warning_sweep(*, today: date) -> int:
    """Warn holders and their managers once per threshold before a certificate or an
    authorisation expires."""
    sent = 0
    for model_class, holder in ((Certificate, "user"), (Authorisation, "rep")):

        def warn(row, _level, _days_left, holder=holder):
            person = getattr(row, holder)
            subject = _("%(document)s of %(person)s expires on %(date)s") % {
                "document": row,
                "person": person.display_name,
                "date": row.valid_until,
            }
            for recipient in filter(None, (person, person.superior)):
                notify(
                    recipient=recipient,
                    kind="training.expiry",
                    subject=subject,
                    link="/training/me/"
                    if recipient == person
                    else f"/training/people/{person.pk}/",
                )

        sent += warn_once_per_threshold(
            model_class.objects.filter(voided_at__isnull=True).select_related(
                f"{holder}__superior"
            ),
            today=today,
            thresholds=EXPIRY_WARNING_DAYS,
            action="training.expiry_warned",
            warn=warn,
        )
    return sent
