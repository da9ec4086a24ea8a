"""Demo risks, through the services: a quality risk on the model with the feedback
alert (unacceptable, told to management), a market risk of the sales manager, an
operational one of the service manager whose quarterly review is overdue, a financial one
reviewed with its measure done; measures owned by the engineer and the sales
manager; and the signals the demo data raise, one accepted and one dismissed.
Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from mdss.accounts.models import User
from mdss.core.dates import local_today

from . import services
from .models import Risk


def seed(*, stdout=None):
    if Risk.objects.exists():
        return []
    names = ["zhao.min", "wei.na", "wang.lei", "qian.wei", "feng.tao"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < len(names):
        return []
    boss, quality, service, sales, engineer = (users[n] for n in names)
    today = local_today()
    with transaction.atomic():
        from mdss.quality.models import ProductFeedback

        alert = ProductFeedback.objects.filter(lot="L2026-09").select_related("model").first()
        model = alert.model if alert else None
        q = services.risk_create(
            actor=quality, category="quality", title="同批次监护仪打印模块批量失效",
            description="批号 L2026-09 一个月内三次反馈走纸卡纸", cause="厂家更换走纸轮材质",
            consequence="监护记录中断，客户投诉，可能召回", owner=quality, source="complaints",
            process="quality", model=model, likelihood=4, impact=4,
            note="一个月三次同类反馈", today=today - timedelta(days=10),
        )  # fmt: skip
        services.measure_add(
            actor=quality, risk=q, type="reduce", description="对该批次在用设备逐台检查走纸轮",
            owner=engineer,
        )  # fmt: skip
        m = services.risk_create(
            actor=sales, category="market", title="华东地区集采降价压缩利润",
            description="省级带量采购可能使监护仪中标价下降 20% 以上", cause="集采政策推进",
            consequence="毛利下降，部分型号亏损", owner=sales, source="workshop",
            process="sales", likelihood=3, impact=3, note="季度经营分析会", today=today,
        )  # fmt: skip
        services.measure_add(
            actor=sales, risk=m, type="reduce", description="拓宽渠道：发展民营医院与县域客户",
            owner=sales,
        )  # fmt: skip
        services.risk_create(
            actor=service, category="operational", title="浙江地区工程师不足导致上门超时",
            description="复杂故障 24 小时到场时限多次超时", cause="两名工程师覆盖全省",
            consequence="违反服务承诺，客户满意度下降", owner=service, source="signal",
            process="service", likelihood=4, impact=3, note="近三个月超时率上升",
            today=today - timedelta(days=200),
        )  # fmt: skip
        f = services.risk_create(
            actor=boss, category="financial", title="重点客户回款逾期",
            description="两家三甲医院尾款逾期超过 90 天", cause="医院预算紧张",
            consequence="现金流紧张，坏账风险", owner=boss, source="audit",
            process="contracts", likelihood=3, impact=4, note="财务月报",
            today=today - timedelta(days=40),
        )  # fmt: skip
        measure = services.measure_add(
            actor=boss, risk=f, type="reduce", description="逾期未付清前暂停赊销发货", owner=sales
        )
        services.measure_done(actor=sales, measure=measure, result="已通知仓库暂停发货")
        services.risk_review(
            actor=boss, risk=f, measures_done=True, effective=True, note="一家已回款",
            likelihood=2, impact=4, today=today,
        )  # fmt: skip
        signals = services.signal_scan(today=today)
        if signals:
            services.signal_accept(
                actor=quality, signal=signals[0], owner=quality, likelihood=3, impact=3,
                note="纳入风险登记册", today=today,
            )  # fmt: skip
        if len(signals) > 1:
            services.signal_dismiss(actor=quality, signal=signals[1], reason="已有风险覆盖")
    return []
