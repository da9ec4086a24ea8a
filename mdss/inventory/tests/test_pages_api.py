"""The inventory's pages and API: an engineer requests, the warehouse sees the
countdown and issues; lists cost a fixed number of queries."""

from mdss.core.testing import assert_fixed_queries
from mdss.inventory import services
from mdss.inventory.models import Requisition

from .conftest import TODAY


def test_an_engineer_requests_and_the_warehouse_issues_in_the_pages(
    client, stocked, central, shelf, engineer, warehouse, reference_data
):
    client.force_login(engineer)
    form = client.get("/inventory/requisitions/new/")
    assert form.status_code == 200 and 'value="SP-1001"' in form.content.decode()
    refused = client.post(
        "/inventory/requisitions/new/",
        {"warehouse": central.pk, "need_by": TODAY.isoformat(), "lines.1.part": "NO-SUCH"},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["lines.1.part"]
    assert not Requisition.objects.exists()
    response = client.post(
        "/inventory/requisitions/new/",
        {
            "warehouse": central.pk,
            "need_by": "2099-01-01",
            "service_reference": "FW-1",
            "lines.1.part": "SP-1001",
            "lines.1.quantity": "2",
        },
    )
    requisition = Requisition.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/inventory/requisitions/{requisition.pk}/"
    )
    client.force_login(warehouse)
    queue = client.get("/inventory/requisitions/").content.decode()
    assert requisition.number in queue and 'data-testid="countdown"' in queue
    page = client.get(f"/inventory/requisitions/{requisition.pk}/").content.decode()
    assert 'data-testid="issue-form"' in page
    issued = client.post(
        f"/inventory/requisitions/{requisition.pk}/",
        {
            "action": "issue",
            "issue-lines.1.quantity": "2",
            "issue-lines.1.from_location": shelf.pk,
            "issue-lines.1.lot": "",
            "issue-lines.1.part": "",
        },
    )
    assert issued.status_code == 302
    requisition.refresh_from_db()
    assert requisition.status == "issued"
    assert services.ledger.available(stocked, shelf) == 8


def test_issuing_more_than_on_hand_shows_the_rule_on_the_page(
    client, requested, shelf, warehouse, stocked
):
    services.stock_scrap(actor=warehouse, part=stocked, location=shelf, quantity=9, reason="过期")
    client.force_login(warehouse)
    response = client.post(
        f"/inventory/requisitions/{requested.pk}/",
        {"action": "issue", "issue-lines.1.quantity": "3", "issue-lines.1.from_location": shelf.pk},
    )
    assert response.status_code == 200
    assert "1" in str(response.context["forms"]["issue"].errors["lines.1.quantity"])


def test_parts_list_and_part_page_show_stock_and_ledger(client, stocked, shelf, engineer, rep):
    client.force_login(engineer)
    listing = client.get("/inventory/", {"q": "探头"}).content.decode()
    assert "SP-1001" in listing and "10 个" in listing
    page = client.get(f"/inventory/parts/{stocked.pk}/").content.decode()
    assert 'data-testid="ledger"' in page and "CG-1" in page
    assert 'data-testid="receive-form"' not in page  # engineers do not receive stock
    client.force_login(rep)
    assert client.get("/inventory/").status_code == 403


def test_the_keeper_receives_on_the_part_page(client, sensor, shelf, warehouse):
    client.force_login(warehouse)
    response = client.post(
        f"/inventory/parts/{sensor.pk}/",
        {
            "action": "receive",
            "receive-location": shelf.pk,
            "receive-quantity": "4",
            "receive-reference": "CG-9",
        },
    )
    assert response.status_code == 302
    assert services.ledger.available(sensor, shelf) == 4


def test_the_queue_costs_the_same_with_more_requisitions(
    client, requested, stocked, central, engineer, warehouse
):
    client.force_login(warehouse)

    def grow():
        for _ in range(3):
            services.requisition_submit(
                actor=engineer, warehouse=central, lines=[(stocked, 1)], need_by=TODAY, today=TODAY
            )

    assert_fixed_queries(client, ["/inventory/requisitions/", "/inventory/"], grow)


def test_the_api_requests_issues_and_refuses_with_the_quantity_available(
    api_client, stocked, central, shelf, engineer, warehouse, reference_data
):
    api = api_client.as_user(engineer)
    created = api.post(
        "/api/v1/inventory/requisitions",
        {
            "warehouse_id": central.pk,
            "need_by": "2099-01-01",
            "lines": [{"part_id": stocked.pk, "quantity": 12}],
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "submitted" and body["due_at"]
    api_client.as_user(warehouse)
    line = body["lines"][0]["id"]
    refused = api_client.post(
        f"/api/v1/inventory/requisitions/{body['id']}/issue",
        {"lines": [{"line_id": line, "quantity": 12, "from_location_id": shelf.pk}]},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["rule"] == "insufficient"
    ok = api_client.post(
        f"/api/v1/inventory/requisitions/{body['id']}/issue",
        {"lines": [{"line_id": line, "quantity": 10, "from_location_id": shelf.pk}]},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "partly_issued"
    stock = api_client.get("/api/v1/inventory/stock", {"part": stocked.pk}).json()["items"]
    assert stock == []  # all ten issued
    moves = api_client.get("/api/v1/inventory/moves", {"part": stocked.pk}).json()["items"]
    assert [m["kind"] for m in moves] == ["issue", "receipt"]
    parts = api_client.get("/api/v1/inventory/parts", {"search": "SP-1001"}).json()["items"]
    assert parts[0]["on_hand"] == 0
    assert api_client.get("/api/v1/inventory/parts", {"sort": "colour"}).status_code == 422
