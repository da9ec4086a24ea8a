"""Requisitions (A8, A12): the 24-hour clock from request to issue, partial issue,
substitution, return, cancellation, and who sees and does what."""

from datetime import timedelta

import pytest

from mdss.audit.models import AuditEvent
from mdss.calendars import services as clocks
from mdss.calendars.selectors import clocks_for
from mdss.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mdss.inventory import selectors, services
from mdss.inventory.models import RequisitionLine

from .conftest import TODAY


def _issue(requisition, shelf, quantity, **kw):
    line = requisition.lines.get()
    return services.Issue(line=line, quantity=quantity, from_location=shelf, **kw)


def test_a_request_starts_the_24_hour_clock_and_the_full_issue_meets_it(
    requested, shelf, warehouse
):
    clock = clocks_for(requested).get()
    assert (clock.code, clock.status, clock.responsible) == ("parts.provide", "running", warehouse)
    assert clock.due_at - clock.started_at == timedelta(hours=24)
    issued = services.requisition_issue(
        actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 3)]
    )
    assert issued.status == "issued"
    clock.refresh_from_db()
    assert clock.status == "met" and not clock.breached_at
    assert services.ledger.available(requested.lines.get().part, shelf) == 7
    assert services.reconcile() == []
    assert list(
        AuditEvent.objects.filter(
            object_id=str(requested.pk), content_type__model="requisition"
        ).values_list("action", flat=True)
    ) == ["inventory.requisition_submitted", "inventory.issued"]


def test_a_partial_issue_keeps_the_clock_running(requested, shelf, warehouse):
    services.requisition_issue(
        actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 1)]
    )
    requested.refresh_from_db()
    assert requested.status == "partly_issued"
    assert clocks_for(requested).get().status == "running"
    with pytest.raises(ValidationFailed) as exc:
        services.requisition_issue(
            actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 3)]
        )
    assert exc.value.errors[0].rule == "too_many"
    services.requisition_issue(
        actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 2)]
    )
    requested.refresh_from_db()
    assert requested.status == "issued" and clocks_for(requested).get().status == "met"


def test_the_clock_is_warned_then_breached_and_escalated_to_the_keepers_superior(
    requested, service_manager
):
    clock = clocks_for(requested).get()
    assert clocks.clock_sweep(now=clock.warn_at + timedelta(minutes=1))["warned"] == 1
    counts = clocks.clock_sweep(now=clock.due_at + timedelta(minutes=1))
    assert (counts["breached"], counts["escalated"]) == (1, 1)
    clock.refresh_from_db()
    assert clock.breached_at and clock.escalated_to == service_manager


def test_issuing_more_than_on_hand_names_what_is_available(requested, shelf, warehouse, stocked):
    services.stock_scrap(actor=warehouse, part=stocked, location=shelf, quantity=8, reason="受潮")
    with pytest.raises(ValidationFailed) as exc:
        services.requisition_issue(
            actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 3)]
        )
    assert exc.value.errors[0].rule == "insufficient" and "2" in exc.value.errors[0].message
    assert requested.lines.get().issued == 0  # nothing half-written


def test_only_an_approved_substitute_may_be_issued_instead(requested, shelf, warehouse):
    from mdss.inventory.models import Part

    other = Part.objects.create(number="SP-1002", name="血氧探头（兼容）")
    services.stock_receive(actor=warehouse, part=other, location=shelf, quantity=5)
    with pytest.raises(ValidationFailed) as exc:
        services.requisition_issue(
            actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 3, part=other)]
        )
    assert exc.value.errors[0].rule == "not_approved"
    requested.lines.get().part.substitutes.add(other)
    services.requisition_issue(
        actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 3, part=other)]
    )
    move = requested.moves.get()
    assert move.part == other and "SP-1001" in move.note


def test_unused_parts_come_back_good_or_to_quarantine(
    requested, shelf, quarantine, warehouse, engineer
):
    services.requisition_issue(
        actor=warehouse, requisition=requested, issues=[_issue(requested, shelf, 3)]
    )
    line = requested.lines.get()
    services.requisition_return(
        actor=engineer, requisition=requested, line=line, quantity=1, to_location=shelf
    )
    with pytest.raises(ValidationFailed) as exc:
        services.requisition_return(
            actor=engineer,
            requisition=requested,
            line=line,
            quantity=1,
            to_location=shelf,
            good=False,
        )
    assert exc.value.errors[0].rule == "not_quarantine"
    services.requisition_return(
        actor=engineer,
        requisition=requested,
        line=line,
        quantity=1,
        to_location=quarantine,
        good=False,
    )
    with pytest.raises(ValidationFailed):
        services.requisition_return(
            actor=engineer, requisition=requested, line=line, quantity=2, to_location=shelf
        )
    line.refresh_from_db()
    assert (line.issued, line.returned) == (3, 2)
    assert services.ledger.available(line.part, shelf) == 8
    assert services.ledger.available(line.part, quarantine) == 1
    assert services.reconcile() == []


def test_parts_issued_to_the_van_move_into_its_stock(
    stocked, engineer, central, van, shelf, warehouse, reference_data
):
    requisition = services.requisition_submit(
        actor=engineer,
        warehouse=central,
        lines=[(stocked, 2)],
        need_by=TODAY,
        today=TODAY,
        to_location=van,
    )
    services.requisition_issue(
        actor=warehouse, requisition=requisition, issues=[_issue(requisition, shelf, 2)]
    )
    assert services.ledger.available(stocked, van) == 2
    assert requisition.moves.get().kind == "transfer"


def test_cancelling_stops_the_clock_and_only_the_requester_or_the_warehouse_may(
    requested, other_rep, service_manager, engineer, reference_data
):
    from mdss.accounts.tests.factories import UserFactory

    colleague = UserFactory(username="engineer2", roles=["service_engineer"])
    with pytest.raises(PermissionDenied):
        services.requisition_cancel(actor=colleague, requisition=requested, reason="不需要了")
    with pytest.raises(ValidationFailed):
        services.requisition_cancel(actor=engineer, requisition=requested, reason=" ")
    services.requisition_cancel(actor=engineer, requisition=requested, reason="客户自行更换")
    requested.refresh_from_db()
    assert requested.status == "cancelled" and clocks_for(requested).get().status == "cancelled"
    with pytest.raises(InvalidTransition):
        services.requisition_cancel(actor=engineer, requisition=requested, reason="again")


def test_a_request_is_checked_before_anything_is_written(
    stocked, engineer, central, van, rep, reference_data
):
    with pytest.raises(PermissionDenied):
        services.requisition_submit(
            actor=rep, warehouse=central, lines=[(stocked, 1)], need_by=TODAY, today=TODAY
        )
    with pytest.raises(ValidationFailed) as exc:
        services.requisition_submit(
            actor=engineer,
            warehouse=van.warehouse,
            lines=[(stocked, 0)],
            need_by=TODAY - timedelta(days=1),
            today=TODAY,
        )
    assert {e.field for e in exc.value.errors} == {"lines.1.quantity", "need_by", "warehouse"}
    assert not RequisitionLine.objects.exists()


def test_engineers_see_their_own_requisitions_the_warehouse_all(
    requested, engineer, warehouse, service_manager, reference_data
):
    from mdss.accounts.tests.factories import UserFactory

    colleague = UserFactory(username="engineer2", roles=["service_engineer"])
    assert list(selectors.requisitions_for_user(engineer)) == [requested]
    assert list(selectors.requisitions_for_user(colleague)) == []
    assert list(selectors.requisition_queue(warehouse)) == [requested]
    assert list(selectors.requisitions_for_user(service_manager)) == [requested]
