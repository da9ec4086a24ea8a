from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.audit.testing import assert_audited
from mdss.contracts import selectors, services
from mdss.contracts.tests.conftest import PASSWORD, TODAY, review_and_sign
from mdss.core.errors import InvalidTransition, ValidationFailed


@pytest.fixture
def planned_and_signed(draft, rep, legal):
    services.instalments_set(
        actor=rep,
        contract=draft,
        rows=[
            (TODAY - timedelta(days=10), "114000", "预付 30%"),
            (TODAY + timedelta(days=60), "266000", "验收后"),
        ],
    )
    return review_and_sign(draft, rep, legal, days_ago=20)


def test_instalments_must_add_up_to_the_contract(draft, rep):
    with pytest.raises(ValidationFailed) as exc:
        services.instalments_set(actor=rep, contract=draft, rows=[(TODAY, "100", "")])
    assert exc.value.errors[0].rule == "sum"
    assert "380000" in exc.value.errors[0].message


def test_an_unpaid_due_instalment_is_overdue_until_paid(planned_and_signed, rep, legal):
    overdue = list(selectors.receivables_overdue(legal, TODAY))
    assert [(c.pk, c.overdue) for c in overdue] == [(planned_and_signed.pk, Decimal("114000.00"))]
    services.payment_record(
        actor=rep, contract=planned_and_signed, received_on=TODAY, amount="114000", today=TODAY
    )
    assert list(selectors.receivables_overdue(legal, TODAY)) == []
    with pytest.raises(ValidationFailed) as exc:
        services.payment_record(
            actor=rep, contract=planned_and_signed, received_on=TODAY, amount="300000", today=TODAY
        )
    assert exc.value.errors[0].rule == "overpaid"
    assert_audited("contracts.paid", planned_and_signed, actor=rep)


def test_delivered_and_paid_in_full_completes_the_contract(planned_and_signed, rep, monitor):
    line = planned_and_signed.lines.get()
    services.payment_record(
        actor=rep, contract=planned_and_signed, received_on=TODAY, amount="380000", today=TODAY
    )
    planned_and_signed.refresh_from_db()
    assert planned_and_signed.status == "signed"  # paid, not yet delivered
    services.delivery_record(
        actor=rep,
        contract=planned_and_signed,
        delivered_on=TODAY,
        today=TODAY,
        items=[{"line_id": line.pk, "quantity": 10}],
        documents={monitor.pk: ["ifu", "label", "coc"]},
    )
    planned_and_signed.refresh_from_db()
    assert planned_and_signed.status == "completed"
    assert_audited("contracts.completed", planned_and_signed)
    row = selectors.ledger(rep).get(pk=planned_and_signed.pk)
    assert (row.ordered, row.delivered, row.paid, row.amount) == (
        10,
        10,
        Decimal("380000.00"),
        Decimal("380000.00"),
    )
    with pytest.raises(InvalidTransition):
        services.payment_record(
            actor=rep, contract=planned_and_signed, received_on=TODAY, amount="1", today=TODAY
        )


def test_the_plan_is_frozen_once_signed(planned_and_signed, rep):
    with pytest.raises(InvalidTransition):
        services.instalments_set(
            actor=rep, contract=planned_and_signed, rows=[(date(2027, 1, 1), "380000", "")]
        )


def test_a_plan_changed_after_legal_approval_blocks_the_signature(draft, rep, legal):
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    from mdss.contracts.models import Instalment

    Instalment.objects.create(contract=draft, due_on=TODAY, amount=Decimal("380000"))
    with pytest.raises(ValidationFailed) as exc:
        services.contract_sign(
            actor=rep,
            contract=draft,
            signed_on=TODAY,
            customer_signed_on=TODAY,
            scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
            today=TODAY,
        )
    assert exc.value.errors[0].rule == "changed"


def test_receivables_page(client, planned_and_signed, legal):
    client.force_login(legal)
    page = client.get("/contracts/receivables/").content.decode()
    assert planned_and_signed.number in page and "114,000.00" in page


def test_the_ledger_shows_open_problems_and_the_next_deadline(signed, rep, legal, region):
    from datetime import date
    from decimal import Decimal

    from mdss.contracts import selectors, services

    services.instalments_set(
        actor=rep,
        contract=signed,
        rows=[
            (date(2026, 12, 10), Decimal("100000.00"), "预付"),
            (date(2027, 2, 1), Decimal("280000.00"), "尾款"),
        ],
    )
    services.problem_raise(actor=rep, contract=signed, kind="quality", description="划伤")
    row = selectors.ledger(legal).get(pk=signed.pk)
    assert row.open_problems == 1
    # Nothing delivered: the delivery deadline (15 January) is after the first
    # instalment (10 December), so that is the next deadline.
    assert row.next_deadline == date(2026, 12, 10)
    services.payment_record(
        actor=rep,
        contract=signed,
        received_on=date(2026, 11, 27),
        amount="100000",
        today=date(2026, 11, 27),
    )
    row = selectors.ledger(legal).get(pk=signed.pk)
    assert row.first_unpaid == date(2027, 2, 1)
    assert row.next_deadline == date(2027, 1, 15)
    assert selectors.ledger(legal, province=region.parent_id).filter(pk=signed.pk).exists()
    assert not selectors.ledger(legal, province=region.parent_id + 999).exists()
    assert selectors.ledger(legal, rep=rep.pk).count() == 1
