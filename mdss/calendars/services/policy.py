"""The versioned policy: a signed change makes a new active version."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import esign
from mdss.audit import services as audit
from mdss.core.errors import (
    PermissionDenied,
    ValidationFailed,
)

from .. import engine, reference
from ..choices import CadencePeriod, TimeUnit
from ..models import (
    PolicyCadence,
    PolicyVersion,
    SlaTarget,
)
from ..signals import policy_activated


def policy_change(
    *,
    actor,
    password: str,
    note: str,
    targets: dict[str, dict],
    business_hours: str | None = None,
    cadences: dict[str, dict] | None = None,
) -> PolicyVersion:
    """Create and activate a new policy version; management signs it.

    ``targets``: {code: {"duration": "0.5", "unit": "clock_hours", "warn_percent": 80}}
    for the targets that change; the others are copied. Clocks already running keep
    the version that set their deadline. ``cadences``: {code: {"period_months": 3,
    "min_count": 1}} likewise; apps re-plan their due dates on ``policy_activated``.
    """
    cadences = cadences or {}
    if not (actor.is_superuser or actor.has_role("management")):
        raise PermissionDenied(_("Only management can change the policy."))
    if not note.strip():
        raise ValidationFailed.single("note", "required", _("Say what changes and why."))
    esign.authenticate(actor, password)  # before the transaction: failures stay counted
    with transaction.atomic():
        current = PolicyVersion.objects.select_for_update().get(is_active=True)
        current_targets = {t.code: t for t in current.targets.all()}
        errors = []
        for code, values in targets.items():
            if code not in current_targets:
                errors.append((f"targets.{code}", "unknown", _("No target with this code.")))
                continue
            try:
                duration = Decimal(str(values.get("duration", current_targets[code].duration)))
            except InvalidOperation:
                duration = Decimal(0)
            if duration <= 0:
                errors.append(
                    (
                        f"targets.{code}.duration",
                        "min_value",
                        _("The duration must be more than 0."),
                    )
                )
            if values.get("unit", current_targets[code].unit) not in TimeUnit.values:
                errors.append((f"targets.{code}.unit", "choice", _("Unknown unit.")))
            warn = int(values.get("warn_percent", current_targets[code].warn_percent))
            if not 1 <= warn <= 99:
                errors.append(
                    (f"targets.{code}.warn_percent", "range", _("Warn between 1 and 99 %."))
                )
        current_cadences = {c.code: c for c in current.cadences.all()}
        errors.extend(_cadence_errors(cadences, current_cadences))
        if business_hours:
            try:
                engine.BusinessHours.parse(business_hours)
            except ValueError as exc:
                errors.append(("business_hours", "format", str(exc)))
        if errors:
            from mdss.core.errors import FieldError

            raise ValidationFailed(errors=[FieldError(*e) for e in errors])
        new = PolicyVersion(
            number=current.number + 1,
            note=note.strip(),
            created_by=actor,
            business_hours=business_hours or current.business_hours,
        )
        current.is_active = False
        current.save(update_fields=["is_active"])
        new.is_active = True
        new.activated_at = timezone.now()
        new.save()
        changes = {}
        for code, old in current_targets.items():
            values = targets.get(code, {})
            target = SlaTarget(
                policy=new,
                code=code,
                name=old.name,
                requirement=old.requirement,
                starts_on=old.starts_on,
                stops_on=old.stops_on,
                duration=Decimal(str(values.get("duration", old.duration))).quantize(
                    Decimal("0.01")
                ),
                unit=values.get("unit", old.unit),
                warn_percent=int(values.get("warn_percent", old.warn_percent)),
            )
            target.save()
            before = {
                "duration": str(old.duration),
                "unit": old.unit,
                "warn_percent": old.warn_percent,
            }
            after = {
                "duration": str(target.duration),
                "unit": target.unit,
                "warn_percent": target.warn_percent,
            }
            if before != after:
                changes[code] = {"before": before, "after": after}
        for code, old in current_cadences.items():
            values = cadences.get(code, {})
            cadence = PolicyCadence.objects.create(
                policy=new,
                code=code,
                name=old.name,
                requirement=old.requirement,
                period_months=int(values.get("period_months", old.period_months)),
                min_count=int(values.get("min_count", old.min_count)),
            )
            before = {"period_months": old.period_months, "min_count": old.min_count}
            after = {"period_months": cadence.period_months, "min_count": cadence.min_count}
            if before != after:
                changes[code] = {"before": before, "after": after}
        transaction.on_commit(lambda: policy_activated.send(sender=PolicyVersion, policy=new))
        esign.sign(
            signer=actor,
            password=password,
            meaning="policy change approved",
            obj=new,
            content={
                "version": new.number,
                "targets": changes,
                "business_hours": new.business_hours,
            },
        )
        audit.record(
            actor=actor,
            action="policy.version_activated",
            obj=new,
            reason=note,
            changes={"from_version": current.number, "targets": changes},
        )
    return new


def _cadence_errors(changes: dict[str, dict], current: dict) -> list[tuple]:
    errors = []
    for code, values in changes.items():
        if code not in current:
            errors.append((f"cadences.{code}", "unknown", _("No cadence with this code.")))
            continue
        months = values.get("period_months", current[code].period_months)
        if str(months) not in {str(v) for v in CadencePeriod.values}:
            errors.append(
                (
                    f"cadences.{code}.period_months",
                    "choice",
                    _("A period is 1, 2, 3, 6 or 12 months."),
                )
            )
        count = str(values.get("min_count", current[code].min_count))
        if not count.isdigit() or int(count) < 1:
            errors.append(
                (f"cadences.{code}.min_count", "min_value", _("At least once per period."))
            )
    return errors


# --- SLA clocks ----------------------------------------------------------------------------


def policy_load_default() -> bool:
    """The policy's default version with its targets and cadences, if none exists."""
    return reference.load_default_policy(PolicyVersion, SlaTarget, PolicyCadence)
