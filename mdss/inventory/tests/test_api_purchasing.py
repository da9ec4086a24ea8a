"""The purchasing and count API: an order to a supplier with an expired paper is
refused naming it; an approved order is received with a rejection; a count is
entered, submitted and approved by a second person."""

from datetime import date

from mdss.core.dates import local_today
from mdss.inventory import services


def test_an_order_is_refused_for_an_expired_paper_and_received_once_approved(
    api_client, supplier, central, shelf, sensor, warehouse, management, quality
):
    api = api_client.as_user(warehouse)
    body = {
        "supplier_id": supplier.pk,
        "warehouse_id": central.pk,
        "quality_standard": "国标",
        "lines": [
            {
                "part_id": sensor.pk,
                "specification": "成人",
                "quantity": 5,
                "unit_price": "300",
                "delivery_date": "2028-02-01",
            }
        ],
    }
    lapsed = services.supplier_create(actor=quality, name="协议过期的供应商")
    for kind in ("business_licence", "operating_licence", "authorisation"):
        services.supplier_document_add(
            actor=quality, supplier=lapsed, kind=kind, number="1", valid_until=date(2030, 1, 1)
        )
    services.supplier_document_add(
        actor=quality,
        supplier=lapsed,
        kind="quality_agreement",
        number="QA",
        valid_until=date(2026, 10, 1),
    )
    refused = api.post("/api/v1/inventory/purchase-orders", {**body, "supplier_id": lapsed.pk})
    assert refused.status_code == 422
    assert [(e["field"], e["rule"]) for e in refused.json()["errors"]] == [
        ("supplier", "quality_agreement_expired")
    ]
    assert "2026-10-01" in refused.json()["errors"][0]["message"]
    created = api.post("/api/v1/inventory/purchase-orders", body)
    assert created.status_code == 201, created.json()
    order = created.json()
    assert api.post(f"/api/v1/inventory/purchase-orders/{order['id']}/approve").status_code == 403
    api_client.as_user(management)
    approved = api_client.post(f"/api/v1/inventory/purchase-orders/{order['id']}/approve")
    assert approved.json()["status"] == "approved"
    api_client.as_user(warehouse)
    received = api_client.post(
        f"/api/v1/inventory/purchase-orders/{order['id']}/receive",
        {
            "line_id": order["lines"][0]["id"],
            "arrived": 5,
            "accepted": 4,
            "location_id": shelf.pk,
            "received_on": str(local_today()),
            "rejection_reason": "破损",
        },
    )
    assert received.status_code == 200, received.json()
    assert received.json()["lines"][0]["accepted"] == 4
    detail = api_client.get(f"/api/v1/inventory/suppliers/{supplier.pk}").json()
    assert detail["gate"]["ok"] and detail["evaluation"]["deliveries"] == 1
    assert len(detail["documents"]) == 4


def test_a_count_through_the_api(api_client, stocked, central, warehouse, service_manager):
    api = api_client.as_user(warehouse)
    count = api.post("/api/v1/inventory/counts", {"warehouse_id": central.pk})
    assert count.status_code == 201, count.json()
    count = count.json()
    line = count["lines"][0]
    entered = api.post(
        f"/api/v1/inventory/counts/{count['id']}/enter",
        {"lines": [{"line_id": line["id"], "counted": 9}]},
    ).json()
    assert entered["lines"][0]["variance"] == -1
    assert (
        api.post(f"/api/v1/inventory/counts/{count['id']}/submit").json()["status"] == "submitted"
    )
    assert (
        api.post(f"/api/v1/inventory/counts/{count['id']}/approve", {"reason": "x"}).status_code
        == 403
    )
    api_client.as_user(service_manager)
    approved = api_client.post(
        f"/api/v1/inventory/counts/{count['id']}/approve", {"reason": "盘亏"}
    )
    assert approved.json()["status"] == "approved"
    assert services.ledger.available(stocked, central.locations.get(code="A-01")) == 9


def test_suppliers_are_kept_by_the_warehouse_and_quality(api_client, quality, engineer):
    api = api_client.as_user(quality)
    created = api.post("/api/v1/inventory/suppliers", {"name": "杭州备件有限公司"})
    assert created.status_code == 201
    supplier = created.json()
    assert not supplier["gate"]["ok"] and len(supplier["gate"]["reasons"]) == 4
    doc = api.post(
        f"/api/v1/inventory/suppliers/{supplier['id']}/documents",
        {"kind": "business_licence", "number": "91330000", "valid_until": str(date(2030, 1, 1))},
    )
    assert doc.status_code == 201 and len(doc.json()["gate"]["reasons"]) == 3
    blocked = api.post(
        f"/api/v1/inventory/suppliers/{supplier['id']}/status",
        {"decision": "blocked", "reason": "假冒"},
    )
    assert blocked.json()["status"] == "blocked"
    api_client.as_user(engineer)
    assert api_client.get("/api/v1/inventory/suppliers").status_code == 403
