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


# --- the buttons come from the rules ---------------------------------------------


def test_the_allowed_actions_follow_the_status_and_the_role(draft, rep, legal, management):
    from mdss.contracts.actions import contract_actions_for

    assert contract_actions_for(rep, draft) == ["edit", "submit", "cancel"]
    assert contract_actions_for(legal, draft) == []
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    draft.refresh_from_db()
    assert contract_actions_for(legal, draft) == ["approve", "return"]
    assert contract_actions_for(rep, draft) == ["cancel"]
    services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    draft.refresh_from_db()
    assert contract_actions_for(rep, draft) == ["sign", "cancel"]
    assert contract_actions_for(legal, draft) == ["return"]
    assert contract_actions_for(management, draft) == []


def test_a_signed_contract_offers_performance_and_one_amendment_at_a_time(
    signed, rep, legal, management
):
    from mdss.contracts.actions import contract_actions_for

    assert contract_actions_for(rep, signed) == [
        "deliver",
        "confirm_receipt",
        "pay",
        "raise_problem",
        "amend",
    ]
    assert contract_actions_for(management, signed) == ["raise_problem", "terminate"]
    assert contract_actions_for(legal, signed) == []
    _attempts(signed)["amendment"](rep)
    assert "amend" not in contract_actions_for(rep, signed)


def test_the_page_shows_only_the_allowed_forms_and_each_action_has_its_endpoint(
    client, draft, rep, legal
):
    client.force_login(legal)
    page = client.get(f"/contracts/{draft.pk}/")
    assert page.context["actions"] == [] and page.context["forms"] == {}
    assert f'action="/contracts/{draft.pk}/submit/"' not in page.content.decode()
    # Legal sees the draft but its role may not edit it: 403, nothing written.
    refused = client.post(f"/contracts/{draft.pk}/lines/", {"line-quantity": 1})
    assert refused.status_code == 403 and draft.lines.count() == 1
    assert client.get(f"/contracts/{draft.pk}/submit/").status_code == 405
    client.force_login(rep)
    page = client.get(f"/contracts/{draft.pk}/").content.decode()
    assert f'action="/contracts/{draft.pk}/submit/"' in page
    assert f'action="/contracts/{draft.pk}/cancel/"' in page


def test_the_api_detail_lists_the_allowed_actions(api_client, draft, rep, legal):
    response = api_client.as_user(rep).get(f"/api/v1/contracts/{draft.pk}")
    assert response.json()["allowed_actions"] == ["edit", "submit", "cancel"]
    response = api_client.as_user(legal).get(f"/api/v1/contracts/{draft.pk}")
    assert response.json()["allowed_actions"] == []
