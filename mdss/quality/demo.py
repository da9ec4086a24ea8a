"""Demo quality records, through the services: product feedback from customers, a
repair record and a complaint (one model's lot crossing the trend threshold, one sent
and answered); an incident closed last quarter with its lessons and one in progress
whose corrective action an engineer owns; a suspected adverse event with its clock
running and one submitted; a recall of two units in progress with one customer told.
Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mdss.accounts.models import User
from mdss.core.dates import last_quarter, local_today
from mdss.core.errors import ValidationFailed

from . import services
from .models import ProductFeedback

TEXTS = [
    "血氧探头读数漂移，更换探头后恢复",
    "开机自检报电源模块错误",
    "打印机走纸卡纸，同批次多台出现",
    "屏幕触摸失灵",
]


def seed(*, stdout=None):
    from mdss.accounts.demo import DEMO_PASSWORD
    from mdss.devices.models import InstalledDevice

    if ProductFeedback.objects.exists():
        return []
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["wei.na", "wang.lei", "feng.tao", "zhao.min"])
    }
    devices = list(
        InstalledDevice.objects.filter(status="in_service")
        .select_related("model", "customer")
        .order_by("pk")
    )
    if len(users) < 4 or len(devices) < 4:
        return []
    quality, manager, engineer = users["wei.na"], users["wang.lei"], users["feng.tao"]
    today = local_today()
    now = timezone.now()
    unit = devices[0]
    model = unit.model
    with transaction.atomic():
        # Feedback: three on one lot of the first unit's model this month (the alert).
        for n in range(3):
            services.feedback_create(
                actor=manager, source="customer", model=model, lot="L2026-09",
                description=TEXTS[2], received_on=today - timedelta(days=3 * n), today=today,
            )  # fmt: skip
        sent = services.feedback_create(
            actor=engineer, source="engineer", model=model, device=unit,
            description=TEXTS[0], received_on=today - timedelta(days=40), today=today,
        )  # fmt: skip
        services.feedback_send(
            actor=quality,
            feedback=sent,
            method="email",
            sent_to="生产企业质量部",
            reference="QF-88",
        )
        services.feedback_answer(
            actor=quality,
            feedback=sent,
            answer="确认为探头线缆批次问题",
            action="该批次探头免费更换",
        )
        services.feedback_create(
            actor=quality, source="customer", model=devices[1].model, device=devices[1],
            description=TEXTS[1], today=today,
        )  # fmt: skip
        # An incident closed with its lessons.
        done = services.incident_create(
            actor=quality, source="service", title="维修后同一故障再次发生",
            description="更换电源板后两周内再次黑屏", occurred_on=today - timedelta(days=120),
            model=model, today=today, at=now - timedelta(days=120),
        )  # fmt: skip
        services.incident_contain(actor=quality, incident=done, containment="暂停使用该批次电源板")
        services.incident_analyse(
            actor=quality, incident=done, whys=["电源板失效", "来料电容耐压不足"],
            fishbone={"material": "电容批次不合格"}, root_cause="来料电容耐压不足",
        )  # fmt: skip
        for kind, text, owner in (
            ("corrective", "更换该批次全部电源板", engineer),
            ("preventive", "电源板来料增加耐压抽检", quality),
        ):
            action = services.capa_add(
                actor=quality, incident=done, kind=kind, description=text, owner=owner
            )
            services.capa_done(
                actor=quality, action=action, result="已完成", today=today - timedelta(days=60)
            )
        services.incident_verify(
            actor=quality, incident=done, effective=True, evidence="60 天内无复发", today=today
        )
        services.incident_close(
            actor=quality, incident=done, password=DEMO_PASSWORD,
            lessons="电源板来料须做耐压抽检；维修后两周内回访确认",
        )  # fmt: skip
        # One in progress: the engineer owns its corrective action.
        going = services.incident_create(
            actor=quality, source="feedback", title="同批次打印机卡纸", feedback=sent,
            description=TEXTS[2], occurred_on=today - timedelta(days=5), model=model,
            lot="L2026-09", today=today,
        )  # fmt: skip
        services.incident_contain(actor=quality, incident=going, containment="通知客户暂停使用")
        services.incident_analyse(
            actor=quality, incident=going, whys=["走纸轮打滑", "走纸轮材质变更"],
            root_cause="厂家变更走纸轮材质", fishbone={"material": "走纸轮材质"},
        )  # fmt: skip
        services.capa_add(
            actor=quality, incident=going, kind="corrective", description="更换走纸轮",
            owner=engineer,
        )  # fmt: skip
        # Adverse events: one being prepared (clock running), one submitted.
        services.ae_create(
            actor=quality, reporter_name="设备科 周主任", reporter_org=unit.customer.name,
            event_on=today - timedelta(days=1), aware_at=now - timedelta(hours=20),
            outcome="serious_injury", device=unit, narrative="除颤时设备未放电，抢救延误",
            patient_age=67, patient_sex="m",
        )  # fmt: skip
        filed = services.ae_create(
            actor=quality, reporter_name="护理部 陈护士长", event_on=today - timedelta(days=30),
            aware_at=now - timedelta(days=29), outcome="potential", device=devices[1],
            narrative="输液泵流速偏差超限",
        )  # fmt: skip
        services.ae_submit(
            actor=quality, event=filed, submitted_on=today - timedelta(days=25),
            receipt_number="GJ-2026-000318", today=today,
        )  # fmt: skip
        # A recall of two units of one model, in progress, one customer told.
        same = [d for d in devices if d.model_id == devices[2].model_id][:2]
        recall = services.recall_create(
            actor=quality, level="2", model=devices[2].model, serials=[d.serial for d in same],
            manufacturer_notice="厂召字2026第07号", notice_on=today - timedelta(days=2),
            reason="电源适配器可能过热", action="更换电源适配器", today=today,
        )  # fmt: skip
        services.recall_activate(actor=quality, recall=recall)
        services.recall_notice(
            actor=quality, recall=recall, customer=same[0].customer, channel="phone",
            sent_at=now - timedelta(hours=3),
        )  # fmt: skip
        # Last quarter's evaluations, the first scored one reviewed by the service manager.
        start, end = last_quarter(today)
        evaluations = services.evaluation_compute(
            actor=users["zhao.min"], period_start=start, period_end=end, today=today
        )
        scored = [e for e in evaluations if e.overall is not None]
        if scored:
            services.evaluation_review(
                actor=manager, evaluation=scored[0], comment="按时率良好，注意一次修复率"
            )
        # The last 90 days' record audit (the demo's service history always has some
        # completed requests in them): half checked, one finding for 冯涛.
        try:
            record_audit = services.audit_create(
                actor=quality, period_start=today - timedelta(days=90),
                period_end=today - timedelta(days=1), percent=10, seed=2026, today=today,
            )  # fmt: skip
        except ValidationFailed:
            record_audit = None  # no request was completed in the window
        if record_audit is not None:
            items = list(record_audit.items.order_by("pk"))
            for n, item in enumerate(items[: len(items) // 2 + 1]):
                services.audit_check(
                    actor=quality, item=item,
                    checks={"process": True, "record": n != 0, "repair": True,
                            "confirmation": True, "parts": True},
                )  # fmt: skip
            services.finding_add(
                actor=quality, item=items[0], description="维修记录缺少测试结果",
                owner=engineer, due_on=today + timedelta(days=14), today=today,
            )  # fmt: skip
    if stdout:
        stdout.write(
            f"  quality: {ProductFeedback.objects.count()} feedback, 2 incidents, 1 recall"
        )
    return []
