"""The likelihood × impact matrix: the level at every zone edge, a signed change makes
a new version and the earlier assessments keep theirs; a matrix that is not
monotonic is refused."""

import pytest

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.audit.models import AuditEvent
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.risk import services
from mdss.risk.models import RiskMatrix

from .conftest import record

# Version 1: score ≤ 4 acceptable, 5–12 tolerable, ≥ 15 unacceptable. Each pair of
# cells on either side of an edge.
EDGES = [
    ((1, 4), "acceptable"), ((1, 5), "tolerable"),
    ((2, 2), "acceptable"), ((2, 3), "tolerable"),
    ((4, 1), "acceptable"), ((5, 1), "tolerable"),
    ((3, 4), "tolerable"), ((3, 5), "unacceptable"),
    ((4, 3), "tolerable"), ((4, 4), "unacceptable"),
    ((2, 5), "tolerable"), ((5, 3), "unacceptable"),
    ((1, 1), "acceptable"), ((5, 5), "unacceptable"),
]  # fmt: skip


@pytest.mark.parametrize(("cell", "zone"), EDGES)
def test_the_level_at_every_zone_edge(cell, zone, quality, service_manager, reference_data):
    likelihood, impact = cell
    it = record(quality, service_manager, likelihood=likelihood, impact=impact)
    assert (it.score, it.zone) == (likelihood * impact, zone)
    assert it.assessments.get().matrix.version == 1


def _stricter():
    """Version 2: score 10 and 12 become unacceptable."""
    zones = [row[:] for row in services.DEFAULT_ZONES]
    for li, im in ((2, 5), (5, 2), (3, 4), (4, 3)):
        zones[li - 1][im - 1] = "unacceptable"
    return zones


def test_a_change_makes_a_new_signed_version_and_old_assessments_keep_theirs(
    management, quality, service_manager, reference_data
):
    before = record(quality, service_manager, likelihood=3, impact=4)
    assert before.zone == "tolerable"
    new = services.matrix_change(
        actor=management, password=TEST_PASSWORD, zones=_stricter(), note="收紧高分区"
    )
    assert new.version == 2 and new.is_active and new.signature.signer == management
    assert list(RiskMatrix.objects.filter(is_active=True)) == [new]
    old = before.assessments.get()
    assert (old.matrix.version, old.zone) == (1, "tolerable")  # kept as assessed
    after = record(quality, service_manager, likelihood=3, impact=4)
    assert (after.zone, after.assessments.get().matrix) == ("unacceptable", new)
    event = AuditEvent.objects.get(action="risk.matrix_changed")
    assert event.changes["from_version"] == 1 and len(event.changes["cells"]) == 4


def test_only_management_changes_it_and_only_to_a_sound_matrix(management, quality, reference_data):
    with pytest.raises(PermissionDenied):
        services.matrix_change(actor=quality, password=TEST_PASSWORD, zones=_stricter(), note="x")
    zones = [row[:] for row in services.DEFAULT_ZONES]
    zones[4][4] = "acceptable"  # 5 × 5 milder than its neighbours
    with pytest.raises(ValidationFailed) as error:
        services.matrix_change(actor=management, password=TEST_PASSWORD, zones=zones, note="")
    fields = {e.field for e in error.value.errors}
    assert "note" in fields and any(f.startswith("zones.") for f in fields)
    with pytest.raises(ValidationFailed):
        services.matrix_change(
            actor=management, password=TEST_PASSWORD, zones=[["acceptable"] * 5] * 4, note="x"
        )
    with pytest.raises(ValidationFailed):
        services.matrix_change(
            actor=management, password=TEST_PASSWORD, zones=[["green"] * 5] * 5, note="x"
        )
    assert RiskMatrix.objects.get(is_active=True).version == 1
