"""Every inventory service checks that this person's role may do this action (not only
see the records), before anything is written."""

import pytest

from mdss.core.errors import PermissionDenied
from mdss.inventory import services

from .conftest import TODAY


def test_only_quality_and_management_qualify_suppliers(supplier, warehouse, engineer):
    for person in (warehouse, engineer):
        with pytest.raises(PermissionDenied):
            services.supplier_status_set(
                actor=person, supplier=supplier, status="blocked", reason="x"
            )
    with pytest.raises(PermissionDenied):
        services.supplier_create(actor=engineer, name="某供应商")
    with pytest.raises(PermissionDenied):
        services.supplier_document_add(
            actor=engineer,
            supplier=supplier,
            kind="business_licence",
            number="1",
            valid_until=TODAY,
        )


def test_only_the_warehouse_receives_cancels_and_counts(
    order, shelf, central, engineer, management, stocked
):
    line = order.lines.get()
    with pytest.raises(PermissionDenied):
        services.order_receive(
            actor=engineer,
            order=order,
            line=line,
            arrived=1,
            accepted=1,
            location=shelf,
            received_on=TODAY,
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.order_cancel(actor=engineer, order=order, reason="x")
    with pytest.raises(PermissionDenied):
        services.count_start(actor=management, warehouse=central, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.levels_compute(actor=engineer, warehouse=central, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.level_set(
            actor=engineer, part=stocked, warehouse=central, reorder_point=1, target_level=2
        )
    assert line.accepted == 0 and not central.counts.exists() and not central.levels.exists()


def test_entering_scanning_and_approving_a_count_are_checked(
    stocked, central, warehouse, engineer, rep
):
    count = services.count_start(actor=warehouse, warehouse=central, today=TODAY)
    line = count.lines.get()
    with pytest.raises(PermissionDenied):
        services.count_enter(actor=engineer, count=count, counted={line.pk: 1})
    with pytest.raises(PermissionDenied):
        services.count_scan(actor=engineer, count=count, code=stocked.number)
    with pytest.raises(PermissionDenied):
        services.count_submit(actor=engineer, count=count)
    with pytest.raises(PermissionDenied):
        services.count_approve(actor=rep, count=count, reason="x")
    with pytest.raises(PermissionDenied):
        services.count_cancel(actor=engineer, count=count, reason="x")
    line.refresh_from_db()
    assert line.counted is None


def test_an_engineer_neither_issues_nor_returns_someone_else_s_parts(
    requested, shelf, engineer, reference_data
):
    from mdss.accounts.tests.factories import UserFactory

    colleague = UserFactory(username="engineer3", roles=["service_engineer"])
    line = requested.lines.get()
    with pytest.raises(PermissionDenied):
        services.requisition_issue(
            actor=engineer,
            requisition=requested,
            issues=[services.Issue(line=line, quantity=1, from_location=shelf)],
        )
    with pytest.raises(PermissionDenied):
        services.requisition_return(
            actor=colleague, requisition=requested, line=line, quantity=1, to_location=shelf
        )
