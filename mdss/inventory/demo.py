"""Demo spare parts: about 300 parts in six classes for the catalog's models, the
Shanghai central warehouse, regional stores in Beijing, Guangzhou and Chengdu, the vans of the engineers 冯涛
and 陈刚, a year of receipts and issues, and open requisitions waiting for the
warehouse (褚燕). Stock moves go through services/ledger.py, requisitions through
their services, so balances, ledger, clocks and audit agree. Idempotent."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mdss.accounts.models import User
from mdss.catalog.models import ProductModel
from mdss.core.dates import local_today

from . import services
from .choices import MoveKind, Tracking
from .models import Location, Part, Warehouse

# (name, unit, unit cost, tracking, class) of the parts each model has.
PART_TYPES = [
    ("主控板", "块", 4800, Tracking.SERIAL, "电路板"),
    ("电源板", "块", 1600, Tracking.SERIAL, "电路板"),
    ("显示屏组件", "个", 2600, Tracking.SERIAL, "显示与交互"),
    ("按键板", "块", 380, Tracking.NONE, "显示与交互"),
    ("锂电池", "块", 650, Tracking.LOT, "电源"),
    ("电源适配器", "个", 280, Tracking.LOT, "电源"),
    ("散热风扇", "个", 120, Tracking.NONE, "机械件"),
    ("外壳组件", "套", 450, Tracking.NONE, "机械件"),
    ("保险丝", "个", 8, Tracking.NONE, "耗材"),
    ("连接线缆", "根", 95, Tracking.NONE, "耗材"),
    ("打印头", "个", 900, Tracking.LOT, "机械件"),
    ("传感器模块", "个", 1200, Tracking.LOT, "传感器"),
    ("旋钮编码器", "个", 160, Tracking.NONE, "显示与交互"),
    ("存储卡", "张", 200, Tracking.LOT, "电路板"),
    ("扬声器", "个", 60, Tracking.NONE, "显示与交互"),
    ("滚轮脚轮", "套", 140, Tracking.NONE, "机械件"),
    ("说明书（备用）", "本", 20, Tracking.NONE, "耗材"),
    ("密封圈", "个", 15, Tracking.NONE, "耗材"),
    ("触摸屏", "块", 1800, Tracking.SERIAL, "显示与交互"),
    ("WiFi 模块", "个", 320, Tracking.LOT, "电路板"),
]
WAREHOUSES = [
    # code, name, kind, engineer
    ("SH-C", "上海中心库", "central", None),
    ("BJ-R", "北京区域库", "regional", None),
    ("GZ-R", "广州区域库", "regional", None),
    ("CD-R", "成都区域库", "regional", None),
    ("VAN-FT", "冯涛 车载库", "van", "feng.tao"),
    ("VAN-CG", "陈刚 车载库", "van", "chen.gang"),
]


def _warehouses(users) -> dict[str, Location]:
    shelves = {}
    for code, name, kind, engineer in WAREHOUSES:
        warehouse = Warehouse.objects.create(
            code=code,
            name=name,
            kind=kind,
            engineer=users.get(engineer),
            keeper=None if kind == "van" else users["chu.yan"],
        )
        shelves[code] = Location.objects.create(warehouse=warehouse, code="A-01", name="A 区 01 架")
        if kind != "van":
            Location.objects.create(
                warehouse=warehouse, code="QC", name="待处理区（不良品）", is_quarantine=True
            )
    return shelves


def _parts(models) -> list[Part]:
    parts = []
    for model in models:
        for n, (name, unit, cost, tracking, category) in enumerate(PART_TYPES, start=1):
            parts.append(
                Part(
                    number=f"SP-{model.code}-{n:02d}",
                    name=f"{model.product.name} {name}",
                    specification=f"适用 {model.code}",
                    unit=unit,
                    unit_cost=Decimal(cost),
                    tracking=tracking,
                    category=category,
                )
            )
    Part.objects.bulk_create(parts)
    parts = list(Part.objects.order_by("pk"))
    by_model = {}
    for part in parts:
        by_model.setdefault(part.number.rsplit("-", 1)[0], []).append(part)
    for model in models:
        for part in by_model.get(f"SP-{model.code}", []):
            part.models_served.add(model)
    return parts


def seed(*, stdout=None):
    if Part.objects.exists():
        return []
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["chu.yan", "feng.tao", "chen.gang", "wang.lei"])
    }
    if len(users) < 4:
        return []
    models = list(ProductModel.objects.select_related("product").order_by("pk")[:15])
    if not models:
        return []
    keeper, engineer = users["chu.yan"], users["feng.tao"]
    rng = random.Random(16)
    today = local_today()
    tz = timezone.get_current_timezone()

    def day(days_ago: int):
        return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10)), tz)

    with transaction.atomic():
        shelves = _warehouses(users)
        parts = _parts(models)
        stocked = []
        for part in parts[: len(parts) * 2 // 3]:
            lot = (
                f"L{today.year - 1}{rng.randint(100, 999)}" if part.tracking == Tracking.LOT else ""
            )
            if part.tracking == Tracking.SERIAL:
                lot = f"SN{part.pk:05d}"
            quantity = 1 if part.tracking == Tracking.SERIAL else rng.randint(5, 40)
            services.move(
                kind=MoveKind.RECEIPT,
                actor=keeper,
                part=part,
                quantity=quantity,
                to_location=shelves["SH-C"],
                lot=lot,
                reference=f"CG-{today.year - 1}-{part.pk:06d}",
                at=day(rng.randint(200, 360)),
            )
            stocked.append((part, lot, quantity))
        # A year of issues to jobs and to the regional stores.
        for part, lot, quantity in rng.sample(stocked, 60):
            if quantity < 2:
                continue
            services.move(
                kind=MoveKind.ISSUE,
                actor=keeper,
                part=part,
                quantity=rng.randint(1, quantity // 2),
                from_location=shelves["SH-C"],
                lot=lot,
                reference=f"FW-{today.year}-{rng.randint(1, 999):06d}",
                at=day(rng.randint(5, 190)),
            )
        plain = [(p, q) for p, lot, q in stocked if not lot and q >= 6]
        for part, _q in plain[:10]:
            services.move(
                kind=MoveKind.TRANSFER,
                actor=keeper,
                part=part,
                quantity=2,
                from_location=shelves["SH-C"],
                to_location=shelves["BJ-R"],
                at=day(rng.randint(20, 100)),
            )
        for part, _q in plain[10:14]:
            services.move(
                kind=MoveKind.TRANSFER,
                actor=keeper,
                part=part,
                quantity=2,
                from_location=shelves["SH-C"],
                to_location=shelves["VAN-FT"],
                at=day(rng.randint(5, 30)),
            )
        central = Warehouse.objects.get(code="SH-C")
        # Requisitions: one issued, one partly issued, two waiting for the warehouse.
        done = services.requisition_submit(
            actor=engineer,
            warehouse=central,
            lines=[(plain[14][0], 2)],
            need_by=today,
            today=today,
        )
        services.requisition_issue(
            actor=keeper,
            requisition=done,
            issues=[
                services.Issue(line=done.lines.get(), quantity=2, from_location=shelves["SH-C"])
            ],
        )
        partly = services.requisition_submit(
            actor=engineer,
            warehouse=central,
            lines=[(plain[15][0], 4)],
            need_by=today + timedelta(days=1),
            today=today,
            to_location=shelves["VAN-FT"],
        )
        services.requisition_issue(
            actor=keeper,
            requisition=partly,
            issues=[
                services.Issue(line=partly.lines.get(), quantity=1, from_location=shelves["SH-C"])
            ],
        )
        for person, (part, _q), reference in (
            (engineer, plain[16], "000103"),
            (users["chen.gang"], plain[17], "000104"),
        ):
            services.requisition_submit(
                actor=person,
                warehouse=central,
                lines=[(part, 1), (plain[18][0], 2)],
                need_by=today + timedelta(days=2),
                today=today,
                note=f"补充车载备件 {reference}",
            )
        _purchasing(users, parts, shelves, today)
    if stdout:
        stdout.write(f"inventory: {len(parts)} parts, {len(WAREHOUSES)} stores")
    return []  # seed() returns demo logins (none here)


def _purchasing(users, parts, shelves, today) -> None:
    """Three suppliers (one whose quality agreement lapsed, so the gate refuses it),
    an order received in part with a rejection, a draft waiting for approval, and a
    count of the Beijing store approved with a shortage."""
    from .choices import SupplierDocumentKind

    quality = User.objects.filter(username="wei.na").first() or users["wang.lei"]
    keeper, boss = users["chu.yan"], User.objects.filter(username="zhao.min").first()
    made = []
    for name, lapsed in (
        ("上海医配贸易有限公司", False),
        ("苏州精工医疗配件厂", False),
        ("杭州康达器械商行", True),
    ):
        supplier = services.supplier_create(
            actor=quality, name=name, contact="业务部", phone="021-55550000"
        )
        for kind in SupplierDocumentKind:
            until = (
                today - timedelta(days=20)
                if lapsed and kind == "quality_agreement"
                else today + timedelta(days=400)
            )
            services.supplier_document_add(
                actor=quality,
                supplier=supplier,
                kind=kind,
                number=f"{kind.value[:3].upper()}-{supplier.pk:04d}",
                valid_until=until,
            )
        made.append(supplier)
    central = Warehouse.objects.get(code="SH-C")
    plain = [p for p in parts if p.tracking == Tracking.NONE][:4]
    order = services.order_create(
        actor=keeper,
        supplier=made[0],
        warehouse=central,
        quality_standard="符合原厂技术规格及 GB 9706.1",
        today=today,
        lines=[
            {
                "part": plain[0],
                "specification": plain[0].specification,
                "quantity": 20,
                "unit_price": plain[0].unit_cost,
                "delivery_date": today + timedelta(days=7),
            },
            {
                "part": plain[1],
                "specification": plain[1].specification,
                "quantity": 10,
                "unit_price": plain[1].unit_cost,
                "delivery_date": today + timedelta(days=7),
            },
        ],
    )
    if boss is not None:
        services.order_approve(actor=boss, order=order, today=today)
        services.order_receive(
            actor=keeper,
            order=order,
            line=order.lines.order_by("id").first(),
            arrived=20,
            accepted=18,
            location=shelves["SH-C"],
            received_on=today,
            today=today,
            rejection_reason="2 件外观划伤，退回供方",
        )
    services.order_create(
        actor=keeper,
        supplier=made[1],
        warehouse=central,
        quality_standard="符合原厂技术规格",
        today=today,
        lines=[
            {
                "part": plain[2],
                "specification": plain[2].specification,
                "quantity": 5,
                "unit_price": plain[2].unit_cost,
                "delivery_date": today + timedelta(days=14),
            }
        ],
    )
    beijing = Warehouse.objects.get(code="BJ-R")
    count = services.count_start(actor=keeper, warehouse=beijing, today=today, scope="月度循环盘点")
    lines = list(count.lines.order_by("id"))
    counted = {line.pk: line.book for line in lines}
    if lines:
        counted[lines[0].pk] = max(lines[0].book - 1, 0)
    services.count_enter(actor=keeper, count=count, counted=counted)
    services.count_submit(actor=keeper, count=count)
    services.count_approve(
        actor=users["wang.lei"], count=count, reason="盘亏 1 件：维修领用未登记，已补登"
    )
