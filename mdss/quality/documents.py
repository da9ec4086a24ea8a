"""An engineer's service-quality evaluation (服务质量评价) as PDF, for the
performance appraisal: the period, the scores, the figures behind each, the weights
of the policy and the manager's review. Chinese whatever the reader's language: it
goes into the personnel file."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from mdss.core.dates import local_tz
from mdss.core.pdf import Document


def _score(value) -> str:
    return "—" if value is None else f"{value}"


def _share(part, whole) -> str:
    return f"{part} / {whole}（{part * 100 / whole:.0f}%）" if whole else "—"


def _rating(value) -> str:
    return "—" if value is None else f"{value:.2f} / 5"


def evaluation_pdf(evaluation) -> bytes:
    f = evaluation.figures
    engineer = evaluation.engineer
    reference = (
        f"评价 {engineer.username} {evaluation.period_start:%Y%m%d}-{evaluation.period_end:%Y%m%d}"
    )
    doc = Document(
        title=f"服务质量评价 {engineer.full_name or engineer.username}", reference=reference
    )
    doc.heading("服务质量评价")
    doc.fields(
        [
            ("工程师", engineer.full_name or engineer.username),
            ("评价期间", f"{evaluation.period_start:%Y-%m-%d} 至 {evaluation.period_end:%Y-%m-%d}"),
            (
                "计算时间",
                timezone.localtime(evaluation.computed_at, local_tz()).strftime("%Y-%m-%d %H:%M"),
            ),
        ]
    )
    doc.section("评分（0–100）")
    weights = settings.QUALITY_POLICY["evaluation_weights"]
    doc.grid(
        ["项目", "评分", "权重"],
        [
            ["服务态度", _score(evaluation.attitude), f"{weights['attitude']:.0%}"],
            ["服务质量", _score(evaluation.quality), f"{weights['quality']:.0%}"],
            ["服务效率", _score(evaluation.efficiency), f"{weights['efficiency']:.0%}"],
            ["综合", _score(evaluation.overall), ""],
        ],
        [70, 50, 54],
        align="LRR",
    )
    completed = f.get("completed", 0)
    met, missed = f.get("deadlines_met", 0), f.get("deadlines_missed", 0)
    doc.section("依据")
    doc.fields(
        [
            ("完成工单", str(completed)),
            ("一次修复", _share(f.get("first_time_fixes", 0), completed)),
            ("30天内返修", _share(f.get("repeat_repairs", 0), completed)),
            ("服务时限达成", _share(met, met + missed)),
            ("回访次数", str(f.get("follow_ups", 0))),
            ("回访：服务态度", _rating(f.get("attitude_rating"))),
            ("回访：服务质量", _rating(f.get("quality_rating"))),
            ("回访：及时性", _rating(f.get("timeliness_rating"))),
            ("稽查合格", _share(f.get("audit_passed", 0), f.get("audited", 0))),
            ("稽查发现", str(f.get("audit_findings", 0))),
        ],
        label_width=40,
    )
    doc.paragraph(
        "说明：回访评分按（平均分 − 1）/ 4 × 100 折算；服务质量 = 回访质量评分、一次修复率与"
        "（100 − 返修率）及稽查合格率的加权平均；服务效率 = 回访及时性评分与时限达成率的加权平均；"
        "无数据的项目不计入其所在的平均数。",
        size=8,
    )
    doc.section("主管评审")
    if evaluation.reviewed_at:
        doc.fields(
            [
                ("评审人", evaluation.reviewed_by.full_name or evaluation.reviewed_by.username),
                (
                    "评审时间",
                    timezone.localtime(evaluation.reviewed_at, local_tz()).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                ),
                ("评语", evaluation.review),
            ]
        )
    else:
        doc.paragraph("尚未评审。")
    doc.signatures(["工程师签字：", "日期："], ["主管签字：", "日期："])
    return doc.render()
