"""Demo organisation: departments and one or more users for every role.

Used by ``manage.py seed_demo``. Idempotent: a row that exists is left as it is, so
a second run writes nothing (and never resets a password somebody changed).
"""

from __future__ import annotations

import os

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from . import roles
from .models import Department, Region, User

DEMO_PASSWORD = os.environ.get("MDSS_DEMO_PASSWORD", "mdss-demo-2026")

DEPARTMENTS = [
    # code, name, parent code
    ("GM", "总经理办公室", None),
    ("SALES", "销售部", "GM"),
    ("SALES-EAST", "华东销售大区", "SALES"),
    ("SALES-SOUTH", "华南销售大区", "SALES"),
    ("LEGAL", "法务部", "GM"),
    ("SERVICE", "售后服务部", "GM"),
    ("WAREHOUSE", "仓储物流部", "SERVICE"),
    ("QA", "质量管理部", "GM"),
    ("HR", "人力资源部", "GM"),
]

# username, full name, role, department, superior, region codes, employee no, phone
USERS = [
    ("zhao.min", "赵敏", roles.MANAGEMENT, "GM", None, [], "E0001", "13800000001"),
    (
        "qian.wei",
        "钱伟",
        roles.SALES_MANAGER,
        "SALES-EAST",
        "zhao.min",
        ["310000", "320000", "330000"],
        "E0101",
        "13800000101",
    ),
    (
        "sun.li",
        "孙丽",
        roles.SALES_REP,
        "SALES-EAST",
        "qian.wei",
        ["310000", "320500"],
        "E0102",
        "13800000102",
    ),
    (
        "li.qiang",
        "李强",
        roles.SALES_REP,
        "SALES-EAST",
        "qian.wei",
        ["330100", "330200"],
        "E0103",
        "13800000103",
    ),
    (
        "zhou.jie",
        "周杰",
        roles.SALES_MANAGER,
        "SALES-SOUTH",
        "zhao.min",
        ["440000", "450000"],
        "E0201",
        "13800000201",
    ),
    (
        "wu.fang",
        "吴芳",
        roles.SALES_REP,
        "SALES-SOUTH",
        "zhou.jie",
        ["440100", "440300"],
        "E0202",
        "13800000202",
    ),
    ("zheng.hao", "郑浩", roles.LEGAL, "LEGAL", "zhao.min", [], "E0301", "13800000301"),
    (
        "wang.lei",
        "王磊",
        roles.SERVICE_MANAGER,
        "SERVICE",
        "zhao.min",
        ["310000", "320000", "330000"],
        "E0401",
        "13800000401",
    ),
    (
        "feng.tao",
        "冯涛",
        roles.SERVICE_ENGINEER,
        "SERVICE",
        "wang.lei",
        ["310000", "320000"],
        "E0402",
        "13800000402",
    ),
    (
        "chen.gang",
        "陈刚",
        roles.SERVICE_ENGINEER,
        "SERVICE",
        "wang.lei",
        ["330000"],
        "E0403",
        "13800000403",
    ),
    (
        "chu.yan",
        "褚燕",
        roles.WAREHOUSE_KEEPER,
        "WAREHOUSE",
        "wang.lei",
        [],
        "E0501",
        "13800000501",
    ),
    ("wei.na", "卫娜", roles.QUALITY, "QA", "zhao.min", [], "E0601", "13800000601"),
    ("jiang.hua", "蒋华", roles.TRAINER, "HR", "zhao.min", [], "E0701", "13800000701"),
    ("han.xue", "韩雪", roles.CUSTOMER, None, None, ["310000"], "", "13900000001"),
]


def seed(stdout=None) -> list[tuple[str, str, str]]:
    """Create the demo organisation; return (username, name, role label) for the login list."""
    logins: list[tuple[str, str, str]] = []
    with transaction.atomic():
        departments = {}
        for code, name, parent in DEPARTMENTS:
            dept = Department.objects.filter(code=code).first()
            if dept is None:
                dept = Department.objects.create(
                    code=code, name=name, parent=departments.get(parent)
                )
            departments[code] = dept

        admin = User.objects.filter(username="admin").first()
        if admin is None:
            User.objects.create_superuser(
                "admin",
                "admin@example.com",
                DEMO_PASSWORD,
                full_name="系统管理员",
                preferred_language="zh-hans",
            )
        logins.append(("admin", "系统管理员", str(_("Administrator"))))

        created: dict[str, User] = {}
        regions = {r.code: r for r in Region.objects.all()}
        for username, full_name, role, dept, superior, region_codes, emp_no, phone in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    full_name=full_name,
                    email=f"{username}@example.com",
                    employee_no=emp_no,
                    phone=phone,
                    department=departments.get(dept),
                    superior=created.get(superior) or User.objects.filter(username=superior).first()
                    if superior
                    else None,
                    preferred_language="zh-hans",
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=role))
                user.regions.set([regions[c] for c in region_codes if c in regions])
            created[username] = user
            logins.append((username, full_name, str(roles.role_label(role))))

        heads = {
            "GM": "zhao.min",
            "SALES-EAST": "qian.wei",
            "SALES-SOUTH": "zhou.jie",
            "LEGAL": "zheng.hao",
            "SERVICE": "wang.lei",
            "WAREHOUSE": "chu.yan",
            "QA": "wei.na",
            "HR": "jiang.hua",
            "SALES": "zhao.min",
        }
        for code, username in heads.items():
            dept = departments[code]
            if dept.head_id is None:
                dept.head = created[username]
                dept.save(update_fields=["head"])
    return logins
