from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.audit.testing import assert_audited
from mdss.calendars.models import SlaClock
from mdss.contracts import services
from mdss.contracts.models import Contract
from mdss.contracts.tests.conftest import CLAUSES, PASSWORD, TODAY
from mdss.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from mdss.pricing.services import adjustments


def _rules(exc):
    return {(e.field, e.rule) for e in exc.value.errors}


def _scan():
    return SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed")


def _through_legal(contract, rep, legal):
    services.contract_submit(actor=rep, contract=contract, today=TODAY)
    return services.legal_approve(
        actor=legal, contract=contract, password=PASSWORD, comment="条款齐全"
    )


@pytest.mark.parametrize("clause", list(CLAUSES))
def test_each_missing_clause_stops_the_submission(rep, hospital, monitor, authorised, clause):
    contract = services.contract_create(
        actor=rep, customer_id=hospital.pk, **{k: v for k, v in CLAUSES.items() if k != clause}
    )
    services.line_add(
        actor=rep, contract=contract, model=monitor, quantity=1, unit_price=Decimal("38000")
    )
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=contract, today=TODAY)
    assert _rules(exc) == {(clause, "required")}
    contract.refresh_from_db()
    assert contract.status == "draft"


def test_a_contract_without_products_lists_every_missing_item(rep, hospital):
    contract = services.contract_create(actor=rep, customer_id=hospital.pk)
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=contract, today=TODAY)
    assert {f for f, _r in _rules(exc)} == {"lines", *CLAUSES}


def test_submit_approve_sign_makes_the_customer_existing(draft, rep, legal, hospital):
    contract = services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert contract.status == "in_review" and contract.number.startswith("HT-2026-")
    clock = SlaClock.objects.get(object_id=str(contract.pk), target__code="contract.legal_review")
    assert clock.status == "running"
    contract = services.legal_approve(
        actor=legal, contract=contract, password=PASSWORD, comment="同意"
    )
    clock.refresh_from_db()
    assert clock.status == "met"
    assert contract.legal_signature.signer == legal
    contract = services.contract_sign(
        actor=rep,
        contract=contract,
        signed_on=TODAY,
        customer_signed_on=TODAY,
        scan=_scan(),
        today=TODAY,
    )
    assert contract.status == "signed"
    hospital.refresh_from_db()
    assert (hospital.status, hospital.became_existing_on) == ("existing", TODAY)
    for action in ("contracts.submitted", "contracts.legal_approved", "contracts.signed"):
        assert_audited(action, contract)


def test_only_legal_reviews_and_a_return_needs_comments(draft, rep, sales_manager, legal):
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.legal_approve(actor=sales_manager, contract=draft, password=PASSWORD)
    with pytest.raises(ValidationFailed):
        services.legal_return(actor=legal, contract=draft, comment=" ")
    with pytest.raises(ValidationFailed) as exc:
        services.legal_approve(actor=legal, contract=draft, password="wrong")
    assert ("password", "esign_password") in _rules(exc)
    contract = services.legal_return(actor=legal, contract=draft, comment="交货地点请写明科室")
    assert (contract.status, contract.legal_comment) == ("draft", "交货地点请写明科室")
    services.contract_update(
        actor=rep, contract=contract, delivery_place="杭州市解放路 88 号 设备科 3 楼"
    )
    assert services.contract_submit(actor=rep, contract=contract, today=TODAY).status == "in_review"


def test_terms_are_frozen_after_submission_and_refused_transitions_say_so(draft, rep, legal):
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    with pytest.raises(InvalidTransition):
        services.contract_update(actor=rep, contract=draft, delivery_place="别处")
    with pytest.raises(InvalidTransition):
        services.contract_sign(
            actor=rep,
            contract=draft,
            signed_on=TODAY,
            customer_signed_on=TODAY,
            scan=_scan(),
            today=TODAY,
        )
    with pytest.raises(InvalidTransition):
        services.contract_submit(actor=rep, contract=draft, today=TODAY)


def test_a_certificate_expired_on_the_signing_date_stops_the_signature(draft, rep, legal, monitor):
    from mdss.contracts.tests.conftest import expire_certificate

    contract = _through_legal(draft, rep, legal)
    expire_certificate(monitor, TODAY - timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        services.contract_sign(
            actor=rep,
            contract=contract,
            signed_on=TODAY,
            customer_signed_on=TODAY,
            scan=_scan(),
            today=TODAY,
        )
    assert ("lines.1.model", "certificate_expired") in _rules(exc)
    assert "注册证" in exc.value.errors[0].message
    contract.refresh_from_db()
    assert contract.status == "approved"


def test_a_customer_without_a_valid_licence_cannot_buy(draft, rep, hospital):
    hospital.qualifications.all().audited_update(valid_until=TODAY - timedelta(days=3))
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert _rules(exc) == {("lines.1.model", "qualification_expired")}


def test_an_unauthorised_rep_cannot_sell_there(draft, rep, authorised):
    authorised.categories_covered = ["14"]
    authorised.save()
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert _rules(exc) == {("lines.1.model", "model_not_covered")}


def _adjustment(rep, sales_manager, customer, model, quantity=10, price="35500", approve=True):
    a = adjustments.adjustment_create(
        actor=rep,
        customer_id=customer.pk,
        model=model,
        quantity=quantity,
        requested_price=Decimal(price),
        reason="批量采购",
        today=TODAY,
    )
    adjustments.adjustment_submit(adjustment=a, actor=rep)
    if approve:
        adjustments.adjustment_approve(
            adjustment=a, actor=sales_manager, password=PASSWORD, today=TODAY
        )
    a.refresh_from_db()
    return a


def test_a_price_below_list_needs_an_approved_request_for_this_deal(
    draft, rep, sales_manager, hospital, monitor
):
    line = draft.lines.get()
    services.line_update(actor=rep, line=line, unit_price=Decimal("35500"))
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert _rules(exc) == {("lines.1.unit_price", "off_list")}
    pending = _adjustment(rep, sales_manager, hospital, monitor, approve=False)
    services.line_update(actor=rep, line=line, adjustment=pending)
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert _rules(exc) == {("lines.1.unit_price", "adjustment_not_approved")}
    approved = _adjustment(rep, sales_manager, hospital, monitor)
    services.line_update(actor=rep, line=line, adjustment=approved)
    assert services.contract_submit(actor=rep, contract=draft, today=TODAY).status == "in_review"


def test_an_expired_or_other_customers_request_is_refused(
    draft, rep, sales_manager, monitor, hospital
):
    from mdss.customers.tests.factories import CustomerFactory, QualificationFactory

    other = CustomerFactory(owner=rep, region=hospital.region)
    QualificationFactory(customer=other)
    theirs = _adjustment(rep, sales_manager, other, monitor)
    line = draft.lines.get()
    services.line_update(actor=rep, line=line, unit_price=Decimal("35500"), adjustment=theirs)
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert _rules(exc) == {("lines.1.unit_price", "adjustment_other_deal")}
    mine = _adjustment(rep, sales_manager, hospital, monitor)
    services.line_update(actor=rep, line=line, adjustment=mine)
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(
            actor=rep, contract=draft, today=mine.valid_until + timedelta(days=1)
        )
    assert ("lines.1.unit_price", "adjustment_expired") in _rules(exc)


def test_a_request_quantity_cannot_be_used_twice_across_contracts(
    draft, rep, sales_manager, hospital, monitor
):
    approved = _adjustment(rep, sales_manager, hospital, monitor, quantity=12)
    line = draft.lines.get()
    services.line_update(actor=rep, line=line, unit_price=Decimal("35500"), adjustment=approved)
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    second = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    services.line_add(
        actor=rep,
        contract=second,
        model=monitor,
        quantity=5,
        unit_price=Decimal("35500"),
        adjustment=approved,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=second, today=TODAY)
    assert _rules(exc) == {("lines.1.unit_price", "adjustment_quantity")}
    assert "12" in exc.value.errors[0].message and "15" in exc.value.errors[0].message


def test_another_rep_cannot_see_or_draft_for_the_customer(draft, other_rep, hospital):
    with pytest.raises(NotFound):
        services.contract_update(actor=other_rep, contract=draft, delivery_place="x")
    from django.http import Http404

    with pytest.raises(Http404):
        services.contract_create(actor=other_rep, customer_id=hospital.pk)
    from mdss.contracts.selectors import contract_list_for_user

    assert list(contract_list_for_user(other_rep)) == []


def test_management_terminates_with_a_reason(draft, rep, legal, management):
    contract = _through_legal(draft, rep, legal)
    contract = services.contract_sign(
        actor=rep,
        contract=contract,
        signed_on=TODAY,
        customer_signed_on=TODAY,
        scan=_scan(),
        today=TODAY,
    )
    with pytest.raises(PermissionDenied):
        services.contract_terminate(actor=rep, contract=contract, reason="客户撤销", on=TODAY)
    contract = services.contract_terminate(
        actor=management, contract=contract, reason="客户预算取消", on=TODAY
    )
    assert (contract.status, contract.terminated_on) == ("terminated", TODAY)
    assert_audited("contracts.terminated", contract, actor=management)


def test_signed_contracts_feed_the_customers_purchase_history(draft, rep, legal, hospital):
    from mdss.customers import purchases

    contract = _through_legal(draft, rep, legal)
    services.contract_sign(
        actor=rep,
        contract=contract,
        signed_on=TODAY,
        customer_signed_on=TODAY,
        scan=_scan(),
        today=TODAY,
    )
    history = purchases.history(hospital)
    assert [(p.reference, p.amount) for p in history.purchases] == [
        (contract.number, Decimal("380000.00"))
    ]
    assert purchases.amounts([hospital.pk], date(2026, 1, 1), TODAY) == {
        hospital.pk: Decimal("380000.00")
    }
    assert Contract.objects.get(pk=contract.pk).status == "signed"


def test_each_review_goes_to_the_least_loaded_legal_reviewer(
    rep, legal, hospital, monitor, authorised
):
    from mdss.accounts import roles
    from mdss.accounts.tests.factories import UserFactory
    from mdss.calendars.selectors import clocks_for
    from mdss.notifications.models import Notification

    second = UserFactory(username="legal-2", roles=[roles.LEGAL])
    made = []
    for _ in range(3):
        contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
        services.line_add(
            actor=rep, contract=contract, model=monitor, quantity=1, unit_price=Decimal("38000")
        )
        services.contract_submit(actor=rep, contract=contract, today=TODAY)
        made.append(clocks_for(contract).get().responsible)
    # One each, then the first again (equal load: the longest in the team).
    assert made == [legal, second, legal]
    assert Notification.objects.filter(kind="contracts.review", recipient=legal).count() == 4
    assert Notification.objects.filter(kind="contracts.review", recipient=second).count() == 2


def test_annexes_are_part_of_what_legal_signs(client, draft, rep, legal, other_rep):
    from mdss.contracts.models import Attachment

    spec = SimpleUploadedFile("参数.pdf", b"%PDF-1.4 technical specification")
    with pytest.raises(ValidationFailed):
        services.attachment_add(actor=rep, contract=draft, title=" ", file=spec)
    annex = services.attachment_add(actor=rep, contract=draft, title="技术参数", file=spec)
    assert len(annex.sha256) == 64
    assert_audited("contracts.attachment_added", draft, actor=rep)
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    with pytest.raises(InvalidTransition):
        services.attachment_add(
            actor=rep, contract=draft, title="x", file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")
        )
    services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    # A file swapped behind the application's back breaks legal's signature.
    Attachment.objects.filter(pk=annex.pk).update(sha256="0" * 64)
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
    client.force_login(rep)
    response = client.get(f"/contracts/{draft.pk}/files/attachment/{annex.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 technical specification"
    client.force_login(other_rep)
    assert client.get(f"/contracts/{draft.pk}/files/attachment/{annex.pk}/").status_code == 404


def test_a_contract_is_not_signed_before_legal_approved_it(draft, rep, legal):
    from datetime import timedelta

    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    with pytest.raises(ValidationFailed) as exc:
        services.contract_sign(
            actor=rep,
            contract=draft,
            signed_on=TODAY - timedelta(days=3),
            customer_signed_on=TODAY,
            scan=_scan(),
            today=TODAY,
        )
    assert {(e.field, e.rule) for e in exc.value.errors} == {("signed_on", "before_approval")}


def test_the_gates_hold_on_the_day_the_signature_is_recorded(draft, rep, legal, monitor):
    """A certificate that expired after the signing date but before the recording day
    stops the recording: a backdated signature does not revive it."""
    from datetime import timedelta

    import time_machine

    from mdss.contracts.tests.conftest import expire_certificate

    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    services.legal_approve(actor=legal, contract=draft, password=PASSWORD)
    later = TODAY + timedelta(days=5)
    expire_certificate(monitor, TODAY + timedelta(days=2))
    with time_machine.travel(later, tick=False), pytest.raises(ValidationFailed) as exc:
        services.contract_sign(
            actor=rep,
            contract=draft,
            signed_on=TODAY,
            customer_signed_on=TODAY,
            scan=_scan(),
            today=later,
        )
    assert "certificate_expired" in {e.rule for e in exc.value.errors}


def test_an_unsigned_contract_is_cancelled_with_a_reason(client, draft, rep, legal):
    from mdss.calendars.selectors import clocks_for

    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    with pytest.raises(ValidationFailed):
        services.contract_cancel(actor=rep, contract=draft, reason=" ")
    with pytest.raises(PermissionDenied):
        services.contract_cancel(actor=legal, contract=draft, reason="法务无权取消")
    client.force_login(rep)
    client.post(f"/contracts/{draft.pk}/cancel/", {"cancel-reason": "医院改为招标采购"})
    draft.refresh_from_db()
    assert (draft.status, draft.cancel_reason) == ("cancelled", "医院改为招标采购")
    assert not clocks_for(draft).filter(status__in=["running", "paused"]).exists()
    assert_audited("contracts.cancelled", draft, actor=rep)
    with pytest.raises(InvalidTransition):
        services.contract_submit(actor=rep, contract=draft, today=TODAY)


def test_a_signed_contract_is_terminated_not_cancelled(signed, rep):
    with pytest.raises(InvalidTransition):
        services.contract_cancel(actor=rep, contract=signed, reason="不要了")


def _request(rep, sales_manager, hospital, model, quantity, price, today=TODAY):
    from mdss.pricing.services import adjustments

    request = adjustments.adjustment_create(
        actor=rep,
        customer_id=hospital.pk,
        model=model,
        quantity=quantity,
        requested_price=price,
        reason="竞争对手报价",
        today=today,
    )
    adjustments.adjustment_submit(adjustment=request, actor=rep)
    return adjustments.adjustment_approve(
        adjustment=request, actor=sales_manager, password=PASSWORD, today=today
    )


def test_a_price_above_list_needs_a_request_too(draft, rep, sales_manager, hospital, monitor):
    """S13 both ways: any deviation from the company's price needs the request."""
    line = draft.lines.get()
    services.line_update(actor=rep, line=line, unit_price=Decimal("39000.00"))
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert _rules(exc) == {("lines.1.unit_price", "off_list")}
    premium = _request(rep, sales_manager, hospital, monitor, 10, "39500.00")
    services.line_update(actor=rep, line=line, adjustment=premium)
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert premium.deviation_display == "+3.95%"


def test_drafts_citing_one_request_do_not_block_each_other(
    draft, rep, sales_manager, hospital, monitor
):
    request = _request(rep, sales_manager, hospital, monitor, 10, "36000.00")
    second = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    for contract in (draft, second):
        line = contract.lines.first() or services.line_add(
            actor=rep, contract=contract, model=monitor, quantity=10, unit_price=Decimal("36000")
        )
        services.line_update(
            actor=rep, line=line, unit_price=Decimal("36000.00"), adjustment=request
        )
    # Neither draft reserves the 10 units: the first submitted takes them.
    services.contract_submit(actor=rep, contract=second, today=TODAY)
    with pytest.raises(ValidationFailed) as exc:
        services.contract_submit(actor=rep, contract=draft, today=TODAY)
    assert ("lines.1.unit_price", "adjustment_quantity") in _rules(exc)
    # Cancelling the submitted one gives the quantity back.
    services.contract_cancel(actor=rep, contract=second, reason="重复录入")
    services.contract_submit(actor=rep, contract=draft, today=TODAY)
