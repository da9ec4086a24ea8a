"""Quality incidents and CAPA (Q6): containment, root cause, actions with owners and
clocks, the effectiveness check after the policy's period, signed closure."""

from datetime import date, timedelta

import pytest

from mdss.accounts.tests.factories import TEST_PASSWORD
from mdss.audit.models import AuditEvent
from mdss.calendars.selectors import clocks_for
from mdss.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from mdss.quality import selectors, services

from .conftest import ANALYSIS

TODAY = date(2026, 11, 27)


def analysed(incident, quality):
    services.incident_contain(
        actor=quality, incident=incident, containment="停用该批次模块并隔离库存"
    )
    return services.incident_analyse(actor=quality, incident=incident, **ANALYSIS)


def acted(incident, quality, engineer):
    analysed(incident, quality)
    fix = services.capa_add(
        actor=quality,
        incident=incident,
        kind="corrective",
        description="更换全部该批次模块",
        owner=engineer,
    )
    prevent = services.capa_add(
        actor=quality,
        incident=incident,
        kind="preventive",
        description="来料增加焊点抽检",
        owner=quality,
    )
    return fix, prevent


def test_the_containment_clock_and_the_analysis(incident, quality):
    clock = clocks_for(incident).get()
    assert clock.code == "quality.containment" and incident.due_at == clock.due_at
    with pytest.raises(InvalidTransition):
        services.incident_analyse(actor=quality, incident=incident, **ANALYSIS)
    analysed(incident, quality)
    incident.refresh_from_db()
    assert incident.status == "analysed" and clocks_for(incident).get().status == "met"
    assert incident.whys == ANALYSIS["whys"] and incident.fishbone["machine"] == "回流焊炉未校准"


def test_an_analysis_is_checked(incident, quality):
    services.incident_contain(actor=quality, incident=incident, containment="隔离")
    with pytest.raises(ValidationFailed) as error:
        services.incident_analyse(
            actor=quality, incident=incident, whys=["1", "2", "3", "4", "5", "6"],
            fishbone={"luck": "bad"}, root_cause="",
        )  # fmt: skip
    assert {e.field for e in error.value.errors} == {"whys", "fishbone.luck", "root_cause"}


def test_cannot_close_before_effectiveness_is_verified(incident, quality, engineer):
    fix, prevent = acted(incident, quality, engineer)
    incident.refresh_from_db()
    assert incident.due_at == min(fix.due_at, prevent.due_at)
    assert clocks_for(fix).get().code == "quality.capa"
    with pytest.raises(InvalidTransition):  # actions still open
        services.incident_close(
            actor=quality, incident=incident, password=TEST_PASSWORD, lessons="x"
        )
    services.capa_done(actor=engineer, action=fix, result="已更换 12 台", today=TODAY)
    incident.refresh_from_db()
    assert incident.status == "analysed"  # the preventive action is still open
    services.capa_done(
        actor=quality, action=prevent, result="来料检验规程 QP-7 已修订", today=TODAY
    )
    incident.refresh_from_db()
    assert incident.status == "verifying"
    assert incident.verify_after == TODAY + timedelta(days=30) and incident.due_at is None
    with pytest.raises(Conflict):  # not verified yet
        services.incident_close(
            actor=quality, incident=incident, password=TEST_PASSWORD, lessons="x"
        )
    with pytest.raises(Conflict, match="2026-12-27"):
        services.incident_verify(
            actor=quality, incident=incident, effective=True, evidence="无复发", today=TODAY
        )
    services.incident_verify(
        actor=quality, incident=incident, effective=True, evidence="30 天无复发",
        today=date(2026, 12, 27),
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.incident_close(
            actor=quality, incident=incident, password=TEST_PASSWORD, lessons=""
        )
    services.incident_close(
        actor=quality, incident=incident, password=TEST_PASSWORD, lessons="回流焊炉须纳入校准计划"
    )
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.signature.signer == quality
    actions = set(
        AuditEvent.objects.filter(
            object_id=str(incident.pk), action__startswith="quality."
        ).values_list("action", flat=True)
    )
    assert {
        "quality.incident_opened", "quality.incident_contained", "quality.incident_analysed",
        "quality.capa_added", "quality.capa_done", "quality.incident_verifying",
        "quality.incident_verified", "quality.incident_closed",
    } <= actions  # fmt: skip


def test_without_a_preventive_action_it_does_not_go_to_verification(incident, quality, engineer):
    analysed(incident, quality)
    fix = services.capa_add(
        actor=quality, incident=incident, kind="corrective", description="更换", owner=engineer
    )
    services.capa_done(actor=engineer, action=fix, result="已更换", today=TODAY)
    incident.refresh_from_db()
    assert incident.status == "analysed"


def test_not_effective_starts_a_new_round(incident, quality, engineer):
    fix, prevent = acted(incident, quality, engineer)
    services.capa_done(actor=engineer, action=fix, result="done", today=TODAY)
    services.capa_done(actor=quality, action=prevent, result="done", today=TODAY)
    services.incident_verify(
        actor=quality, incident=incident, effective=False, evidence="又发生 2 起",
        today=date(2027, 1, 5),
    )  # fmt: skip
    incident.refresh_from_db()
    assert (incident.status, incident.verification_round, incident.verify_after) == (
        "analysed", 2, None,
    )  # fmt: skip
    again = services.capa_add(
        actor=quality, incident=incident, kind="preventive", description="更换供应商", owner=quality
    )
    assert again.round == 2
    services.capa_done(actor=quality, action=again, result="done", today=date(2027, 1, 6))
    incident.refresh_from_db()
    assert incident.status == "verifying" and incident.verify_after == date(2027, 2, 5)


def test_only_the_owner_or_quality_marks_an_action_done(
    incident, quality, engineer, service_manager
):
    fix, _prevent = acted(incident, quality, engineer)
    with pytest.raises(PermissionDenied):
        services.capa_done(actor=service_manager, action=fix, result="done")
    with pytest.raises(PermissionDenied):
        services.capa_add(
            actor=engineer, incident=incident, kind="corrective", description="x", owner=engineer
        )
    services.capa_done(actor=engineer, action=fix, result="done")
    with pytest.raises(Conflict):
        services.capa_done(actor=quality, action=fix, result="again")


def test_a_wrong_password_does_not_close(incident, quality, engineer):
    fix, prevent = acted(incident, quality, engineer)
    services.capa_done(actor=engineer, action=fix, result="done", today=TODAY)
    services.capa_done(actor=quality, action=prevent, result="done", today=TODAY)
    services.incident_verify(
        actor=quality, incident=incident, effective=True, evidence="ok", today=date(2027, 1, 1)
    )
    with pytest.raises(ValidationFailed):
        services.incident_close(actor=quality, incident=incident, password="wrong", lessons="x")
    incident.refresh_from_db()
    assert incident.status == "verifying"


def test_scope_and_lessons_search(incident, quality, engineer, rep):
    fix, _prevent = acted(incident, quality, engineer)
    assert list(selectors.incidents_for_user(engineer)) == [incident]  # owns an action
    assert list(selectors.incidents_for_user(rep)) == []
    with pytest.raises(PermissionDenied):
        services.incident_create(
            actor=engineer, source="service", title="t", description="d", occurred_on=TODAY
        )
    assert list(selectors.incidents_for_user(quality, q="回流焊")) == [incident]
