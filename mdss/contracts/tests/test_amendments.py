from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.audit.testing import assert_audited
from mdss.calendars.selectors import clocks_for
from mdss.contracts import services
from mdss.contracts.models import Amendment
from mdss.contracts.tests.conftest import PASSWORD, TODAY, deliver
from mdss.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from mdss.devices.models import InstalledDevice


def _rules(exc):
    return {(e.field, e.rule) for e in exc.value.errors}


def _scan():
    return SimpleUploadedFile("bg.pdf", b"%PDF-1.4 amendment")


def _through(amendment, rep, legal, on=TODAY):
    services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    services.amendment_approve(actor=legal, amendment=amendment, password=PASSWORD)
    return services.amendment_sign(
        actor=rep, amendment=amendment, signed_on=on, scan=_scan(), today=TODAY
    )


def test_an_amendment_changes_the_terms_through_review_and_keeps_the_history(
    signed, rep, legal, monitor
):
    monitor.product.needs_installation = True
    monitor.product.save()
    deliver(signed, rep, 2, units=["SN-1", "SN-2"])
    line = signed.lines.get()
    amendment = services.amendment_create(
        actor=rep,
        contract=signed,
        reason="医院追加采购并延长保修",
        clauses={"warranty_months": "36", "delivery_place": "杭州市上城区解放路 88 号 新院区"},
        line_changes=[{"line": line.pk, "quantity": 12}],
        instalments=[["2027-01-31", "200000.00", "首付"], ["2027-06-30", "256000.00", "尾款"]],
    )
    assert amendment.number == f"{signed.number}-BG1"
    assert amendment.clauses == {
        "warranty_months": 36,
        "delivery_place": "杭州市上城区解放路 88 号 新院区",
    }
    services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    assert clocks_for(amendment).filter(code="contract.legal_review", status="running").exists()
    signed.refresh_from_db()
    assert signed.warranty_months == 12  # nothing changes before both parties sign
    services.amendment_approve(actor=legal, amendment=amendment, password=PASSWORD)
    amendment = services.amendment_sign(
        actor=rep, amendment=amendment, signed_on=TODAY, scan=_scan(), today=TODAY
    )
    signed.refresh_from_db()
    assert amendment.status == "effective"
    assert (signed.warranty_months, signed.lines.get().quantity) == (36, 12)
    assert amendment.before["total"] == "380000.00" and amendment.after["total"] == "456000.00"
    assert amendment.before["clauses"]["warranty_months"] == 12
    assert [i.amount for i in signed.instalments.order_by("due_on")] == [
        Decimal("200000.00"),
        Decimal("256000.00"),
    ]
    # The units delivered get the amended warranty.
    assert set(InstalledDevice.objects.values_list("warranty_until", flat=True)) == {
        date(2029, 11, 27)
    }
    assert_audited("contracts.amended", signed, actor=rep)
    # A second amendment may follow once the first is closed.
    second = services.amendment_create(
        actor=rep, contract=signed, reason="改交货期", clauses={"delivery_deadline": "2027-03-01"}
    )
    assert second.seq == 2


def test_a_signed_contract_is_never_edited_directly(signed, rep):
    with pytest.raises(InvalidTransition):
        services.contract_update(actor=rep, contract=signed, delivery_place="别处")
    with pytest.raises(InvalidTransition):
        services.line_remove(actor=rep, line=signed.lines.get())


def test_amendment_refusals(signed, rep, other_rep, monitor):
    line = signed.lines.get()
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(actor=rep, contract=signed, reason="无", clauses={})
    assert _rules(exc) == {("amendment", "no_change")}
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(actor=rep, contract=signed, reason=" ", clauses={"x": 1})
    assert _rules(exc) == {("reason", "required")}
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(
            actor=rep,
            contract=signed,
            reason="r",
            clauses={"delivery_deadline": "not a date", "number": "HT-X"},
            line_changes=[{"line": line.pk, "quantity": -1}, {"line": 999999}],
            new_lines=[{"model": monitor.pk, "quantity": 0, "unit_price": "0"}],
            instalments=[["2027-01-01", "1.00", ""]],
        )
    assert _rules(exc) == {
        ("clauses.delivery_deadline", "invalid"),
        ("clauses.number", "unknown"),
        ("line_changes.1.quantity", "min_value"),
        ("line_changes.2.line", "unknown"),
        ("new_lines.1.quantity", "min_value"),
        ("new_lines.1.unit_price", "min_value"),
    }
    with pytest.raises(NotFound):
        services.amendment_create(
            actor=other_rep, contract=signed, reason="r", clauses={"other_clauses": "x"}
        )
    # Only a signed contract is amended; a draft is simply edited.
    fresh = services.contract_create(actor=rep, customer_id=signed.customer_id)
    with pytest.raises(InvalidTransition):
        services.amendment_create(
            actor=rep, contract=fresh, reason="r", clauses={"other_clauses": "x"}
        )
    services.amendment_create(
        actor=rep, contract=signed, reason="r", clauses={"other_clauses": "x"}
    )
    with pytest.raises(InvalidTransition, match="BG1"):
        services.amendment_create(
            actor=rep, contract=signed, reason="r", clauses={"other_clauses": "y"}
        )


def test_quantities_never_drop_below_what_was_delivered(signed, rep):
    deliver(signed, rep, 3)
    line = signed.lines.get()
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(
            actor=rep,
            contract=signed,
            reason="减量",
            line_changes=[{"line": line.pk, "quantity": 2}],
        )
    assert _rules(exc) == {("line_changes.1.quantity", "below_delivered")}
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(
            actor=rep,
            contract=signed,
            reason="取消",
            line_changes=[{"line": line.pk, "quantity": 0}],
        )
    assert _rules(exc) == {("line_changes.1.quantity", "below_delivered")}
    # Reducing to what was delivered is fine: the contract is then delivered in full.
    amendment = services.amendment_create(
        actor=rep,
        contract=signed,
        reason="医院预算削减",
        line_changes=[{"line": line.pk, "quantity": 3}],
    )
    assert amendment.line_changes == [
        {"line": line.pk, "quantity": 3, "unit_price": "38000.00", "adjustment": None}
    ]


def test_deliveries_after_approval_are_checked_again_at_signing(signed, rep, legal):
    line = signed.lines.get()
    amendment = services.amendment_create(
        actor=rep, contract=signed, reason="减量", line_changes=[{"line": line.pk, "quantity": 4}]
    )
    services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    services.amendment_approve(actor=legal, amendment=amendment, password=PASSWORD)
    deliver(signed, rep, 6)
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_sign(
            actor=rep, amendment=amendment, signed_on=TODAY, scan=_scan(), today=TODAY
        )
    assert _rules(exc) == {("line_changes.1.quantity", "below_delivered")}
    amendment.refresh_from_db()
    assert amendment.status == "approved" and signed.lines.get().quantity == 10


def test_the_payment_plan_must_follow_a_new_total(signed, rep):
    services.instalments_set(
        actor=rep, contract=signed, rows=[(date(2027, 1, 31), Decimal("380000.00"), "全款")]
    )
    line = signed.lines.get()
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(
            actor=rep,
            contract=signed,
            reason="加量",
            line_changes=[{"line": line.pk, "quantity": 11}],
        )
    assert _rules(exc) == {("instalments", "required")}
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(
            actor=rep,
            contract=signed,
            reason="加量",
            line_changes=[{"line": line.pk, "quantity": 11}],
            instalments=[["2027-01-31", "380000.00", ""]],
        )
    assert _rules(exc) == {("instalments", "sum")}
    services.payment_record(
        actor=rep, contract=signed, received_on=TODAY, amount="300000.00", today=TODAY
    )
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_create(
            actor=rep,
            contract=signed,
            reason="减量",
            line_changes=[{"line": line.pk, "quantity": 7}],
            instalments=[["2027-01-31", "266000.00", ""]],
        )
    assert _rules(exc) == {("lines", "below_paid")}


def test_what_the_amendment_re_prices_passes_the_price_gate(signed, rep, monitor):
    amendment = services.amendment_create(
        actor=rep,
        contract=signed,
        reason="追加一台样机",
        new_lines=[{"model": monitor.pk, "quantity": 1, "unit_price": "30000.00"}],
    )
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    assert _rules(exc) == {("lines.2.unit_price", "off_list")}
    amendment.refresh_from_db()
    assert amendment.status == "draft"
    services.amendment_update(
        actor=rep,
        amendment=amendment,
        reason="追加一台",
        new_lines=[{"model": monitor.pk, "quantity": 1, "unit_price": "38000.00"}],
    )
    services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    with pytest.raises(InvalidTransition):
        services.amendment_update(actor=rep, amendment=amendment, reason="x", clauses={})


def test_the_gates_hold_on_the_signing_date_of_the_amendment(signed, rep, legal, monitor):
    from mdss.contracts.tests.conftest import expire_certificate

    line = signed.lines.get()
    amendment = services.amendment_create(
        actor=rep, contract=signed, reason="加量", line_changes=[{"line": line.pk, "quantity": 11}]
    )
    services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    services.amendment_approve(actor=legal, amendment=amendment, password=PASSWORD)
    expire_certificate(monitor, TODAY - timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        services.amendment_sign(
            actor=rep, amendment=amendment, signed_on=TODAY, scan=_scan(), today=TODAY
        )
    assert ("lines.1.model", "certificate_expired") in _rules(exc)
    assert signed.lines.get().quantity == 10


def test_legal_reviews_amendments(signed, rep, legal, sales_manager):
    amendment = services.amendment_create(
        actor=rep, contract=signed, reason="改条款", clauses={"other_clauses": "延长培训至 3 天"}
    )
    with pytest.raises(InvalidTransition):
        services.amendment_approve(actor=legal, amendment=amendment, password=PASSWORD)
    services.amendment_submit(actor=rep, amendment=amendment, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.amendment_approve(actor=sales_manager, amendment=amendment, password=PASSWORD)
    with pytest.raises(ValidationFailed):
        services.amendment_approve(actor=legal, amendment=amendment, password="wrong")
    with pytest.raises(ValidationFailed):
        services.amendment_return(actor=legal, amendment=amendment, comment="")
    returned = services.amendment_return(actor=legal, amendment=amendment, comment="写明培训人数")
    assert returned.status == "draft"
    assert clocks_for(amendment).get().status in {"met", "missed"}
    with pytest.raises(InvalidTransition):
        services.amendment_sign(
            actor=rep, amendment=amendment, signed_on=TODAY, scan=_scan(), today=TODAY
        )
    assert_audited("contracts.amendment_returned", signed, actor=legal)


def test_withdrawing_and_terminating_close_open_amendments(signed, rep, management):
    first = services.amendment_create(
        actor=rep, contract=signed, reason="r", clauses={"other_clauses": "a"}
    )
    with pytest.raises(ValidationFailed):
        services.amendment_withdraw(actor=rep, amendment=first, reason="")
    services.amendment_withdraw(actor=rep, amendment=first, reason="客户放弃")
    second = services.amendment_create(
        actor=rep, contract=signed, reason="r", clauses={"other_clauses": "b"}
    )
    services.amendment_submit(actor=rep, amendment=second, today=TODAY)
    services.contract_terminate(actor=management, contract=signed, reason="客户违约", on=TODAY)
    assert list(Amendment.objects.order_by("seq").values_list("status", flat=True)) == [
        "withdrawn",
        "withdrawn",
    ]
    assert not clocks_for(second).filter(status="running").exists()


def test_an_amendment_that_settles_the_rest_completes_the_contract(signed, rep, legal):
    deliver(signed, rep, 4)
    services.payment_record(
        actor=rep, contract=signed, received_on=TODAY, amount="152000.00", today=TODAY
    )
    line = signed.lines.get()
    amendment = services.amendment_create(
        actor=rep,
        contract=signed,
        reason="其余取消",
        line_changes=[{"line": line.pk, "quantity": 4}],
    )
    _through(amendment, rep, legal)
    signed.refresh_from_db()
    assert signed.status == "completed"
