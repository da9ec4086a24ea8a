import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from mdss.audit.testing import assert_audited
from mdss.contracts import services
from mdss.contracts.tests.conftest import CLAUSES, PASSWORD, TODAY
from mdss.contracts.tests.conftest import deliver as _deliver
from mdss.core.errors import InvalidTransition, NotFound, ValidationFailed
from mdss.devices.models import InstalledDevice


def _rules(exc):
    return {(e.field, e.rule) for e in exc.value.errors}


def test_a_delivery_needs_every_document_for_each_model(signed, rep, monitor):
    with pytest.raises(ValidationFailed) as exc:
        _deliver(signed, rep, 2, documents={monitor.pk: ["ifu", "label"]})
    assert _rules(exc) == {(f"documents.{monitor.pk}", "documents_missing")}
    assert "合格证明" in exc.value.errors[0].message
    assert not signed.deliveries.exists()


def test_a_delivery_creates_the_installed_base_with_warranty(signed, rep, monitor):
    monitor.product.needs_installation = True
    monitor.product.save()
    delivery = _deliver(signed, rep, 2, units=["SN-0001", "SN-0002"])
    assert delivery.number.startswith("FH-2026-")
    devices = InstalledDevice.objects.order_by("serial")
    assert [(d.serial, d.customer_id, d.site) for d in devices] == [
        ("SN-0001", signed.customer_id, "ICU"),
        ("SN-0002", signed.customer_id, "ICU"),
    ]
    assert devices[0].warranty_until == date(2027, 11, 27)  # 12 months from delivery
    signed.refresh_from_db()
    assert signed.status == "in_performance"
    assert_audited("contracts.delivered", signed, actor=rep)
    with pytest.raises(ValidationFailed) as exc:  # the same serial cannot be delivered twice
        _deliver(signed, rep, 1, units=["SN-0001"])
    assert ("items.1.units", "serial_taken") in _rules(exc)


def test_installed_products_need_a_scan_per_unit_and_udis_must_match(signed, rep, monitor):
    from mdss.catalog.models import UdiDeviceIdentifier

    monitor.product.needs_installation = True
    monitor.product.save()
    UdiDeviceIdentifier.objects.create(model=monitor, di="06901234567892")
    with pytest.raises(ValidationFailed) as exc:
        _deliver(signed, rep, 2, units=["SN-1"])
    assert _rules(exc) == {("items.1.units", "scan_each_unit")}
    with pytest.raises(ValidationFailed) as exc:
        _deliver(signed, rep, 1, units=["(01)04012345678901(21)X1"])
    assert ("items.1.units", "udi") in _rules(exc)
    _deliver(signed, rep, 1, units=["(01)06901234567892(10)LOT7(21)SN77"])
    device = InstalledDevice.objects.get()
    assert (device.serial, device.lot, device.di) == ("SN77", "LOT7", "06901234567892")


def test_no_more_than_ordered_is_delivered(signed, rep):
    _deliver(signed, rep, 7)
    with pytest.raises(ValidationFailed) as exc:
        _deliver(signed, rep, 4)
    assert _rules(exc) == {("items.1.quantity", "over_delivery")}
    _deliver(signed, rep, 3)


def test_papers_are_checked_again_on_the_delivery_date(signed, rep, monitor):
    from mdss.contracts.tests.conftest import expire_certificate

    expire_certificate(monitor, TODAY - timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        _deliver(signed, rep, 1)
    assert ("lines.1.model", "certificate_expired") in _rules(exc)
    _deliver(signed, rep, 1, on=TODAY - timedelta(days=2))  # it was valid that day


def test_only_a_signed_contract_is_delivered(draft, rep):
    with pytest.raises(InvalidTransition):
        _deliver(draft, rep, 1)


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_the_last_units_do_not_both_pass(
    reference_data, rep, legal, hospital, monitor, authorised
):
    contract = services.contract_create(actor=rep, customer_id=hospital.pk, **CLAUSES)
    services.line_add(
        actor=rep, contract=contract, model=monitor, quantity=3, unit_price=Decimal("38000")
    )
    services.contract_submit(actor=rep, contract=contract, today=TODAY)
    services.legal_approve(actor=legal, contract=contract, password=PASSWORD)
    services.contract_sign(
        actor=rep,
        contract=contract,
        signed_on=TODAY,
        customer_signed_on=TODAY,
        scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4"),
        today=TODAY,
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def deliver():
        try:
            barrier.wait()
            _deliver(contract, rep, 3)
            outcomes.append("delivered")
        except ValidationFailed as exc:
            outcomes.append(exc.errors[0].rule)
        except Exception as exc:  # noqa: BLE001 (a database lock error would show here)
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["delivered", "over_delivery"]
    assert sum(i.quantity for d in contract.deliveries.all() for i in d.items.all()) == 3


def test_a_delivery_in_the_page_and_the_device_pages(
    client, signed, rep, other_rep, monitor, engineer
):
    monitor.product.needs_installation = True
    monitor.product.save()
    line = signed.lines.get()
    client.force_login(rep)
    page = client.post(
        f"/contracts/{signed.pk}/deliveries/",
        {
            "deliver-delivered_on": "2026-11-27",
            f"deliver-q_{line.pk}": "2",
            f"deliver-units_{line.pk}": "SN-A\nSN-B",
            f"deliver-site_{line.pk}": "ICU",
            f"deliver-docs_{monitor.pk}": ["ifu", "label"],
        },
    )
    assert 'data-testid="delivery-errors"' in page.content.decode()
    response = client.post(
        f"/contracts/{signed.pk}/deliveries/",
        {
            "deliver-delivered_on": "2026-11-27",
            f"deliver-q_{line.pk}": "2",
            f"deliver-units_{line.pk}": "SN-A\nSN-B",
            f"deliver-site_{line.pk}": "ICU",
            f"deliver-docs_{monitor.pk}": ["ifu", "label", "coc"],
        },
    )
    assert response.status_code == 302
    device = InstalledDevice.objects.get(serial="SN-A")
    assert client.get(f"/devices/{device.pk}/").status_code == 200
    assert "SN-B" in client.get("/devices/").content.decode()
    client.force_login(other_rep)
    assert client.get(f"/devices/{device.pk}/").status_code == 404
    client.force_login(engineer)  # service sees the whole installed base
    assert client.get(f"/devices/{device.pk}/").status_code == 200


def test_the_devices_api(api_client, signed, rep, other_rep):
    _deliver(signed, rep, 1, units=["SN-Z"])
    items = api_client.as_user(rep).get("/api/v1/devices").json()["items"]
    assert [(d["serial"], d["warranty_until"]) for d in items] == [("SN-Z", "2027-11-27")]
    assert api_client.as_user(other_rep).get("/api/v1/devices").json()["items"] == []


def test_the_customer_confirms_receipt_once(signed, rep, other_rep):
    delivery = _deliver(signed, rep, 2, on=TODAY - timedelta(days=2))
    with pytest.raises(ValidationFailed) as exc:
        services.delivery_confirm_receipt(
            actor=rep,
            delivery=delivery,
            received_on=TODAY - timedelta(days=3),
            received_by="",
            today=TODAY,
        )
    assert _rules(exc) == {("received_by", "required"), ("received_on", "before_delivery")}
    with pytest.raises(ValidationFailed) as exc:
        services.delivery_confirm_receipt(
            actor=rep,
            delivery=delivery,
            received_on=TODAY + timedelta(days=1),
            received_by="张科长",
            today=TODAY,
        )
    assert _rules(exc) == {("received_on", "future")}
    with pytest.raises(NotFound):
        services.delivery_confirm_receipt(
            actor=other_rep, delivery=delivery, received_on=TODAY, received_by="x", today=TODAY
        )
    done = services.delivery_confirm_receipt(
        actor=rep,
        delivery=delivery,
        received_on=TODAY - timedelta(days=1),
        received_by="设备科 张科长",
        scan=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4"),
        today=TODAY,
    )
    assert (done.received_on, done.received_by, done.receipt_recorded_by) == (
        TODAY - timedelta(days=1),
        "设备科 张科长",
        rep,
    )
    assert done.receipt_scan.name.endswith(".pdf")
    assert_audited("contracts.received", signed, actor=rep)
    with pytest.raises(InvalidTransition):
        services.delivery_confirm_receipt(
            actor=rep, delivery=delivery, received_on=TODAY, received_by="又一次", today=TODAY
        )
