"""Amendment, receipt and inbox pages."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from mdss.contracts import services
from mdss.contracts.models import Amendment
from mdss.contracts.tests.conftest import PASSWORD, TODAY, deliver
from mdss.core.testing import assert_fixed_queries


def _form(contract, **changes):
    """The amendment form as a browser posts it: the terms in force, some changed."""
    line = contract.lines.get()
    data = {
        "reason": "追加 2 台",
        "clauses.kind": contract.kind,
        "clauses.delivery_place": contract.delivery_place,
        "clauses.delivery_deadline": contract.delivery_deadline.isoformat(),
        "clauses.payment_terms": contract.payment_terms,
        "clauses.quality_standard": contract.quality_standard,
        "clauses.after_sales_terms": contract.after_sales_terms,
        "clauses.warranty_months": contract.warranty_months,
        "clauses.other_clauses": contract.other_clauses,
        "clauses.tax_rate": contract.tax_rate,
        "line_changes.1.quantity": line.quantity,
        "line_changes.1.unit_price": line.unit_price,
        "line_changes.1.adjustment": "",
        "instalments": "",
    }
    data.update(changes)
    return data


def test_a_rep_amends_a_signed_contract_in_the_pages(client, signed, rep, legal, monitor):
    client.force_login(rep)
    page = client.get(f"/contracts/{signed.pk}/")
    assert "amend" in page.context["actions"]
    form = client.get(f"/contracts/{signed.pk}/amend/")
    assert form.status_code == 200
    refused = client.post(
        f"/contracts/{signed.pk}/amend/",
        _form(
            signed,
            **{
                "new_lines.2.model": monitor.pk,
                "new_lines.2.quantity": "",
                "new_lines.2.unit_price": "1",
            },
        ),
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["new_lines.2.quantity"]
    assert not Amendment.objects.exists()
    response = client.post(
        f"/contracts/{signed.pk}/amend/", _form(signed, **{"line_changes.1.quantity": 12})
    )
    amendment = Amendment.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/contracts/amendments/{amendment.pk}/"
    )
    assert amendment.line_changes[0]["quantity"] == 12 and amendment.clauses == {}
    detail = client.get(f"/contracts/amendments/{amendment.pk}/")
    assert detail.context["total_after"] == 456000
    client.post(f"/contracts/amendments/{amendment.pk}/submit/")
    client.force_login(legal)
    inbox = client.get("/contracts/review/")
    assert [a.pk for a in inbox.context["amendments"]] == [amendment.pk]
    assert inbox.context["amendments"][0].clock is not None
    client.post(
        f"/contracts/amendments/{amendment.pk}/approve/",
        {"approve-password": PASSWORD, "approve-comment": "同意"},
    )
    client.force_login(rep)
    client.post(
        f"/contracts/amendments/{amendment.pk}/sign/",
        {
            "sign-signed_on": TODAY.isoformat(),
            "sign-scan": SimpleUploadedFile("bg.pdf", b"%PDF-1.4"),
        },
    )
    amendment.refresh_from_db()
    signed.refresh_from_db()
    assert amendment.status == "effective" and signed.lines.get().quantity == 12
    timeline = [str(e.label) for e in client.get(f"/contracts/{signed.pk}/").context["events"]]
    assert "变更已签订：新条款生效" in timeline


def test_an_added_product_is_picked_by_type_ahead_not_a_drop_down(client, signed, rep, monitor):
    client.force_login(rep)
    page = client.get(f"/contracts/{signed.pk}/amend/").content.decode()
    assert page.count('data-testid="product-picker"') == 3  # one per row to add
    assert f'hx-get="/contracts/products/?contract={signed.pk}"' in page
    assert '<select name="new_lines.1.model"' not in page
    assert 'type="hidden" name="new_lines.1.model"' in page
    # A refused form shows the product chosen, with its list price for the deviation.
    refused = client.post(
        f"/contracts/{signed.pk}/amend/",
        _form(signed, **{"new_lines.1.model": monitor.pk, "new_lines.1.quantity": ""}),
    ).content.decode()
    row = refused[refused.index('data-testid="new-line"') :]
    row = row[: row.index("</tr>")]
    assert str(monitor) in row and 'data-list-price="38000.00"' in row
    matches = client.get(f"/contracts/products/?contract={signed.pk}&q={monitor.code}")
    assert (
        matches.status_code == 200 and f'data-pick-model="{monitor.pk}"' in matches.content.decode()
    )


def test_the_amendment_page_costs_fixed_queries(client, signed, rep, monitor):
    line = signed.lines.get()
    amendment = services.amendment_create(
        actor=rep,
        contract=signed,
        reason="r",
        line_changes=[{"line": line.pk, "quantity": 11}],
        new_lines=[{"model": monitor.pk, "quantity": 1, "unit_price": "38000"}],
    )
    client.force_login(rep)

    assert_fixed_queries(
        client,
        [f"/contracts/amendments/{amendment.pk}/"],
        lambda: services.amendment_update(
            actor=rep,
            amendment=amendment,
            reason="r",
            line_changes=[{"line": line.pk, "quantity": 11}],
            new_lines=[{"model": monitor.pk, "quantity": 1, "unit_price": "38000"}] * 4,
        ),
    )


def test_receipt_is_confirmed_from_the_contract_page(client, signed, rep, other_rep):
    delivery = deliver(signed, rep, 2, on=TODAY - timedelta(days=1))
    client.force_login(rep)
    page = client.get(f"/contracts/{signed.pk}/").content.decode()
    assert "确认签收" in page
    refused = client.post(
        f"/contracts/deliveries/{delivery.pk}/receipt/",
        {f"receipt{delivery.pk}-received_on": TODAY.isoformat()},
    )
    # Refused: the page again, the rule next to the missing name, nothing written.
    assert refused.status_code == 200
    assert refused.context["deliveries"][0].receipt_form.errors["received_by"]
    delivery.refresh_from_db()
    assert delivery.received_on is None
    client.post(
        f"/contracts/deliveries/{delivery.pk}/receipt/",
        {
            f"receipt{delivery.pk}-received_on": TODAY.isoformat(),
            f"receipt{delivery.pk}-received_by": "设备科 张科长",
        },
    )
    delivery.refresh_from_db()
    assert delivery.received_by == "设备科 张科长"
    client.force_login(other_rep)
    assert client.get(f"/contracts/deliveries/{delivery.pk}/note.pdf").status_code == 404
