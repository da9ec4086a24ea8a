from datetime import date

import pytest

from mdss.audit.testing import assert_audited
from mdss.catalog.models import UdiDeviceIdentifier
from mdss.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from mdss.devices import services
from mdss.devices.choices import DeviceOrigin, DeviceStatus
from mdss.devices.models import DeviceTransfer, InstalledDevice
from mdss.devices.permissions import actions_for, may_act

from .conftest import TODAY, register


def _rules(exc):
    return {(e.field, e.rule) for e in exc.value.errors}


def test_a_service_manager_registers_a_unit_taken_over_without_a_contract(
    service_manager, hospital, monitor
):
    device = register(service_manager, hospital, monitor, serial="TO-1", site="ICU 3床")
    assert device.origin == DeviceOrigin.TAKEN_OVER
    assert device.status == DeviceStatus.IN_SERVICE
    assert device.delivered_on is None and device.warranty_until is None
    assert not device.delivery_items.exists()
    assert_audited("devices.registered", device, actor=service_manager, origin="taken_over")


def test_a_udi_scan_fills_serial_lot_and_use_by(service_manager, hospital, monitor):
    UdiDeviceIdentifier.objects.create(model=monitor, di="06901234567892")
    device = register(
        service_manager,
        hospital,
        monitor,
        serial="",
        udi="(01)06901234567892(17)281231(10)LOT7(21)SN77",
        origin=DeviceOrigin.LOANER,
    )
    assert (device.serial, device.lot, device.di) == ("SN77", "LOT7", "06901234567892")
    assert device.expiry_date == date(2028, 12, 31)
    assert device.udi.startswith("(01)")


def test_a_udi_of_another_product_or_a_bad_check_digit_is_refused(
    service_manager, hospital, monitor
):
    UdiDeviceIdentifier.objects.create(model=monitor, di="06901234567892")
    with pytest.raises(ValidationFailed) as exc:
        register(service_manager, hospital, monitor, serial="", udi="(01)04012345678901(21)X1")
    assert ("udi", "udi") in _rules(exc)
    with pytest.raises(ValidationFailed) as exc:
        register(service_manager, hospital, monitor, serial="", udi="(01)06901234567893(21)X1")
    assert ("udi", "udi") in _rules(exc)


def test_a_typed_serial_must_agree_with_the_scan(service_manager, hospital, monitor):
    with pytest.raises(ValidationFailed) as exc:
        register(service_manager, hospital, monitor, serial="OTHER", udi="(01)06901234567892(21)X1")
    assert ("serial", "udi_mismatch") in _rules(exc)


def test_registration_rules_name_each_field(service_manager, hospital, monitor):
    with pytest.raises(ValidationFailed) as exc:
        services.device_register(
            actor=service_manager,
            customer=None,
            model=monitor,
            origin=DeviceOrigin.DELIVERED,
            delivered_on=date(2026, 12, 1),
            warranty_until=date(2026, 1, 1),
            today=TODAY,
        )
    assert _rules(exc) == {
        ("customer", "required"),
        ("origin", "delivered_by_contract"),
        ("serial", "serial_or_lot"),
        ("delivered_on", "future"),
        ("warranty_until", "before_delivery"),
    }
    assert not InstalledDevice.objects.exists()


def test_a_serial_is_registered_once_per_model(service_manager, hospital, monitor, device):
    with pytest.raises(ValidationFailed) as exc:
        register(service_manager, hospital, monitor, serial=device.serial)
    assert _rules(exc) == {("serial", "serial_taken")}


def test_a_lot_alone_identifies_a_consumable(service_manager, hospital, monitor):
    device = register(service_manager, hospital, monitor, serial="", lot="L-2026-01")
    assert device.lot == "L-2026-01"


@pytest.mark.parametrize(
    "persona", ["rep", "sales_manager", "management", "legal", "quality", "engineer", "warehouse"]
)
def test_only_the_service_manager_registers(request, persona, hospital, monitor):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        register(user, hospital, monitor)


def test_the_role_table(service_manager, engineer, rep, quality, admin_user):
    assert may_act(service_manager, "transfer") and may_act(service_manager, "import")
    assert may_act(engineer, "install") and not may_act(engineer, "decommission")
    assert not may_act(rep, "install") and not may_act(quality, "transfer")
    assert may_act(admin_user, "decommission")


def test_a_transfer_moves_the_unit_and_keeps_the_history(service_manager, device, clinic, hospital):
    services.device_transfer(
        actor=service_manager,
        device=device,
        to_customer=clinic,
        to_site="放射科",
        transferred_on=date(2026, 11, 20),
        reason="医院合并",
        today=TODAY,
    )
    device.refresh_from_db()
    assert (device.customer, device.site) == (clinic, "放射科")
    transfer = DeviceTransfer.objects.get()
    assert (transfer.from_customer, transfer.from_site, transfer.to_customer) == (
        hospital,
        "ICU",
        clinic,
    )
    assert_audited("devices.transferred", device, actor=service_manager, reason="医院合并")


def test_a_transfer_within_the_customer_changes_the_site(service_manager, device):
    services.device_transfer(
        actor=service_manager,
        device=device,
        to_site="手术室 2",
        transferred_on=TODAY,
        reason="科室调整",
        today=TODAY,
    )
    device.refresh_from_db()
    assert device.site == "手术室 2"


def test_a_transfer_needs_a_reason_a_change_and_a_past_date(service_manager, device):
    def move(**kw):
        args = {"transferred_on": TODAY, "reason": "x", "to_site": "ICU", "today": TODAY}
        args.update(kw)
        services.device_transfer(actor=service_manager, device=device, **args)

    with pytest.raises(ValidationFailed) as exc:
        move(reason="  ", to_site="B")
    assert _rules(exc) == {("reason", "required")}
    with pytest.raises(ValidationFailed) as exc:
        move()
    assert _rules(exc) == {("to_customer", "no_change")}
    with pytest.raises(ValidationFailed) as exc:
        move(to_site="B", transferred_on=date(2026, 12, 1))
    assert _rules(exc) == {("transferred_on", "future")}
    with pytest.raises(ValidationFailed) as exc:
        move(to_site="B", transferred_on=date(2024, 4, 30))  # delivered 2024-05-01
    assert _rules(exc) == {("transferred_on", "before_delivery")}
    assert not DeviceTransfer.objects.exists()


def test_a_rep_cannot_transfer_and_an_outsider_does_not_see_the_device(
    rep, other_rep, device, clinic
):
    with pytest.raises(PermissionDenied):
        services.device_transfer(
            actor=rep,
            device=device,
            to_customer=clinic,
            transferred_on=TODAY,
            reason="x",
            today=TODAY,
        )
    with pytest.raises(NotFound):
        services.device_transfer(
            actor=other_rep,
            device=device,
            to_customer=clinic,
            transferred_on=TODAY,
            reason="x",
            today=TODAY,
        )


def test_the_database_refuses_changing_transfers_and_deleting_devices(
    service_manager, device, clinic
):
    from django.db import IntegrityError, connection, transaction

    from mdss.audit.db import revoke_purge_permit

    services.device_transfer(
        actor=service_manager,
        device=device,
        to_customer=clinic,
        transferred_on=TODAY,
        reason="合并",
        today=TODAY,
    )
    revoke_purge_permit(connection)
    for sql in (
        "UPDATE devices_devicetransfer SET reason = 'changed'",
        "DELETE FROM devices_devicetransfer",
        "DELETE FROM devices_installeddevice",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_decommissioning_needs_a_reason_and_ends_every_action(service_manager, engineer, device):
    with pytest.raises(ValidationFailed) as exc:
        services.device_decommission(
            actor=service_manager, device=device, decommissioned_on=TODAY, reason="", today=TODAY
        )
    assert _rules(exc) == {("reason", "required")}
    services.device_decommission(
        actor=service_manager, device=device, decommissioned_on=TODAY, reason="报废", today=TODAY
    )
    device.refresh_from_db()
    assert device.status == DeviceStatus.DECOMMISSIONED
    assert device.decommission_reason == "报废"
    assert_audited("devices.decommissioned", device, actor=service_manager, reason="报废")
    assert actions_for(service_manager, device) == []
    with pytest.raises(InvalidTransition):
        services.device_decommission(
            actor=service_manager,
            device=device,
            decommissioned_on=TODAY,
            reason="再次",
            today=TODAY,
        )


def test_an_engineer_may_not_decommission(engineer, device):
    with pytest.raises(PermissionDenied):
        services.device_decommission(
            actor=engineer, device=device, decommissioned_on=TODAY, reason="x", today=TODAY
        )


def test_an_engineer_records_the_installation_and_the_acceptance(engineer, device):
    services.device_installation_record(
        actor=engineer,
        device=device,
        installed_on=date(2024, 5, 3),
        engineer=engineer,
        accepted_by_customer="设备科 刘主任",
        today=TODAY,
    )
    device.refresh_from_db()
    assert (device.installed_on, device.installed_by, device.accepted_on) == (
        date(2024, 5, 3),
        engineer,
        date(2024, 5, 3),
    )
    assert_audited(
        "devices.installed", device, actor=engineer, accepted_by_customer="设备科 刘主任"
    )
    assert "install" not in actions_for(engineer, device)  # recorded once
    with pytest.raises(InvalidTransition):
        services.device_installation_record(
            actor=engineer,
            device=device,
            installed_on=date(2024, 5, 3),
            engineer=engineer,
            accepted_by_customer="x",
            today=TODAY,
        )


def test_installation_rules(engineer, rep, device):
    with pytest.raises(ValidationFailed) as exc:
        services.device_installation_record(
            actor=engineer,
            device=device,
            installed_on=date(2024, 4, 1),
            engineer=rep,
            accepted_by_customer="",
            accepted_on=date(2024, 3, 1),
            today=TODAY,
        )
    assert _rules(exc) == {
        ("engineer", "not_engineer"),
        ("accepted_by_customer", "required"),
        ("accepted_on", "before_installation"),
        ("installed_on", "before_delivery"),
    }
    with pytest.raises(PermissionDenied):
        services.device_installation_record(
            actor=rep,
            device=device,
            installed_on=TODAY,
            engineer=engineer,
            accepted_by_customer="x",
            today=TODAY,
        )


def test_actions_follow_the_role_and_the_state(
    service_manager, engineer, rep, quality, management, device
):
    assert actions_for(service_manager, device) == ["install", "transfer", "decommission"]
    assert actions_for(engineer, device) == ["install"]
    for reader in (rep, quality, management):
        assert actions_for(reader, device) == []
