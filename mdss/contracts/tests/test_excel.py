import io

import pytest
from openpyxl import load_workbook

from mdss.audit.models import AuditEvent
from mdss.contracts import services
from mdss.contracts.tests.conftest import TODAY, review_and_sign


@pytest.fixture
def delivered(draft, rep, legal, monitor, hospital):
    from mdss.customers.tests.factories import ContactFactory

    ContactFactory(customer=hospital, name="=王主任", mobile="13900001111")
    review_and_sign(draft, rep, legal, days_ago=3)
    line = draft.lines.get()
    services.delivery_record(
        actor=rep,
        contract=draft,
        delivered_on=TODAY,
        today=TODAY,
        items=[{"line_id": line.pk, "quantity": 2, "units": ["SN-1", "SN-2"]}],
        documents={monitor.pk: ["ifu", "label", "coc"]},
    )
    services.delivery_record(
        actor=rep,
        contract=draft,
        delivered_on=TODAY,
        today=TODAY,
        items=[{"line_id": line.pk, "quantity": 3}],
        documents={monitor.pk: ["ifu", "label", "coc"]},
    )
    return draft


def _sheet(response, name):
    return list(load_workbook(io.BytesIO(response.content))[name].iter_rows(values_only=True))


def test_the_sales_record_has_a_row_per_unit_or_lot_with_the_papers(
    client, delivered, rep, hospital
):
    client.force_login(rep)
    rows = _sheet(client.get("/contracts/sales-record.xlsx"), "销售记录")
    header, data = rows[0], rows[1:]
    assert header[0] == "销售日期" and len(data) == 3
    by = dict(zip(header, data[0], strict=True))
    assert (by["序列号"], by["数量"], by["购货单位"]) == ("SN-1", 1, hospital.name)
    assert by["注册证/备案凭证编号"] and by["生产许可证/备案编号"] and by["购货单位许可证编号"]
    assert by["购货单位联系人及电话"].startswith("'=")  # formula-safe
    assert dict(zip(header, data[2], strict=True))["数量"] == 3
    assert AuditEvent.objects.filter(action="contracts.sales_record_exported", actor=rep).exists()


def test_the_ledger_export_follows_the_scope(client, delivered, rep, other_rep):
    client.force_login(rep)
    rows = _sheet(client.get("/contracts/export.xlsx"), "合同台账")
    assert rows[1][0] == delivered.number and rows[1][7] == "50%"
    client.force_login(other_rep)
    assert len(_sheet(client.get("/contracts/export.xlsx"), "合同台账")) == 1
    assert len(_sheet(client.get("/contracts/sales-record.xlsx"), "销售记录")) == 1
