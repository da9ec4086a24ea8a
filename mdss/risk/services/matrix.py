"""The likelihood × impact matrix: management sets which cells are acceptable,
tolerable with measures or unacceptable, by a signed change that makes a new
version. Assessments keep the version they were placed on."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mdss.audit import esign
from mdss.audit import services as audit
from mdss.core.errors import FieldError, NotFound, ValidationFailed

from ..choices import ZONE_RANK, RiskAction, RiskZone
from ..models import RiskMatrix
from ..permissions import require


def _default_zone(likelihood: int, impact: int) -> str:
    score = likelihood * impact
    if score <= 4:
        return RiskZone.ACCEPTABLE
    if score <= 12:
        return RiskZone.TOLERABLE
    return RiskZone.UNACCEPTABLE


# Version 1 (migration risk 0002): score 1–4 acceptable, 5–12 tolerable, 15–25
# unacceptable, the usual reading of a 5 × 5 matrix.
DEFAULT_ZONES = [[str(_default_zone(li, im)) for im in range(1, 6)] for li in range(1, 6)]


def matrix_in_force() -> RiskMatrix:
    """The version in force; version 1 (the default) if none was ever set (migration
    risk 0002 installs it; a database emptied by tests gets it back on first use)."""
    matrix = RiskMatrix.objects.filter(is_active=True).first()
    if matrix is not None:
        return matrix
    if RiskMatrix.objects.exists():
        raise NotFound(_("No risk matrix is in force."))
    try:
        with transaction.atomic():
            return RiskMatrix.objects.create(
                version=1,
                zones=DEFAULT_ZONES,
                is_active=True,
                note="默认矩阵（风险值 = 可能性 × 影响）",
            )
    except IntegrityError:  # another request installed it meanwhile
        return RiskMatrix.objects.get(is_active=True)


def zone_errors(zones) -> list[FieldError]:
    """Five rows of five known zones, and monotonic: a cell more likely or with a
    worse impact is never in a milder zone than its neighbour."""
    shape_ok = (
        isinstance(zones, list)
        and len(zones) == 5
        and all(isinstance(row, list) and len(row) == 5 for row in zones)
    )
    if not shape_ok:
        return [FieldError("zones", "shape", _("Five rows of five cells."))]
    errors = []
    for li, row in enumerate(zones, start=1):
        for im, zone in enumerate(row, start=1):
            if zone not in RiskZone.values:
                errors.append(FieldError(f"zones.{li}.{im}", "invalid_choice", _("Not a zone.")))
    if errors:
        return errors
    for li in range(5):
        for im in range(5):
            rank = ZONE_RANK[zones[li][im]]
            if (li < 4 and ZONE_RANK[zones[li + 1][im]] < rank) or (
                im < 4 and ZONE_RANK[zones[li][im + 1]] < rank
            ):
                errors.append(
                    FieldError(
                        f"zones.{li + 1}.{im + 1}",
                        "monotonic",
                        _(
                            "A more likely or more severe neighbour cannot be in a milder zone "
                            "(likelihood %(l)s, impact %(i)s)."
                        )
                        % {"l": li + 1, "i": im + 1},
                    )
                )
    return errors


def matrix_change(*, actor, password: str, zones, note: str) -> RiskMatrix:
    """A new version of the matrix, in force at once; management signs it."""
    require(actor, RiskAction.MATRIX)
    errors = zone_errors(zones)
    if not (note or "").strip():
        errors.append(FieldError("note", "required", _("Say what changes and why.")))
    elif len(note) > 2000:
        errors.append(FieldError("note", "max_length", _("At most 2000 characters.")))
    if errors:
        raise ValidationFailed(errors=errors)
    esign.authenticate(actor, password)
    with transaction.atomic():
        current = RiskMatrix.objects.select_for_update().get(pk=matrix_in_force().pk)
        current.is_active = False
        current.save(update_fields=["is_active"])
        new = RiskMatrix.objects.create(
            version=current.version + 1,
            zones=[[str(z) for z in row] for row in zones],
            is_active=True,
            note=note.strip(),
            created_by=actor,
        )
        new.signature = esign.sign(
            signer=actor,
            password=password,
            meaning="risk matrix approved",
            obj=new,
            content={"version": new.version, "zones": new.zones},
        )
        new.save(update_fields=["signature"])
        changed = [
            f"{li + 1}×{im + 1}: {current.zones[li][im]} → {new.zones[li][im]}"
            for li in range(5)
            for im in range(5)
            if current.zones[li][im] != new.zones[li][im]
        ]
        audit.record(
            actor=actor,
            action="risk.matrix_changed",
            obj=new,
            reason=note,
            changes={"from_version": current.version, "cells": changed},
        )
    return new
