"""Demo customers: about 200 hospitals, clinics, dealers and public bodies in the
demo reps' territories and beyond, with contacts, qualifications (a few expiring or
expired), two development plans with a trade show, and a visit history in which some
customers have missed their quarter. Dates are relative to today. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction

from mdss.accounts.models import Region, User
from mdss.audit import services as audit
from mdss.calendars import engine
from mdss.calendars.selectors import active_policy
from mdss.core.dates import local_today

from .models import (
    Activity,
    Campaign,
    Contact,
    Customer,
    DevelopmentPlan,
    Feedback,
    Lead,
    Qualification,
    ReturnVisit,
)
from .validators import CHARSET, credit_code_check_character, name_key

# rep username → city codes of the territory (as in accounts/demo.py), customers each
TERRITORIES = {
    "sun.li": (["310000", "320500"], 50),
    "li.qiang": (["330100", "330200"], 50),
    "qian.wei": (["320100", "330300"], 20),
    "wu.fang": (["440100", "440300"], 50),
    "zhou.jie": (["450100", "440600"], 25),
}
HOSPITALS = [
    ("第一人民医院", "public_hospital", "3"),
    ("第二人民医院", "public_hospital", "3"),
    ("第三人民医院", "public_hospital", "2"),
    ("第六人民医院", "public_hospital", "3"),
    ("中医院", "public_hospital", "3"),
    ("妇幼保健院", "public_hospital", "2"),
    ("中心医院", "public_hospital", "3"),
    ("儿童医院", "public_hospital", "3"),
    ("肿瘤医院", "public_hospital", "3"),
    ("第四人民医院", "public_hospital", "2"),
    ("口腔医院", "public_hospital", "2"),
    ("社区卫生服务中心", "public_hospital", "1"),
    ("仁爱医院", "private_hospital", "2"),
    ("和睦家医院", "private_hospital", ""),
    ("康华医院", "private_hospital", "2"),
    ("美年大健康体检中心", "clinic", ""),
    ("瑞尔齿科诊所", "clinic", ""),
    ("疾病预防控制中心", "government", ""),
    ("医疗器械有限公司", "dealer", ""),
    ("康健医疗设备有限公司", "dealer", ""),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚华玉萍红玲"
CONTACT_ROLES = [
    ("设备科", "科长", "equipment"),
    ("采购办", "主任", "purchasing"),
    ("心内科", "主任医师", "clinical_user"),
    ("影像科", "副主任", "clinical_user"),
    ("院办", "副院长", "decision_maker"),
    ("财务处", "处长", "finance"),
]
INTERESTS = ["超声", "监护仪", "呼吸机", "输注泵", "DR", "内窥镜", "生化分析仪", "透析"]
USES = [
    "设备运行稳定，每日使用约 30 例。",
    "科室反映操作界面友好，培训后护士均能独立操作。",
    "使用频率高，探头有轻微磨损，已提醒按规程清洁。",
    "夜间急诊使用较多，报警音量偏小。",
]
FEEDBACK = [
    ("product", "希望增加便携型号，方便床旁使用。"),
    ("price", "耗材价格偏高，同类竞品报价低约 10%。"),
    ("service", "希望工程师每季度做一次预防性维护。"),
    ("competitor", "竞品在本院推出以旧换新活动。"),
]


def _credit_code(rng, prefix: str) -> str:
    body = prefix + "".join(rng.choice(CHARSET) for _ in range(17 - len(prefix)))
    return body + credit_code_check_character(body)


def _person(rng) -> str:
    return (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )


def seed(*, stdout=None):
    if Customer.objects.exists():
        return []
    rng = random.Random(20261127)
    today = local_today()
    policy = active_policy()
    months = policy.cadences.get(code="customers.return_visit").period_months
    users = {u.username: u for u in User.objects.filter(username__in=TERRITORIES)}
    if len(users) < len(TERRITORIES):
        return []
    with transaction.atomic():
        customers = _customers(rng, users, today, months)
        _papers_and_history(rng, customers, today, months, policy)
        _plans(rng, users, today)
        audit.record(
            actor=None, action="customers.demo_seeded", changes={"customers": len(customers)}
        )
    if stdout:
        stdout.write(f"customers: {len(customers)} demo customers")
    return []


def _customers(rng, users, today, months):
    customers = []
    for username, (codes, count) in TERRITORIES.items():
        owner = users[username]
        regions = list(Region.objects.filter(code__in=codes).select_related("parent"))
        for i in range(count):
            region = regions[i % len(regions)]
            suffix, kind, level = HOSPITALS[(i // len(regions)) % len(HOSPITALS)]
            city = region.name.removesuffix("市")
            brand = rng.choice(["华康", "瑞安", "恒信", "康泰", "众联"])
            name = f"{region.name}{suffix}" if kind != "dealer" else f"{city}{brand}{suffix}"
            if Customer.objects.filter(name_key=name_key(name)).exists() or any(
                c.name == name for c in customers
            ):
                name = f"{city}{rng.choice('东西南北')}区{suffix}"
                if any(c.name == name for c in customers):
                    continue
            existing = rng.random() < 0.7
            since = today - timedelta(days=rng.randint(120, 1400)) if existing else None
            customers.append(
                Customer(
                    name=name,
                    name_key=name_key(name),
                    kind=kind,
                    hospital_level=level,
                    grade=rng.choice("AABBC") if kind == "public_hospital" else rng.choice("BCC"),
                    status="existing" if existing else "potential",
                    credit_code=_credit_code(rng, "91" if kind == "dealer" else "12"),
                    region=region,
                    province_id=region.parent_id or region.pk,
                    district=rng.choice(["", "浦东新区", "西湖区", "天河区", "姑苏区", "南山区"]),
                    address=f"{city}{rng.choice(['人民路', '解放路', '中山路', '建设路'])}{rng.randint(1, 999)}号",
                    owner=owner,
                    team_id=owner.department_id,
                    source=rng.choice(["visit", "trade_show", "phone", "referral", "tender"]),
                    departments=sorted(
                        rng.sample(["心内科", "影像科", "ICU", "急诊科", "检验科"], 2)
                    ),
                    device_interests=sorted(rng.sample(INTERESTS, 2)),
                    budget_cycle=rng.choice(["annual", "annual", "project", "half_year"]),
                    decision_makers=f"{_person(rng)}（副院长）、{_person(rng)}（设备科长）",
                    needs_notes=rng.choice(
                        [
                            "明年预算计划更新监护设备，关注国产替代。",
                            "重视售后响应速度，要求 24 小时到场。",
                            "新院区建设中，预计明年二季度集中采购。",
                            "",
                        ]
                    ),
                    became_existing_on=since,
                )
            )
    Customer.objects.bulk_create(customers)
    return list(Customer.objects.select_related("owner").order_by("pk"))


def _papers_and_history(rng, customers, today, months, policy):
    contacts, qualifications, activities, visits = [], [], [], []
    for n, c in enumerate(customers):
        for _k in range(rng.randint(1, 3)):
            dept, title, role = rng.choice(CONTACT_ROLES)
            contacts.append(
                Contact(
                    customer=c,
                    name=_person(rng),
                    department=dept,
                    title=title,
                    mobile=f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
                    purchasing_role=role,
                )
            )
        # Most papers are fine; one in eight expires within 90 days, one in twenty has expired.
        roll = rng.random()
        until = (
            today + timedelta(days=rng.randint(5, 90))
            if roll < 0.125
            else today - timedelta(days=rng.randint(1, 60))
            if roll < 0.175
            else today + timedelta(days=rng.randint(200, 1600))
        )
        if c.kind in ("public_hospital", "private_hospital", "clinic"):
            qualifications.append(
                Qualification(
                    customer=c,
                    kind="medical_institution",
                    number=f"PDY{rng.randint(10000000, 99999999)}{c.region.code[:6]}",
                    issuer=f"{c.region.name}卫生健康委员会",
                    valid_from=until - timedelta(days=5 * 365),
                    valid_until=until,
                )
            )
        elif c.kind == "dealer":
            qualifications.append(
                Qualification(
                    customer=c,
                    kind="business_licence",
                    number=f"{c.region.name[:1]}食药监械经营许{rng.randint(2020, 2025)}{rng.randint(10000, 99999)}号",
                    issuer=f"{c.region.name}市场监督管理局",
                    scope_classes=["II", "III"],
                    scope_categories=sorted(rng.sample(["06", "07", "08", "14", "21"], 3)),
                    valid_from=until - timedelta(days=5 * 365),
                    valid_until=until,
                )
            )
        for _k in range(rng.randint(1, 4)):
            activities.append(
                Activity(
                    customer=c,
                    kind=rng.choice(["call", "visit", "meeting", "online"]),
                    occurred_on=today - timedelta(days=rng.randint(1, 300)),
                    subject=rng.choice(["产品介绍", "需求调研", "招标信息沟通", "学术会议邀请"]),
                    participants=f"{c.owner.display_name}、{_person(rng)}",
                    outcome=rng.choice(
                        ["客户有意向，待科室论证。", "已提交产品资料。", "约定下月演示。"]
                    ),
                    next_step=rng.choice(["安排样机演示", "跟进预算审批", ""]),
                    recorded_by=c.owner,
                )
            )
        if c.status != "existing":
            continue
        # Visits every quarter since they became customers; one in five missed the last one.
        start, _end = engine.period_bounds(c.became_existing_on, months)
        current_start, _ = engine.period_bounds(today, months)
        skip_recent = n % 5 == 0
        last = None
        period = start
        while period <= current_start:
            p_start, p_end = engine.period_bounds(period, months)
            behind = p_start == current_start or (
                skip_recent and p_end >= current_start - timedelta(days=1)
            )
            if not behind or (p_start == current_start and rng.random() < 0.4):
                day = max(p_start, c.became_existing_on) + timedelta(days=rng.randint(0, 40))
                day = min(day, p_end, today)
                visits.append(
                    ReturnVisit(
                        customer=c,
                        visited_on=day,
                        method=rng.choice(["on_site", "on_site", "phone"]),
                        visitor=c.owner,
                        product_use=rng.choice(USES),
                        satisfaction=rng.choice([5, 5, 4, 4, 4, 3, 2]),
                        feedback=rng.choice(["", "", *[t for _c, t in FEEDBACK]]),
                        policy=policy,
                    )
                )
                last = day
            period = engine.next_period_start(p_start, months)
        c.last_visit_on = last
        c.next_visit_due = engine.cadence_due(last, c.became_existing_on, months)
    Contact.objects.bulk_create(contacts)
    Qualification.objects.bulk_create(qualifications)
    Activity.objects.bulk_create(activities)
    ReturnVisit.objects.bulk_create(visits)
    Customer.objects.bulk_update(customers, ["last_visit_on", "next_visit_due"])
    statuses = ["open", "open", "open", "acted_on", "closed"]
    flagged = list(ReturnVisit.objects.exclude(feedback="").select_related("customer__owner"))
    feedback = []
    for i, visit in enumerate(flagged[:25]):
        status = statuses[i % len(statuses)]
        category = next((k for k, t in FEEDBACK if t == visit.feedback), "other")
        feedback.append(
            Feedback(
                customer=visit.customer,
                visit=visit,
                category=category,
                text=visit.feedback,
                status=status,
                action="已与厂家沟通，下季度提供便携机型试用。" if status != "open" else "",
                decision="纳入明年产品线规划。" if status == "closed" else "",
                raised_by=visit.customer.owner,
                decided_by=visit.customer.owner.superior if status == "closed" else None,
            )
        )
    Feedback.objects.bulk_create(feedback)


def _plans(rng, users, today):
    year_start = today.replace(month=1, day=1)
    east = DevelopmentPlan.objects.create(
        name=f"{today.year} 年华东区三级医院开发计划",
        owner=users["qian.wei"],
        period_start=year_start,
        period_end=today.replace(month=12, day=31),
        target_kinds=["public_hospital"],
        target_grades=["A", "B"],
        positioning="三级医院重症与影像科室设备更新周期到来，主推高端监护与超声产品，以学术会议与展会带动。",
        channels=["trade_show", "academic", "visit"],
        target_new_customers=12,
        target_contract_amount=Decimal("8000000.00"),
    )
    east.target_regions.set(Region.objects.filter(code__in=["310000", "320000", "330000"]))
    south = DevelopmentPlan.objects.create(
        name=f"{today.year} 年华南区经销渠道与民营医院开发",
        owner=users["wu.fang"],
        period_start=year_start,
        period_end=today.replace(month=12, day=31),
        target_kinds=["dealer", "private_hospital", "clinic"],
        positioning="民营医院和体检中心对性价比敏感，主推国产中端机型；经销商覆盖地级市。",
        channels=["phone", "online", "trade_show"],
        target_new_customers=8,
        target_contract_amount=Decimal("3000000.00"),
    )
    south.target_regions.set(Region.objects.filter(code__in=["440000"]))
    show = Campaign.objects.create(
        plan=east,
        kind="trade_show",
        name="中国国际医疗器械博览会（CMEF）",
        starts_on=year_start + timedelta(days=97),
        ends_on=year_start + timedelta(days=100),
        location="上海国家会展中心",
        cost=Decimal("180000.00"),
    )
    meeting = Campaign.objects.create(
        plan=east,
        kind="academic",
        name="长三角重症医学论坛卫星会",
        starts_on=year_start + timedelta(days=250),
        location="杭州",
        cost=Decimal("60000.00"),
    )
    Lead.objects.bulk_create(
        [
            Lead(
                campaign=campaign,
                organisation=org,
                contact_name=_person(rng),
                phone=f"139{rng.randint(10000000, 99999999)}",
                interest=interest,
                captured_by=users["qian.wei"],
            )
            for campaign, org, interest in [
                (show, "嘉兴市第一医院", "高端超声"),
                (show, "湖州市中心医院", "ICU 监护系统"),
                (show, "无锡市人民医院", "呼吸机"),
                (meeting, "绍兴市人民医院", "重症监护整体方案"),
            ]
        ]
    )
