import io

import pytest
from openpyxl import Workbook, load_workbook

from mdss.audit.testing import assert_audited
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.devices import excel, services
from mdss.devices.models import InstalledDevice

from .conftest import TODAY

HEADER = list(excel.COLUMNS.values())


def workbook(*rows, header=HEADER, sheet=excel.SHEET) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(customer, model, serial="", origin="其他经销商转入", **kw):
    values = {
        "customer": customer.name,
        "product": model.product.name,
        "model": model.code,
        "serial": serial,
        "origin": origin,
        **kw,
    }
    return [values.get(field, "") for field in excel.COLUMNS]


def test_a_clean_file_registers_every_unit(service_manager, hospital, clinic, monitor):
    content = workbook(
        row(hospital, monitor, "IMP-1", site="ICU", delivered_on="2024-01-10"),
        row(clinic, monitor, "IMP-2", origin="借用机"),
        row(clinic, monitor, lot="L-7", origin="演示机"),
    )
    created = services.device_import(actor=service_manager, content=content, today=TODAY)
    assert [(d.serial, d.lot, d.origin) for d in created] == [
        ("IMP-1", "", "taken_over"),
        ("IMP-2", "", "loaner"),
        ("", "L-7", "demo"),
    ]
    assert created[0].delivered_on.isoformat() == "2024-01-10"
    assert_audited("devices.imported", created[0], actor=service_manager)


def test_one_bad_row_refuses_the_file_and_names_every_problem(service_manager, hospital, monitor):
    from mdss.devices.tests.conftest import register

    register(service_manager, hospital, monitor, serial="TAKEN")
    content = workbook(
        row(hospital, monitor, "OK-1"),  # row 2, fine
        row(hospital, monitor, "TAKEN"),  # row 3
        row(hospital, monitor, "DUP"),  # row 4
        row(hospital, monitor, "DUP", origin="合同交付"),  # row 5
        ["无此医院", monitor.product.name, "NO-SUCH", "X", "", "", "", "演示机", "2026/13/1"],
        row(hospital, monitor, "", delivered_on="2027-01-01"),  # row 7
    )
    with pytest.raises(ValidationFailed) as exc:
        services.device_import(actor=service_manager, content=content, today=TODAY)
    problems = {(e.field, e.rule) for e in exc.value.errors}
    assert problems == {
        ("rows.3.serial", "serial_taken"),
        ("rows.5.serial", "serial_taken"),
        ("rows.5.origin", "invalid_choice"),
        ("rows.6.customer", "unknown"),
        ("rows.6.model", "unknown"),
        ("rows.6.delivered_on", "date"),
        ("rows.7.serial", "serial_or_lot"),
        ("rows.7.delivered_on", "future"),
    }
    assert list(InstalledDevice.objects.values_list("serial", flat=True)) == ["TAKEN"]


def test_the_import_and_the_form_share_their_rules(service_manager, hospital, monitor):
    """The same input refused by device_register is refused by the import, same rule."""
    from mdss.devices.tests.conftest import register

    with pytest.raises(ValidationFailed) as by_hand:
        register(
            service_manager,
            hospital,
            monitor,
            serial="",
            warranty_until=TODAY,
            delivered_on=TODAY.replace(year=2027),
        )
    with pytest.raises(ValidationFailed) as by_file:
        services.device_import(
            actor=service_manager,
            content=workbook(
                row(
                    hospital,
                    monitor,
                    "",
                    warranty_until=TODAY.isoformat(),
                    delivered_on="2027-11-27",
                )
            ),
            today=TODAY,
        )
    assert {(e.field, e.rule) for e in by_hand.value.errors} == {
        (e.field.split(".", 2)[2], e.rule) for e in by_file.value.errors
    }


def test_missing_columns_a_wrong_sheet_and_not_a_workbook(service_manager):
    with pytest.raises(ValidationFailed) as exc:
        services.device_import(
            actor=service_manager, content=workbook(header=["客户名称"]), today=TODAY
        )
    assert exc.value.errors[0].rule == "columns_missing"
    with pytest.raises(ValidationFailed) as exc:
        services.device_import(actor=service_manager, content=workbook(sheet="x"), today=TODAY)
    assert exc.value.errors[0].rule == "sheet_missing"
    with pytest.raises(ValidationFailed) as exc:
        services.device_import(actor=service_manager, content=b"not a zip", today=TODAY)
    assert exc.value.errors[0].field == "file"
    with pytest.raises(ValidationFailed) as exc:
        services.device_import(actor=service_manager, content=workbook(), today=TODAY)
    assert exc.value.errors[0].rule == "empty"


def test_only_the_service_manager_imports(engineer, rep):
    for user in (engineer, rep):
        with pytest.raises(PermissionDenied):
            services.device_import(actor=user, content=workbook(), today=TODAY)


def test_the_template_has_the_import_layout():
    book = load_workbook(io.BytesIO(excel.template()))
    assert [c.value for c in book[excel.SHEET][1]] == HEADER
