"""Demo training records: a year of monthly sales training (one month missed) and
bi-monthly service training with attendance, a manufacturer's ultrasound course,
quarterly and half-yearly assessments with a few failures, make-up exams and one
retraining still open, certificates (one expiring, one expired), external training
requests, and reps' written authorisations. Dates are relative to today. Idempotent."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from mdss.accounts.models import Region, User
from mdss.audit import services as audit
from mdss.calendars import engine
from mdss.catalog.models import ProductModel
from mdss.core.dates import local_today

from .models import (
    Assessment,
    Attendance,
    Authorisation,
    Certificate,
    ExternalTraining,
    Retraining,
    Skill,
    StaffProfile,
    TrainingSession,
)
from .validators import id_check_character

SALES = ["sun.li", "li.qiang", "wu.fang", "qian.wei", "zhou.jie"]
REPS = ["sun.li", "li.qiang", "wu.fang"]
ENGINEERS = ["chen.gang", "feng.tao"]
SERVICE = [*ENGINEERS, "wang.lei"]
PROFILES = {
    "sun.li": ("sales", "marketing", "市场营销 本科", ["超声", "监护"]),
    "li.qiang": ("sales", "bme", "生物医学工程 本科", ["呼吸机", "麻醉机"]),
    "wu.fang": ("sales", "pharmacy", "药学 本科", ["输注泵", "耗材"]),
    "qian.wei": ("sales", "medicine", "临床医学 硕士", ["影像", "超声"]),
    "zhou.jie": ("sales", "marketing", "工商管理 硕士", ["检验"]),
    "chen.gang": ("service", "bme", "生物医学工程 本科", ["超声", "监护"]),
    "feng.tao": ("service", "bme", "电子信息工程 大专", ["呼吸机", "输注泵"]),
    "wang.lei": ("service", "bme", "生物医学工程 硕士", ["影像"]),
}
SALES_TOPICS = [["new_products"], ["selling"], ["regulations"], ["new_products", "selling"]]
SERVICE_TOPICS = [
    ["repair"],
    ["service_standards"],
    ["communication"],
    ["repair", "service_standards"],
]


def _id_number(rng, birth: date) -> str:
    body = f"3101{rng.randint(10, 99)}{birth:%Y%m%d}{rng.randint(100, 999)}"
    return body + id_check_character(body)


def seed(*, stdout=None):
    if TrainingSession.objects.exists():
        return []
    users = {
        u.username: u for u in User.objects.filter(username__in=[*SALES, *SERVICE, "jiang.hua"])
    }
    if len(users) < len(SALES) + len(SERVICE) + 1:
        return []
    rng = random.Random(6)
    today = local_today()
    trainer = users["jiang.hua"]
    with transaction.atomic():
        for name, (team, background, education, areas) in PROFILES.items():
            StaffProfile.objects.create(
                user=users[name],
                team=team,
                background=background,
                education=education,
                hire_date=today - timedelta(days=rng.randint(400, 3000)),
                product_areas=areas,
            )
        _sessions(rng, users, trainer, today)
        _assessments(rng, users, trainer, today)
        _papers(rng, users, today)
        audit.record(actor=None, action="training.demo_seeded", changes={"year_to": today})
    if stdout:
        stdout.write("training: a year of sessions and assessments")
    return []


def _sessions(rng, users, trainer, today):
    start = date(today.year - 1, today.month, 1)
    missed = engine.period_bounds(today - timedelta(days=95), 1)[0]  # one month without training
    month = start
    n = 0
    while month <= today:
        day = month + timedelta(days=rng.randint(5, 24))
        if month != missed and day <= today:
            session = TrainingSession.objects.create(
                kind="internal",
                team="sales",
                title=["新产品知识培训", "销售技巧提升", "医疗器械法规解读", "重点产品竞品分析"][
                    n % 4
                ],
                topics=SALES_TOPICS[n % 4],
                held_on=day,
                location="总部培训室",
                trainer=trainer.display_name,
                status="held",
                created_by=trainer,
            )
            Attendance.objects.bulk_create(
                [
                    Attendance(session=session, user=users[u], present=rng.random() > 0.12)
                    for u in SALES
                ]
            )
        n += 1
        month = engine.next_period_start(month, 1)
    # service: every two months
    period = engine.period_bounds(start, 2)[0]
    while period <= today:
        day = period + timedelta(days=rng.randint(10, 40))
        if day <= today:
            session = TrainingSession.objects.create(
                kind="internal",
                team="service",
                title=["维修技术交流", "售后服务规范", "客户沟通技巧", "预防性维护实操"][n % 4],
                topics=SERVICE_TOPICS[n % 4],
                held_on=day,
                location="维修中心",
                trainer=users["wang.lei"].display_name,
                status="held",
                created_by=trainer,
            )
            Attendance.objects.bulk_create(
                [Attendance(session=session, user=users[u], present=True) for u in SERVICE]
            )
        n += 1
        period = engine.next_period_start(period, 2)
    # a manufacturer's course that qualifies the engineers for the ultrasound systems
    course = TrainingSession.objects.create(
        kind="manufacturer",
        team="service",
        title="彩色多普勒超声诊断系统 厂家维修认证培训",
        topics=["repair"],
        held_on=today - timedelta(days=150),
        location="厂家培训中心（深圳）",
        trainer="厂家技术讲师",
        status="held",
        created_by=trainer,
    )
    course.models_covered.set(ProductModel.objects.filter(product__name="彩色多普勒超声诊断系统"))
    Attendance.objects.bulk_create(
        [Attendance(session=course, user=users[u], present=True) for u in ENGINEERS]
    )
    # coming up
    for days, team, title, topics in (
        (9, "sales", "年度产品线更新培训", ["new_products"]),
        (16, "service", "呼吸机维修实操", ["repair"]),
    ):
        TrainingSession.objects.create(
            kind="internal",
            team=team,
            title=title,
            topics=topics,
            held_on=today + timedelta(days=days),
            location="总部培训室",
            trainer=trainer.display_name,
            created_by=trainer,
        )


def _assessments(rng, users, trainer, today):
    def chain(user, team, p_start, p_end, scores):
        held = p_end - timedelta(days=10)
        follows = None
        kinds = ["regular", "makeup", "reassessment"]
        for i, score in enumerate(scores):
            a = Assessment.objects.create(
                user=user,
                team=team,
                kind=kinds[min(i, 2)],
                period_start=p_start,
                period_end=p_end,
                due_on=held,
                held_on=held if score is not None else None,
                score=Decimal(score) if score is not None else None,
                status="scheduled" if score is None else ("passed" if score >= 60 else "failed"),
                follows=follows,
                recorded_by=trainer if score is not None else None,
            )
            if i == 1 and score is not None and score < 60:
                Retraining.objects.create(user=user, failed=a, due_on=held + timedelta(days=30))
                return
            follows = a
            held += timedelta(days=14)

    for team, people, months in (("sales", SALES, 3), ("service", SERVICE, 6)):
        period = engine.period_bounds(date(today.year - 1, today.month, 1), months)[0]
        while True:
            p_start, p_end = engine.period_bounds(period, months)
            if p_end >= today:
                break
            for name in people:
                if (name, p_start.month) == ("li.qiang", 7):
                    chain(users[name], team, p_start, p_end, [52, 71])  # failed, make-up passed
                elif (name, p_start.month) == ("feng.tao", 1) and p_start.year == today.year:
                    chain(
                        users[name], team, p_start, p_end, [48, 55]
                    )  # failed twice: retraining open
                else:
                    chain(users[name], team, p_start, p_end, [rng.randint(66, 98)])
            period = engine.next_period_start(p_start, months)


def _papers(rng, users, today):
    ultrasound = ProductModel.objects.filter(product__name="彩色多普勒超声诊断系统").first()
    for name, kind, title, number, until in (
        (
            "chen.gang",
            "professional",
            "医疗器械维修工程师（中级）",
            "ZG-2021-0311",
            today + timedelta(days=700),
        ),
        (
            "feng.tao",
            "professional",
            "医疗器械维修工程师（初级）",
            "ZG-2020-1187",
            today + timedelta(days=25),
        ),
        (
            "wang.lei",
            "professional",
            "医疗设备维修高级工程师",
            "ZG-2019-0042",
            today - timedelta(days=12),
        ),
    ):
        Certificate.objects.create(
            user=users[name],
            kind=kind,
            name=title,
            number=number,
            issuer="中国医学装备协会",
            issued_on=until - timedelta(days=3 * 365),
            valid_until=until,
        )
    if ultrasound is not None:
        Certificate.objects.create(
            user=users["chen.gang"],
            kind="manufacturer",
            name="超声系统维修认证",
            number="MFR-US-8831",
            issuer=ultrasound.product.manufacturer.name,
            model=ultrasound,
            issued_on=today - timedelta(days=150),
            valid_until=today + timedelta(days=580),
        )
        for name in ENGINEERS:
            Skill.objects.create(user=users[name], kind="repair", model=ultrasound)
    Skill.objects.create(user=users["feng.tao"], kind="installation", category_code="08")
    regions = {
        r.code: r for r in Region.objects.filter(code__in=["310000", "320000", "330000", "440000"])
    }
    for name, number, codes, categories, until in (
        ("sun.li", "SQ-2026-001", ["310000", "320000"], ["06", "07"], today + timedelta(days=300)),
        ("li.qiang", "SQ-2026-002", ["330000"], ["07", "08"], today + timedelta(days=20)),
        ("wu.fang", "SQ-2025-007", ["440000"], ["14", "08"], today - timedelta(days=30)),
    ):
        a = Authorisation.objects.create(
            rep=users[name],
            number=number,
            id_number=_id_number(rng, date(1990, rng.randint(1, 12), rng.randint(1, 28))),
            categories_covered=categories,
            valid_from=until - timedelta(days=365),
            valid_until=until,
        )
        a.regions.set([regions[c] for c in codes if c in regions])
    ExternalTraining.objects.create(
        requester=users["sun.li"],
        course="医疗器械监督管理条例 专题研修班",
        organiser="中国医疗器械行业协会",
        starts_on=today - timedelta(days=80),
        ends_on=today - timedelta(days=78),
        cost=Decimal("2800.00"),
        reason="新版条例对经营企业的要求变化较大，学习后在团队内分享。",
        status="reimbursed",
        approver=users["qian.wei"],
        reimbursed_amount=Decimal("2800.00"),
        reimbursed_on=today - timedelta(days=60),
    )
    ExternalTraining.objects.create(
        requester=users["li.qiang"],
        course="重症超声临床应用学习班",
        organiser="浙江省医学会",
        starts_on=today + timedelta(days=20),
        ends_on=today + timedelta(days=22),
        cost=Decimal("1600.00"),
        reason="了解临床对超声的需求，提高与重症科室沟通的专业度。",
    )
