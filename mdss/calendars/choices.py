from django.db import models
from django.utils.translation import gettext_lazy as _

from . import engine


class TimeUnit(models.TextChoices):
    CLOCK_HOURS = engine.CLOCK_HOURS, _("clock hours")
    WORKING_DAYS = engine.WORKING_DAYS, _("working days")
    BUSINESS_HOURS = engine.BUSINESS_HOURS, _("business hours")


class CadencePeriod(models.IntegerChoices):
    MONTH = 1, _("month")
    TWO_MONTHS = 2, _("two months")
    QUARTER = 3, _("quarter")
    HALF_YEAR = 6, _("half year")
    YEAR = 12, _("year")


class CalendarSource(models.TextChoices):
    STATUTORY = "statutory", _("State Council notice (chinese-calendar)")
    MANUAL = "manual", _("entered by an administrator")


class ClockStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    MET = "met", _("met")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


OPEN_CLOCK_STATUSES = (ClockStatus.RUNNING, ClockStatus.PAUSED)

# Allowed transitions of an SLA clock (docs/workflows.md).
CLOCK_TRANSITIONS = {
    ClockStatus.RUNNING: {
        ClockStatus.PAUSED,
        ClockStatus.MET,
        ClockStatus.MISSED,
        ClockStatus.CANCELLED,
    },
    # A record may close while its clock is paused (waiting for the customer): the
    # clock stops then too, met if it was paused before it fell due.
    ClockStatus.PAUSED: {
        ClockStatus.RUNNING,
        ClockStatus.MET,
        ClockStatus.MISSED,
        ClockStatus.CANCELLED,
    },
    ClockStatus.MET: set(),
    ClockStatus.MISSED: set(),
    ClockStatus.CANCELLED: set(),
}

# The policy's defaults (REQUIREMENTS.md), the content of policy version 1:
# code, name, requirement, starts on, stops on, duration, unit, warn %.
DEFAULT_TARGETS = [
    (
        "service.contact",
        "接到服务请求后联系客户",
        "A5",
        "服务请求登记",
        "工程师联系客户",
        1,
        engine.CLOCK_HOURS,
        80,
    ),
    (
        "service.onsite",
        "复杂故障工程师到达现场",
        "A6",
        "判定需要上门",
        "工程师到达现场",
        24,
        engine.CLOCK_HOURS,
        80,
    ),
    ("parts.provide", "仓库提供备件", "A8", "提交备件申领", "备件出库", 24, engine.CLOCK_HOURS, 80),
    (
        "service.followup",
        "服务完成后回访",
        "A9",
        "服务完成",
        "完成回访记录",
        3,
        engine.WORKING_DAYS,
        67,
    ),
    (
        "contract.legal_review",
        "法务审核合同",
        "S9",
        "提交法务审核",
        "法务审核通过或退回",
        3,
        engine.WORKING_DAYS,
        67,
    ),
    (
        "contract.problem",
        "合同履行问题协商解决",
        "S11",
        "记录履行问题",
        "与客户解决或上报管理层",
        10,
        engine.WORKING_DAYS,
        70,
    ),
    (
        "complaint.contact",
        "与投诉人取得联系",
        "A14",
        "收到投诉",
        "联系投诉人",
        2,
        engine.CLOCK_HOURS,
        75,
    ),
    (
        "complaint.answer",
        "一般投诉给予答复",
        "A14",
        "收到投诉",
        "答复投诉人",
        24,
        engine.CLOCK_HOURS,
        80,
    ),
    (
        "complaint.team",
        "重大投诉成立专项处理小组",
        "A14",
        "判定为重大投诉",
        "专项小组成立",
        48,
        engine.CLOCK_HOURS,
        80,
    ),
    (
        "quality.feedback",
        "产品质量问题反馈生产企业",
        "Q3",
        "收到质量反馈",
        "发送生产企业",
        5,
        engine.WORKING_DAYS,
        60,
    ),
    (
        "quality.containment",
        "质量事故应急控制",
        "Q6",
        "登记质量事故",
        "完成应急控制",
        24,
        engine.CLOCK_HOURS,
        75,
    ),
    (
        "quality.capa",
        "纠正预防措施完成",
        "Q6",
        "下达纠正预防措施",
        "措施完成",
        20,
        engine.WORKING_DAYS,
        75,
    ),
    # 不良事件监测: calendar days counted as whole 24-hour days from awareness.
    (
        "quality.ae_death",
        "导致死亡的可疑不良事件上报",
        "AE",
        "获知事件",
        "提交国家监测系统",
        168,
        engine.CLOCK_HOURS,
        70,
    ),
    (
        "quality.ae_serious",
        "导致或可能导致严重伤害的可疑不良事件上报",
        "AE",
        "获知事件",
        "提交国家监测系统",
        480,
        engine.CLOCK_HOURS,
        70,
    ),
    (
        "quality.ae_cluster",
        "群体不良事件上报",
        "AE",
        "获知事件",
        "提交国家监测系统",
        12,
        engine.CLOCK_HOURS,
        60,
    ),
    (
        "risk.measure",
        "风险应对措施完成",
        "Q8",
        "确定应对措施",
        "措施完成",
        20,
        engine.WORKING_DAYS,
        75,
    ),
]

# (code, name, requirement, period in months, at least this many per period)
DEFAULT_CADENCES = [
    ("customers.return_visit", "已有客户回访", "S7", 3, 1),
    ("training.sales.session", "销售团队集中培训", "S2", 1, 1),
    ("training.sales.assessment", "销售人员考核", "S3", 3, 1),
    ("training.service.session", "售后服务团队集中培训", "A2", 2, 1),
    ("training.service.assessment", "售后服务人员考核", "A2", 6, 1),
    # Q9: how often a risk is reviewed, by its level on the matrix.
    ("risk.review.unacceptable", "不可接受风险的定期评审", "Q9", 1, 1),
    ("risk.review.tolerable", "可容忍风险的定期评审", "Q9", 3, 1),
    ("risk.review.acceptable", "可接受风险的定期评审", "Q9", 12, 1),
]
