"""The monthly statistics report (D1–D4) as PDF, in Chinese (it goes to management's
files): sales with the month-on-month and year-on-year change and the bridge on the
month before, service times, compliance and satisfaction, complaints, and the
engineers each province needs.

``send_monthly(today)`` runs on the 1st (tasks.py): management gets an e-mail and an
in-app message through the outbox with the headline figures and the link to the
month's PDF, which is built from the fact tables when opened (the outbox carries
text, not attachments, and the PDF stays behind the login)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from mdss.core.pdf import Document

from .bridge import bridge
from .choices import Grain
from .filters import Filters, Period
from .selectors import complaint_figures, resources, sales_by, sales_totals, service_summary


class SystemViewer:
    """Who the scheduled report reads as: every figure, like management."""

    pk = None
    is_active = True
    is_superuser = True
    department_id = None

    def has_role(self, *codes) -> bool:
        return True


def month_period(month: date) -> Period:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Period(start, end)


def _money(value) -> str:
    return f"{value:,.2f}"


def _pct(value) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def _share(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def monthly_figures(viewer, month: date, today: date) -> dict:
    period = month_period(month)
    f = Filters(period=period, grain=Grain.MONTH)
    return {
        "period": period,
        "sales": sales_totals(viewer, f),
        "provinces": sales_by(viewer, f, "province", limit=10),
        "bridge": bridge(viewer, f, period.previous(), period, top=5),
        "service": service_summary(viewer, f),
        "complaints": complaint_figures(viewer, f),
        "resources": resources(viewer, f, today),
    }


def monthly_pdf(viewer, month: date, today: date) -> bytes:
    fig = monthly_figures(viewer, month, today)
    p = fig["period"]
    doc = Document(title=f"月度统计报告 {p.start:%Y-%m}", reference=f"统计 {p.start:%Y-%m}")
    doc.heading(f"月度统计报告（{p.start:%Y年%m月}）")
    s = fig["sales"]
    doc.section("一、销售")
    doc.fields(
        [
            ("合同金额（元）", _money(s["amount"])),
            ("数量", str(s["quantity"])),
            ("客户数", str(s["customers"])),
            ("环比", _pct(s["mom"])),
            ("同比", _pct(s["yoy"])),
        ],
        label_width=40,
    )
    doc.grid(
        ["省份", "金额（元）", "占比"],
        [[r["label"], _money(r["amount"]), _share(r["share"])] for r in fig["provinces"]],
        [70, 60, 44],
        align="LRR",
    )
    b = fig["bridge"]["total"]
    doc.section("二、变化原因（与上月相比）")
    doc.fields(
        [
            ("上月（元）", _money(b["base"])),
            ("本月（元）", _money(b["current"])),
            ("新客户", _money(b["new"])),
            ("流失客户", _money(b["lost"])),
            ("数量影响", _money(b["volume"])),
            ("价格影响", _money(b["price"])),
        ],
        label_width=40,
    )
    flags = fig["bridge"]["flags"]
    if flags:
        doc.grid(
            ["省份", "变化（元）", "变化率", "趋势"],
            [
                [r["label"], _money(r["change"]), _pct(r["change_percent"]),
                 "增长" if r["trend"] == "growing" else "下降"]
                for r in flags[:10]
            ],
            [60, 50, 34, 30],
            align="LRRL",
        )  # fmt: skip
    v = fig["service"]
    t = v["times"]
    doc.section("三、售后服务")
    doc.fields(
        [
            ("服务请求", str(v["requests"])),
            ("时限达成率", _share(v["sla"])),
            ("一次修复率", _share(v["first_time_fix"])),
            ("满意度", "—" if v["rating"] is None else f"{v['rating']:.2f} / 5"),
            ("联系客户（中位/90%，小时）", _times(t["contact_minutes"])),
            ("到达现场（中位/90%，小时）", _times(t["onsite_minutes"])),
            ("完成（中位/90%，小时）", _times(t["completion_minutes"])),
            ("备件（中位/90%，小时）", _times(t["parts_minutes"])),
        ],
        label_width=62,
    )
    c = fig["complaints"]
    doc.section("四、投诉")
    doc.fields([("投诉", str(c["total"])), ("重大投诉", str(c["major"]))], label_width=40)
    doc.section("五、工程师配置建议")
    doc.grid(
        ["省份", "请求", "上门/月", "现有", "建议", "差额"],
        [
            [r["label"], r["requests"], r["visits_per_month"], r["engineers"], r["suggested"],
             f"{r['gap']:+d}"]
            for r in fig["resources"][:15]
        ],
        [50, 24, 26, 24, 24, 26],
        align="LRRRRR",
    )  # fmt: skip
    return doc.render()


def _times(t: dict) -> str:
    if not t["n"]:
        return "—"
    return f"{t['median']} / {t['p90']}"


def send_monthly(today: date) -> int:
    """Tell management that last month's report is ready, with its headline figures."""
    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.notifications.services import notify_many

    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    viewer = SystemViewer()
    period = month_period(month)
    f = Filters(period=period)
    s = sales_totals(viewer, f)
    v = service_summary(viewer, f)
    body = (
        f"合同金额 {_money(s['amount'])} 元（环比 {_pct(s['mom'])}，同比 {_pct(s['yoy'])}）；"
        f"服务请求 {v['requests']}，时限达成率 {_share(v['sla'])}，"
        f"一次修复率 {_share(v['first_time_fix'])}。"
    )
    recipients = list(User.objects.filter(groups__name=roles.MANAGEMENT, is_active=True))
    link = reverse("analytics:report") + f"?month={month:%Y-%m}"
    notify_many(
        recipients,
        kind="analytics.monthly_report",
        subject=f"月度统计报告 {month:%Y-%m}",
        body=body,
        link=link,
    )
    return len(recipients)
