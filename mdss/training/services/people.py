"""Profiles, skills and certificates of the sales and service staff (S1, A1, A3)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.errors import FieldError, PermissionDenied, ValidationFailed

from ..models import Certificate, Skill, StaffProfile
from ._common import clean_errors, require_keeper, require_visible

PROFILE_FIELDS = ["team", "background", "education", "hire_date", "product_areas", "notes"]
CERTIFICATE_FIELDS = [
    "kind",
    "name",
    "number",
    "issuer",
    "model_id",
    "category_code",
    "issued_on",
    "valid_until",
    "file",
]


def profile_save(*, actor, profile: StaffProfile) -> StaffProfile:
    """Staff keep their own background; trainers, HR and managers anyone's in scope."""
    if profile.user_id != actor.pk:
        require_keeper(actor, profile.user)
    before = audit.stored_values(profile, PROFILE_FIELDS)
    errors = clean_errors(profile)
    if errors:
        raise ValidationFailed(errors=errors)
    return audit.save_with_diff(
        actor=actor, obj=profile, before=before, action="training.profile_saved"
    )


def skill_save(*, actor, skill: Skill) -> Skill:
    require_keeper(actor, skill.user)
    errors = clean_errors(skill)
    if not skill.model_id and not skill.category_code.strip():
        errors.append(FieldError("model", "required", _("Name a model or a category.")))
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        skill.save()
        audit.record(
            actor=actor,
            action="training.skill_added",
            obj=skill,
            changes={"user": skill.user_id, "kind": skill.kind, "model": skill.model_id},
        )
    return skill


def certificate_save(*, actor, certificate: Certificate, reason: str = "") -> Certificate:
    """Record a certificate (the holder may add their own; a keeper anyone's in scope);
    a correction of a recorded certificate needs a keeper and a reason."""
    c = certificate
    if c.pk or c.user_id != actor.pk:
        require_keeper(actor, c.user)
    require_visible(actor, c.user)
    if c.pk and not (reason or "").strip():
        raise ValidationFailed.single(
            "reason", "required", _("Say why a recorded certificate is corrected.")
        )
    correcting = c.pk is not None
    before = audit.stored_values(c, CERTIFICATE_FIELDS)
    errors = clean_errors(c)
    if c.kind == "manufacturer" and not c.model_id and not c.category_code.strip():
        errors.append(
            FieldError(
                "model", "required", _("A manufacturer's certification names a model or category.")
            )
        )
    if c.issued_on and c.valid_until and c.valid_until < c.issued_on:
        errors.append(FieldError("valid_until", "after_start", _("It must end after it starts.")))
    if errors:
        raise ValidationFailed(errors=errors)
    if correcting:
        c.warned_days = None  # a renewed date is warned about afresh
    return audit.save_with_diff(
        actor=actor, obj=c, before=before, action="training.certificate_saved", reason=reason
    )


def certificate_void(*, actor, certificate: Certificate, reason: str) -> Certificate:
    require_keeper(actor, certificate.user)
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "required", _("Say why it is voided."))
    if certificate.voided_at:
        raise PermissionDenied(_("This certificate is voided already."))
    audit.void(obj=certificate, actor=actor, reason=reason.strip())
    return certificate
