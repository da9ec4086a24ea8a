"""A draft's terms are changed on their own page and through the API, audited, and
only while it is a draft, by the sales team."""

from mdss.audit.models import AuditEvent
from mdss.contracts.models import Contract
from mdss.contracts.tests.conftest import review_and_sign


def test_the_terms_page_saves_what_changed_and_audits_it(client, rep, draft):
    client.force_login(rep)
    page = client.get(f"/contracts/{draft.pk}/")
    assert f'href="/contracts/{draft.pk}/terms/"' in page.content.decode()
    form = client.get(f"/contracts/{draft.pk}/terms/")
    assert form.status_code == 200
    response = client.post(
        f"/contracts/{draft.pk}/terms/",
        {
            "kind": "purchase",
            "delivery_place": "杭州市上城区解放路 88 号 三号楼",
            "delivery_deadline": "2027-01-15",
            "quality_standard": draft.quality_standard,
            "after_sales_terms": draft.after_sales_terms,
            "warranty_months": "24",
            "tax_rate": str(draft.tax_rate),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"].endswith("?tab=terms")
    stored = Contract.objects.get(pk=draft.pk)
    assert (stored.delivery_place, stored.warranty_months) == (
        "杭州市上城区解放路 88 号 三号楼",
        24,
    )
    event = AuditEvent.objects.filter(action="contracts.terms_changed").get()
    assert set(event.changes) == {"delivery_place", "warranty_months"}


def test_a_bad_term_is_named_on_the_page_and_nothing_is_written(client, rep, draft):
    client.force_login(rep)
    response = client.post(
        f"/contracts/{draft.pk}/terms/",
        {"kind": "purchase", "delivery_place": "x", "warranty_months": "999", "tax_rate": "13"},
    )
    assert response.status_code == 200
    assert "warranty_months" in response.context["form"].errors
    assert Contract.objects.get(pk=draft.pk).delivery_place == draft.delivery_place


def test_only_the_sales_team_changes_a_draft_s_terms(client, draft, legal, other_rep):
    client.force_login(legal)
    assert client.get(f"/contracts/{draft.pk}/terms/").status_code == 403
    client.force_login(other_rep)
    assert client.get(f"/contracts/{draft.pk}/terms/").status_code == 404


def test_the_terms_of_a_signed_contract_change_only_by_amendment(client, rep, legal, draft):
    signed = review_and_sign(draft, rep, legal)
    client.force_login(rep)
    page = client.get(f"/contracts/{signed.pk}/").content.decode()
    assert 'data-testid="edit-terms"' not in page
    response = client.post(
        f"/contracts/{signed.pk}/terms/",
        {"kind": "purchase", "delivery_place": "改", "warranty_months": "12", "tax_rate": "13"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Contract.objects.get(pk=signed.pk).delivery_place == draft.delivery_place


def test_the_api_changes_the_terms_it_is_given(api_client, rep, draft):
    api = api_client.as_user(rep)
    response = api.patch(f"/api/v1/contracts/{draft.pk}", {"delivery_place": "三号楼"})
    assert response.status_code == 200, response.json()
    assert response.json()["delivery_place"] == "三号楼"
    stored = Contract.objects.get(pk=draft.pk)
    assert (stored.delivery_place, stored.quality_standard) == ("三号楼", draft.quality_standard)
    refused = api.patch(f"/api/v1/contracts/{draft.pk}", {"warranty_months": 999})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "warranty_months"
