"""The purchasing and count pages: a supplier's gate shown, an order drafted,
approved and received in the pages; a count entered, submitted and approved."""

from mdss.core.dates import local_today
from mdss.inventory import services
from mdss.inventory.models import PurchaseOrder, StockCount


def test_an_order_from_draft_to_receipt_in_the_pages(
    client, supplier, central, shelf, sensor, warehouse, management
):
    client.force_login(warehouse)
    page = client.get(f"/inventory/suppliers/{supplier.pk}/").content.decode()
    assert 'class="alert alert-success small" data-testid="gate"' in page
    refused = client.post(
        "/inventory/orders/new/",
        {
            "supplier": supplier.pk,
            "warehouse": central.pk,
            "quality_standard": "",
            "lines.1.part": "SP-1001",
        },
    )
    assert refused.status_code == 200 and not PurchaseOrder.objects.exists()
    created = client.post(
        "/inventory/orders/new/",
        {
            "supplier": supplier.pk,
            "warehouse": central.pk,
            "quality_standard": "国标",
            "lines.1.part": "SP-1001",
            "lines.1.specification": "成人",
            "lines.1.quantity": "6",
            "lines.1.unit_price": "300",
            "lines.1.delivery_date": "2099-01-01",
        },
    )
    order = PurchaseOrder.objects.get()
    assert created.status_code == 302
    client.force_login(management)
    assert client.post(f"/inventory/orders/{order.pk}/", {"action": "approve"}).status_code == 302
    client.force_login(warehouse)
    received = client.post(
        f"/inventory/orders/{order.pk}/",
        {
            "action": "receive",
            "receive-line": order.lines.get().pk,
            "receive-arrived": "6",
            "receive-accepted": "6",
            "receive-location": shelf.pk,
            "receive-received_on": local_today().isoformat(),
        },
    )
    assert received.status_code == 302, received.context["forms"]["receive"].errors
    order.refresh_from_db()
    assert order.status == "received" and services.ledger.available(sensor, shelf) == 6


def test_a_count_entered_and_approved_in_the_pages(
    client, stocked, central, shelf, warehouse, service_manager
):
    client.force_login(warehouse)
    assert client.post("/inventory/counts/", {"warehouse": central.pk}).status_code == 302
    count = StockCount.objects.get()
    line = count.lines.get()
    client.post(f"/inventory/counts/{count.pk}/", {"action": "submit", f"counted-{line.pk}": "11"})
    count.refresh_from_db()
    assert count.status == "submitted"
    page = client.get(f"/inventory/counts/{count.pk}/").content.decode()
    assert 'data-testid="approve-form"' not in page  # not the one who started it
    client.force_login(service_manager)
    client.post(f"/inventory/counts/{count.pk}/", {"action": "approve", "approve-reason": "盘盈"})
    count.refresh_from_db()
    assert count.status == "approved" and services.ledger.available(stocked, shelf) == 11
