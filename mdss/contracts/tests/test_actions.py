"""Seeing a contract is not acting on it: legal and management see every contract but
record no payment, delivery or signature (services check the action, not only the scope)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.contracts import services
from mdss.contracts.tests.conftest import PASSWORD, TODAY, deliver
from mdss.core.errors import NotFound, PermissionDenied


def _attempts(contract):
    line = contract.lines.get()
    return {
        "payment": lambda actor: services.payment_record(
            actor=actor, contract=contract, received_on=TODAY, amount="100.00", today=TODAY
        ),
        "delivery": lambda actor: deliver(contract, actor, 1, units=["SN-A1"]),
        "problem": lambda actor: services.problem_raise(
            actor=actor, contract=contract, kind="quality", description="包装破损"
        ),
        "amendment": lambda actor: services.amendment_create(
            actor=actor,
            contract=contract,
            reason="加量",
            line_changes=[{"line": line.pk, "quantity": 11}],
        ),
    }


@pytest.mark.parametrize("action", ["payment", "delivery", "amendment"])
def test_legal_and_management_see_but_do_not_record(action, signed, legal, management):
    for actor in (legal, management):
        with pytest.raises(PermissionDenied):
            _attempts(signed)[action](actor)
    assert not signed.payments.exists() and not signed.deliveries.exists()


def test_management_may_raise_a_problem_but_legal_may_not(signed, legal, management):
    with pytest.raises(PermissionDenied):
        _attempts(signed)["problem"](legal)
    assert _attempts(signed)["problem"](management).pk


def test_legal_cannot_sign_what_it_approved(draft, rep, legal):
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        services.contract_sign(
            actor=legal,
            contract=draft,
            signed_on=TODAY,
            customer_signed_on=TODAY,
            scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
            today=TODAY,
        )


def test_legal_cannot_edit_a_draft(draft, legal):
    with pytest.raises(PermissionDenied):
        services.contract_update(actor=legal, contract=draft, delivery_place="别处")


def test_outside_the_scope_is_still_a_404(signed, other_rep):
    from mdss.customers.tests.factories import CustomerFactory

    CustomerFactory(owner=other_rep)
    with pytest.raises(NotFound):
        _attempts(signed)["payment"](other_rep)


def test_the_rep_records_them(signed, rep):
    payment = _attempts(signed)["payment"](rep)
    assert payment.pk
