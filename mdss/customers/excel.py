"""Excel export and import of customers (X6).

The export follows the filters of the list and the viewer's scope; contact persons
(personal information, PIPL) go in a second sheet only for those with the
``customers.export_contact`` permission, and every export is audited. Cells are
escaped so that nothing in them runs as a formula.

The import is all or nothing: every row is checked first, every problem reported
with its row and column, and nothing is written unless the whole file is clean.
Rows are written with bulk inserts, so 100,000 customers take seconds, and the
import is audited as one event. "成为客户日期" is for moving the history of an
old ledger in: such customers come in as existing, with visits planned from it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.accounts.choices import RegionLevel
from mdss.accounts.models import Region, User
from mdss.audit import services as audit
from mdss.calendars import engine
from mdss.calendars.selectors import cadence
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied, ValidationFailed
from mdss.core.excel import (
    ImportRefused,
    RowError,
    add_sheet,
    append_row,
    as_date,
    new_workbook,
    open_workbook,
    rows,
    text,
    to_bytes,
)
from mdss.core.inputs import check_columns

from .choices import BudgetCycle, CustomerKind, CustomerStatus, HospitalLevel, SourceChannel
from .models import Contact, Customer
from .permissions import may_own
from .validators import name_key, validate_credit_code

SHEET = "客户"
CONTACT_SHEET = "联系人"
# The names printed in the file, the same in every language (the file is a Chinese form).
KINDS = {
    "公立医院": CustomerKind.PUBLIC_HOSPITAL,
    "民营医院": CustomerKind.PRIVATE_HOSPITAL,
    "诊所": CustomerKind.CLINIC,
    "经销商": CustomerKind.DEALER,
    "政府/疾控": CustomerKind.GOVERNMENT,
    "其他": CustomerKind.OTHER,
}
LEVELS = {
    "三级": HospitalLevel.LEVEL_3,
    "二级": HospitalLevel.LEVEL_2,
    "一级": HospitalLevel.LEVEL_1,
}
SOURCES = {
    "电话营销": SourceChannel.PHONE,
    "网络推广": SourceChannel.ONLINE,
    "展会": SourceChannel.TRADE_SHOW,
    "拜访": SourceChannel.VISIT,
    "学术会议": SourceChannel.ACADEMIC,
    "转介绍": SourceChannel.REFERRAL,
    "招标": SourceChannel.TENDER,
    "其他": SourceChannel.OTHER,
}
BUDGETS = {
    "年度": BudgetCycle.ANNUAL,
    "半年": BudgetCycle.HALF_YEAR,
    "季度": BudgetCycle.QUARTERLY,
    "按项目": BudgetCycle.PROJECT,
}
STATUSES = {CustomerStatus.POTENTIAL: "潜在客户", CustomerStatus.EXISTING: "现有客户"}
COLUMNS = [
    "客户名称",
    "客户类型",
    "医院等级",
    "统一社会信用代码",
    "省份",
    "城市",
    "区县",
    "地址",
    "负责销售",
    "来源渠道",
    "关注科室",
    "设备兴趣",
    "预算周期",
    "决策人",
    "需求与偏好",
    "成为客户日期",
    # computed; exported for reading, ignored by the import
    "状态",
    "等级",
    "上次回访",
    "下次回访截止",
]
REQUIRED = ["客户名称", "客户类型", "省份", "负责销售"]
CONTACT_COLUMNS = [
    "客户名称",
    "统一社会信用代码",
    "姓名",
    "科室",
    "职务",
    "手机",
    "办公电话",
    "邮箱",
]


def _names(mapping: dict, value: str) -> str:
    return next((k for k, v in mapping.items() if v == value), "")


def _join(values) -> str:
    return "、".join(values or [])


def _split(value) -> list[str]:
    return sorted({t.strip() for t in text(value).replace(",", "、").split("、") if t.strip()})


def export_customers(queryset, *, actor, with_contacts: bool = False) -> bytes:
    """The customers of ``queryset`` (already scoped) as .xlsx in the import's layout."""
    if with_contacts and not actor.has_perm("customers.export_contact"):
        raise PermissionDenied(_("Exporting contact persons needs the permission to do so."))
    book = new_workbook()
    sheet = add_sheet(book, SHEET, COLUMNS)
    count = 0
    customers = queryset.select_related("region__parent", "owner").order_by("name", "pk")
    for c in customers.iterator(chunk_size=2000):
        province = c.region.parent or c.region
        append_row(
            sheet,
            [
                c.name,
                _names(KINDS, c.kind),
                _names(LEVELS, c.hospital_level),
                c.credit_code,
                province.name,
                c.region.name if c.region.parent_id else "",
                c.district,
                c.address,
                c.owner.username,
                _names(SOURCES, c.source),
                _join(c.departments),
                _join(c.device_interests),
                _names(BUDGETS, c.budget_cycle),
                c.decision_makers,
                c.needs_notes,
                c.became_existing_on,
                STATUSES[c.status],
                c.grade,
                c.last_visit_on,
                c.next_visit_due,
            ],
        )
        count += 1
    contacts = 0
    if with_contacts:
        sheet = add_sheet(book, CONTACT_SHEET, CONTACT_COLUMNS)
        people = Contact.objects.filter(customer__in=queryset.values("pk"), is_active=True)
        for p in people.select_related("customer").order_by("customer__name", "name"):
            append_row(
                sheet,
                [
                    p.customer.name,
                    p.customer.credit_code,
                    p.name,
                    p.department,
                    p.title,
                    p.mobile,
                    p.phone,
                    p.email,
                ],
            )
            contacts += 1
    audit.record(
        actor=actor,
        action="customers.exported",
        changes={"customers": count, "contacts": contacts, "with_contacts": with_contacts},
    )
    return to_bytes(book)


def _regions():
    provinces, cities = {}, {}
    for region in Region.objects.all():
        if region.level == RegionLevel.PROVINCE:
            provinces[region.name] = region
    for region in Region.objects.filter(level=RegionLevel.CITY):
        cities[(region.parent_id, region.name)] = region
    return provinces, cities


def _choice(mapping, value, column, number, errors, *, blank_ok=True):
    value = text(value)
    if not value and blank_ok:
        return ""
    if value not in mapping:
        errors.append(
            RowError(
                SHEET, number, column, _("Use one of: %(values)s") % {"values": "、".join(mapping)}
            )
        )
        return ""
    return mapping[value]


def _insert(rows: list[dict]) -> None:
    """Insert checked rows with COPY (PostgreSQL) or executemany (SQLite): the ORM's
    bulk_create spends most of an import preparing 25 fields per row one by one.
    Dates and JSON go through the database's own adapters."""
    if not rows:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    json_fields = {
        name: Customer._meta.get_field(name) for name in ("departments", "device_interests")
    }
    columns = [*rows[0], "created_at", "updated_at"]
    # Names are the model's own, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        ops.quote_name(Customer._meta.db_table),
        ", ".join(ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )

    def values(row):
        for name, value in row.items():
            if name in json_fields:
                yield json_fields[name].get_db_prep_save(value, connection)
            elif isinstance(value, date):
                yield ops.adapt_datefield_value(value)
            else:
                yield value
        yield now
        yield now

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: five times faster than INSERTs.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                ops.quote_name(Customer._meta.db_table),
                ", ".join(ops.quote_name(c) for c in columns),
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(list(values(row)))
            return
        for start in range(0, len(rows), 2000):
            cursor.executemany(sql, [list(values(r)) for r in rows[start : start + 2000]])


COLUMN_OF_FIELD = {
    "name": "客户名称",
    "name_key": "客户名称",
    "district": "区县",
    "address": "地址",
    "decision_makers": "决策人",
    "needs_notes": "需求与偏好",
    "departments": "关注科室",
    "device_interests": "设备兴趣",
    "credit_code": "统一社会信用代码",
}


def import_customers(content: bytes, *, actor) -> int:
    """Check the whole file, then write it in one transaction; ImportRefused lists every
    problem. Returns the number of customers created."""
    if not actor.has_perm("customers.import_customer"):
        raise PermissionDenied(_("Importing customers is for sales managers."))
    errors: list[RowError] = []
    book = open_workbook(content)
    if SHEET not in book.sheetnames:
        raise ImportRefused([RowError("", 0, "", _("No sheet named 客户."))])
    provinces, cities = _regions()
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    allowed_owner: dict[int, bool] = {}
    known_keys = set(Customer.objects.values_list("name_key", flat=True))
    known_codes = set(
        Customer.objects.exclude(credit_code="").values_list("credit_code", flat=True)
    )
    months = cadence("customers.return_visit").period_months
    new = []
    for number, row in rows(book, SHEET, COLUMNS, errors, required=REQUIRED):
        name = " ".join(text(row["客户名称"]).split())
        key = name_key(name)
        if not name:
            errors.append(RowError(SHEET, number, "客户名称", _("Required.")))
        elif key in known_keys:
            errors.append(
                RowError(
                    SHEET,
                    number,
                    "客户名称",
                    _("This customer exists already (or twice in the file)."),
                )
            )
        known_keys.add(key)
        kind = _choice(KINDS, row["客户类型"], "客户类型", number, errors, blank_ok=False)
        level = _choice(LEVELS, row["医院等级"], "医院等级", number, errors)
        if kind == CustomerKind.PUBLIC_HOSPITAL and not level:
            errors.append(RowError(SHEET, number, "医院等级", _("A public hospital has a level.")))
        code = text(row["统一社会信用代码"]).upper()
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                errors.append(RowError(SHEET, number, "统一社会信用代码", " ".join(exc.messages)))
            if code in known_codes:
                errors.append(
                    RowError(
                        SHEET,
                        number,
                        "统一社会信用代码",
                        _("This credit code is already registered."),
                    )
                )
            known_codes.add(code)
        province = provinces.get(text(row["省份"]))
        region = province
        if province is None:
            errors.append(
                RowError(
                    SHEET,
                    number,
                    "省份",
                    _("Unknown province: %(name)s") % {"name": text(row["省份"])},
                )
            )
        elif text(row["城市"]):
            region = cities.get((province.pk, text(row["城市"])))
            if region is None:
                errors.append(
                    RowError(
                        SHEET,
                        number,
                        "城市",
                        _("No such city in %(province)s.") % {"province": province.name},
                    )
                )
        owner = users.get(text(row["负责销售"]))
        if owner is None:
            errors.append(
                RowError(SHEET, number, "负责销售", _("No active user with this user name."))
            )
        else:
            if owner.pk not in allowed_owner:
                allowed_owner[owner.pk] = may_own(actor, owner)
            if not allowed_owner[owner.pk]:
                errors.append(RowError(SHEET, number, "负责销售", _("Not a rep of your team.")))
        try:
            since = as_date(row["成为客户日期"])
        except ValueError:
            errors.append(
                RowError(SHEET, number, "成为客户日期", _("Dates are written 2026-03-31."))
            )
            since = None
        if since and since > local_today():
            errors.append(RowError(SHEET, number, "成为客户日期", _("Not in the future.")))
        source = _choice(SOURCES, row["来源渠道"], "来源渠道", number, errors)
        budget = _choice(BUDGETS, row["预算周期"], "预算周期", number, errors)
        if len(errors) > 1000:
            break  # enough to fix; the file is refused anyway
        if errors:
            continue
        values = {
            "name": name,
            "name_key": key,
            "kind": kind,
            "hospital_level": level,
            "grade": "C",
            "credit_code": code,
            "region_id": region.pk,
            "province_id": province.pk,
            "district": text(row["区县"]),
            "address": text(row["地址"]),
            "owner_id": owner.pk,
            "team_id": owner.department_id,
            "source": source,
            "departments": _split(row["关注科室"]),
            "device_interests": _split(row["设备兴趣"]),
            "budget_cycle": budget,
            "decision_makers": text(row["决策人"]),
            "needs_notes": text(row["需求与偏好"]),
            "status": CustomerStatus.EXISTING if since else CustomerStatus.POTENTIAL,
            "became_existing_on": since,
            "last_visit_on": None,
            "next_visit_due": engine.cadence_due(None, since, months) if since else None,
        }
        # Every value must fit its column, as on the form: a long name is refused,
        # never cut short.
        try:
            check_columns(Customer(**values))
        except ValidationFailed as exc:
            field = exc.errors[0].field
            errors.append(
                RowError(SHEET, number, COLUMN_OF_FIELD.get(field, field), exc.errors[0].message)
            )
            continue
        new.append(values)
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        _insert(new)
        audit.record(
            actor=actor,
            action="customers.imported",
            changes={
                "customers": len(new),
                "existing": sum(1 for c in new if c["became_existing_on"]),
            },
        )
    return len(new)
