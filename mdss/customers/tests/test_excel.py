import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from mdss.audit.models import AuditEvent
from mdss.core.errors import PermissionDenied
from mdss.core.excel import ImportRefused
from mdss.customers import excel
from mdss.customers.models import Customer
from mdss.customers.selectors import customer_list_for_user
from mdss.customers.tests.factories import ContactFactory, CustomerFactory

VALID_CODE = "91350100M000100Y43"


def _book(rows, columns=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "客户"
    sheet.append(columns or excel.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(
    name,
    *,
    kind="公立医院",
    level="三级",
    code="",
    province="浙江省",
    city="杭州市",
    owner="rep",
    since=None,
):
    values = dict.fromkeys(excel.COLUMNS, None)
    values.update(
        {
            "客户名称": name,
            "客户类型": kind,
            "医院等级": level,
            "统一社会信用代码": code,
            "省份": province,
            "城市": city,
            "负责销售": owner,
            "关注科室": "心内科、ICU",
            "成为客户日期": since,
        }
    )
    return [values[c] for c in excel.COLUMNS]


def test_a_clean_file_imports_every_row_in_one_audited_event(sales_manager, rep, city):
    content = _book(
        [
            _row("杭州市第一人民医院", code=VALID_CODE),
            _row("杭州市中医院", since=date(2026, 5, 10)),
            _row("杭州康泰医疗器械有限公司", kind="经销商", level=None, city=None),
        ]
    )
    assert excel.import_customers(content, actor=sales_manager) == 3
    first = Customer.objects.get(name="杭州市第一人民医院")
    assert (first.owner, first.region, first.province, first.credit_code) == (
        rep,
        city,
        city.parent,
        VALID_CODE,
    )
    assert first.departments == ["ICU", "心内科"]
    existing = Customer.objects.get(name="杭州市中医院")
    assert (existing.status, existing.next_visit_due) == ("existing", date(2026, 6, 30))
    assert Customer.objects.get(kind="dealer").region == city.parent
    event = AuditEvent.objects.get(action="customers.imported")
    assert event.changes == {"customers": 3, "existing": 1}


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(sales_manager, rep, city):
    content = _book(
        [
            _row("杭州市第一人民医院"),
            _row("杭州市第二人民医院", code="91350100M000100Y44"),
            _row("杭州市第三人民医院", city="苏州市"),
            _row("杭州市第一人民医院 "),
        ]
    )
    with pytest.raises(ImportRefused) as exc:
        excel.import_customers(content, actor=sales_manager)
    problems = {(e.row, e.column) for e in exc.value.errors}
    assert problems == {(3, "统一社会信用代码"), (4, "城市"), (5, "客户名称")}
    assert not Customer.objects.exists()


def test_missing_columns_and_unknown_reps_are_reported(sales_manager, city):
    with pytest.raises(ImportRefused) as exc:
        excel.import_customers(_book([["x"]], columns=["客户名称"]), actor=sales_manager)
    assert exc.value.errors[0].row == 1 and "客户类型" in exc.value.errors[0].column
    with pytest.raises(ImportRefused) as exc:
        excel.import_customers(_book([_row("某医院", owner="nobody")]), actor=sales_manager)
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "负责销售")]


def test_a_manager_imports_only_for_the_team_and_reps_not_at_all(
    sales_manager, other_manager, rep, city
):
    with pytest.raises(ImportRefused) as exc:
        excel.import_customers(_book([_row("某医院", owner="rep")]), actor=other_manager)
    assert exc.value.errors[0].column == "负责销售"
    with pytest.raises(PermissionDenied):
        excel.import_customers(_book([_row("某医院")]), actor=rep)


def test_not_an_excel_file_is_refused_clearly(sales_manager):
    with pytest.raises(ImportRefused) as exc:
        excel.import_customers(b"name,kind\n", actor=sales_manager)
    assert "xlsx" in exc.value.errors[0].message


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)"])
def test_the_export_escapes_formulas(sales_manager, rep, dangerous):
    CustomerFactory(owner=rep, name=dangerous, address=dangerous)
    content = excel.export_customers(customer_list_for_user(sales_manager), actor=sales_manager)
    sheet = load_workbook(io.BytesIO(content))["客户"]
    values = [cell.value for cell in sheet[2]]
    assert values[0] == "'" + dangerous
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "-", "@"))) for v in values)
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_an_export_reimports_with_escapes_removed(sales_manager, rep, city):
    CustomerFactory(owner=rep, name="-杭州市某医院", region=city)
    content = excel.export_customers(customer_list_for_user(sales_manager), actor=sales_manager)
    Customer.objects.all().delete()
    assert excel.import_customers(content, actor=sales_manager) == 1
    assert Customer.objects.get().name == "-杭州市某医院"


def test_the_export_follows_the_scope(rep, other_rep):
    CustomerFactory(owner=rep, name="我的客户")
    CustomerFactory(owner=other_rep, name="别人的客户")
    content = excel.export_customers(customer_list_for_user(rep), actor=rep)
    names = [
        row[0]
        for row in load_workbook(io.BytesIO(content))["客户"].iter_rows(min_row=2, values_only=True)
    ]
    assert names == ["我的客户"]


def test_contacts_are_exported_only_with_the_permission_and_logged(rep, sales_manager):
    ContactFactory(customer=CustomerFactory(owner=rep), name="王主任", mobile="13900001111")
    with pytest.raises(PermissionDenied):
        excel.export_customers(customer_list_for_user(rep), actor=rep, with_contacts=True)
    content = excel.export_customers(
        customer_list_for_user(sales_manager), actor=sales_manager, with_contacts=True
    )
    sheet = load_workbook(io.BytesIO(content))["联系人"]
    assert [c.value for c in sheet[2]][2:6] == ["王主任", "设备科", None, "13900001111"]
    event = AuditEvent.objects.filter(action="customers.exported").latest("id")
    assert event.actor == sales_manager
    assert event.changes == {"customers": 1, "contacts": 1, "with_contacts": True}
