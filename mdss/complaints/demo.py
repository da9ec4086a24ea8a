"""Demo complaints: a year of them through every channel, general and major, some
about devices and service requests, with realistic timings (a few contacts late, a
special team formed after the 48 hours once), a reportable one handed over to
quality with the manufacturer told, a few unsatisfied complainants; and today's
queue in every state: waiting for contact, to answer, a major one waiting for its
team, a team investigating, an answer for the portal customer to rate, one quality
still holds.

Everything goes through the services with the historical times, so clocks, audit
and the timelines agree. Idempotent."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from mdss.accounts.models import User
from mdss.core.dates import local_today, local_tz

from . import services
from .models import Complaint

TEXTS = [
    ("service", "service", "工程师上门迟到两小时，且未提前告知", "explanation"),
    ("product", "product_quality", "新装监护仪一周内两次黑屏", "replacement"),
    ("delivery", "delivery", "到货包装破损，附件缺少血氧探头", "replacement"),
    ("price", "billing", "维修报价高于合同约定的保外服务价格", "refund"),
    ("conduct", "sales_conduct", "销售人员承诺的免费培训未兑现", "training"),
    ("service", "service", "维修后同一故障一个月内再次出现", "repair"),
    ("product", "product_quality", "心电图机打印波形模糊", "repair"),
    ("other", "other", "热线电话夜间无人接听", "apology"),
]
COMPLAINANTS = [("设备科 周主任", "13911110001"), ("护理部 陈护士长", "13911110002"),
                ("采购办 刘科长", "13911110003")]  # fmt: skip
FACTS = {
    "facts": "经调取服务记录与现场核实，情况属实",
    "root_cause": "派工时未考虑路程时间，未提前通知客户",
    "responsibility": "ours",
    "solution_detail": "向客户书面致歉，并调整该区域派工规则",
    "decision_basis": "服务记录 FW 单据、客户通话录音、售后服务制度第5条",
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), local_tz())


class Demo:
    def __init__(self, users, customers, devices, today, rng):
        self.u = users
        self.customers = customers
        self.devices = devices
        self.today = today
        self.rng = rng

    def receive(self, when, n, *, customer=None, channel="phone", **extra):
        concerns, _category, text, _solution = TEXTS[n % len(TEXTS)]
        customer = customer or self.customers[n % len(self.customers)]
        name, phone = COMPLAINANTS[n % len(COMPLAINANTS)]
        device = next((d for d in self.devices if d.customer_id == customer.pk), None)
        if concerns == "product" and device is not None:
            extra.setdefault("device", device)
        if concerns == "conduct":
            extra.setdefault("person", customer.owner)
        return services.complaint_create(
            actor=self.u["wei.na"],
            channel=channel,
            complainant_name=name,
            complainant_phone=phone,
            customer=customer,
            concerns=concerns,
            content=text,
            received_at=when,
            now=when,
            **extra,
        )

    def classify(self, c, when, n, major=False):
        _concerns, category, _t, _s = TEXTS[n % len(TEXTS)]
        return services.complaint_classify(
            actor=self.u["wei.na"],
            complaint=c,
            category=category,
            severity="major" if major else "general",
            criteria=["patient_harm"] if major else [],
            at=when,
        )

    def resolution(self, n):
        return {**FACTS, "solution": TEXTS[n % len(TEXTS)][3]}

    def team(self, c, when):
        return services.complaint_form_team(
            actor=self.u["wei.na"],
            complaint=c,
            members=[
                (self.u["zhao.min"], "leader"),
                (self.u["wei.na"], "investigator"),
                (self.u["wang.lei"], "account"),
            ],
            resolution_due=when + timedelta(days=10),
            at=when,
        )

    def general_case(self, day, n, *, close=True, unsatisfied=False):
        quality = self.u["wei.na"]
        received = _at(day, 9 + n % 8, 10 * (n % 6))
        c = self.receive(received, n)
        late = n % 11 == 0  # now and then the 2 hours are missed
        contacted = received + timedelta(minutes=150 if late else 20 + n % 60)
        services.complaint_contact(actor=quality, complaint=c, note="已电话联系", at=contacted)
        self.classify(c, contacted + timedelta(minutes=5), n)
        if c.concerns == "product":
            services.complaint_assess(
                actor=quality, complaint=c, possible_adverse_event=False, at=contacted
            )
        answered = received + timedelta(hours=6 + n % 12)
        services.complaint_answer(actor=quality, complaint=c, at=answered, **self.resolution(n))
        if not close:
            return c
        fed = answered + timedelta(hours=20)
        score = 2 if unsatisfied else 4 + n % 2
        services.complaint_feedback(
            actor=quality, complaint=c, channel="call", acceptance="accepted",
            satisfaction=score, at=fed,
        )  # fmt: skip
        if unsatisfied:  # handled again, then accepted
            services.complaint_answer(
                actor=quality, complaint=c, at=fed + timedelta(hours=10), **self.resolution(n)
            )
            fed = fed + timedelta(days=1)
            services.complaint_feedback(
                actor=quality, complaint=c, channel="visit", acceptance="accepted",
                satisfaction=4, at=fed,
            )  # fmt: skip
        services.complaint_close(actor=quality, complaint=c, at=fed + timedelta(hours=2))
        return c

    def major_case(self, day, n, *, reportable=False, stop=""):
        quality = self.u["wei.na"]
        received = _at(day, 10, 30)
        c = self.receive(received, n, channel="email" if n % 2 else "letter")
        contacted = received + timedelta(minutes=40)
        services.complaint_contact(
            actor=quality, complaint=c, note="已致歉并了解情况", at=contacted
        )
        self.classify(c, contacted, n, major=True)
        if stop == "team":
            return c
        formed = contacted + timedelta(hours=50 if n % 3 == 0 else 20)
        self.team(c, formed)
        services.note_add(actor=quality, complaint=c, text="已取回故障件送厂家检测", at=formed)
        if reportable:
            services.complaint_assess(
                actor=quality, complaint=c, possible_adverse_event=True, malfunction=True,
                note="报警失灵可能导致延误抢救", at=formed,
            )  # fmt: skip
            if stop == "handover":
                return c
            services.handover_close(
                actor=quality, complaint=c, reference=f"AE-{day:%Y}-{n:04d}", at=formed
            )
            device = c.device
            services.complaint_notify_manufacturer(
                actor=quality,
                complaint=c,
                manufacturer=device.model.product.manufacturer,
                method="email",
                contact="厂家质量部",
                notified_at=formed,
                now=formed,
            )
        elif c.concerns == "product":
            services.complaint_assess(
                actor=quality, complaint=c, possible_adverse_event=False, at=formed
            )
        if stop == "investigating":
            return c
        resolved = formed + timedelta(days=5)
        services.complaint_resolve(actor=quality, complaint=c, at=resolved, **self.resolution(n))
        fed = resolved + timedelta(days=1)
        services.complaint_feedback(
            actor=quality, complaint=c, channel="visit", acceptance="accepted", satisfaction=4,
            at=fed,
        )  # fmt: skip
        from mdss.accounts.demo import DEMO_PASSWORD

        services.complaint_close(
            actor=quality, complaint=c, password=DEMO_PASSWORD, comment="结案",
            at=fed + timedelta(days=1),
        )  # fmt: skip
        return c


def _history(demo: Demo, today: date) -> None:
    """Three or four complaints a month for the past year, one in eight major."""
    n = 0
    for months_ago in range(12, 0, -1):
        start = today - timedelta(days=30 * months_ago)
        for k in range(3 + months_ago % 2):
            day = start + timedelta(days=3 + 8 * k)
            n += 1
            if n % 8 == 1:  # a product complaint (TEXTS[1]) that is major
                demo.major_case(day, n, reportable=n % 16 == 1)
            else:
                demo.general_case(day, n, unsatisfied=n % 9 == 0)


def _today(demo: Demo, today: date) -> None:
    quality = demo.u["wei.na"]
    now = timezone.now()
    # Just in: waiting for the first contact (the world's complaint, at 孙丽's customer).
    rep_customer = next((c for c in demo.customers if c.owner.username == "sun.li"), None)
    c = demo.receive(now - timedelta(minutes=35), 0, customer=rep_customer)
    services.task_add(
        actor=quality,
        complaint=c,
        title="调取该客户近三个月的服务记录",
        assignee=quality,
        due_on=today + timedelta(days=1),
        today=today,
    )
    # Contacted, classified general, to answer.
    c = demo.receive(now - timedelta(hours=5), 3)
    services.complaint_contact(actor=quality, complaint=c, at=now - timedelta(hours=4))
    demo.classify(c, now - timedelta(hours=4), 3)
    # Major, the team due within 48 hours.
    demo.major_case(today - timedelta(days=1), 25, stop="team")
    # A team investigating; one quality still holds as a possible adverse event.
    demo.major_case(today - timedelta(days=4), 33, stop="investigating")
    demo.major_case(today - timedelta(days=3), 9, reportable=True, stop="handover")
    # Answered yesterday, the feedback call to make.
    demo.general_case(today - timedelta(days=1), 5, close=False)


def portal_case(member, customer) -> None:
    """The portal customer's complaint, answered: 韩雪 reads the answer and rates it
    (called by portal's demo once her account exists)."""
    users = {u.username: u for u in User.objects.filter(username__in=["wei.na"])}
    if (
        "wei.na" not in users
        or Complaint.objects.filter(customer=customer, channel="portal").exists()
    ):
        return
    quality = users["wei.na"]
    now = timezone.now()
    demo = Demo(
        users,
        [customer],
        list(customer.devices.filter(status="in_service")),
        local_today(),
        random.Random(19),
    )
    c = services.complaint_create(
        actor=member,
        channel="portal",
        complainant_name=member.display_name,
        complainant_phone=member.phone,
        customer=customer,
        concerns="product",
        device=demo.devices[0] if demo.devices else None,
        content="监护仪屏幕偶尔闪烁，希望尽快查明原因",
        received_at=now - timedelta(hours=20),
    )
    services.complaint_contact(actor=quality, complaint=c, at=now - timedelta(hours=19))
    demo.classify(c, now - timedelta(hours=19), 6)
    services.complaint_answer(
        actor=quality, complaint=c, at=now - timedelta(hours=3), **demo.resolution(6)
    )


def seed(*, stdout=None):
    from mdss.customers.models import Customer
    from mdss.devices.models import InstalledDevice

    if Complaint.objects.exists():
        return []
    wanted = ["wei.na", "zhao.min", "wang.lei"]
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    devices = list(
        InstalledDevice.objects.filter(status="in_service")
        .select_related("model__product__manufacturer")
        .order_by("pk")
    )
    customers = list(
        Customer.objects.filter(pk__in={d.customer_id for d in devices})
        .select_related("owner")
        .order_by("pk")
    )
    if len(users) < len(wanted) or not customers:
        return []
    today = local_today()
    demo = Demo(users, customers, devices, today, random.Random(18))
    from mdss.notifications.models import Notification
    from mdss.notifications.services import mark_read

    first = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        _history(demo, today)
        old = Notification.objects.filter(pk__gt=first, channel="in_app")
        for person in User.objects.filter(pk__in=old.values("recipient_id")):
            mark_read(
                user=person,
                notification_ids=list(old.filter(recipient=person).values_list("pk", flat=True)),
            )
        _today(demo, today)
    if stdout:
        stdout.write(f"  complaints: {Complaint.objects.count()}")
    return []
