"""The evaluations of a period as a workbook (sheet 服务质量评价), for the performance
appraisal: one row per engineer with the figures behind each score."""

from __future__ import annotations

from mdss.core.excel import add_sheet, append_row, new_workbook, to_bytes

COLUMNS = [
    "工程师", "期间起", "期间止", "完成工单", "一次修复", "30天内返修", "回访次数",
    "服务态度评分", "服务质量评分", "及时性评分", "时限达成", "时限超时",
    "稽查记录", "稽查合格", "稽查发现",
    "态度", "质量", "效率", "综合", "主管评语", "评审人", "评审时间",
]  # fmt: skip


def export_evaluations(rows) -> bytes:
    book = new_workbook()
    sheet = add_sheet(book, "服务质量评价", COLUMNS)
    for e in rows:
        f = e.figures
        append_row(
            sheet,
            [
                e.engineer.full_name or e.engineer.username,
                e.period_start,
                e.period_end,
                f.get("completed"),
                f.get("first_time_fixes"),
                f.get("repeat_repairs"),
                f.get("follow_ups"),
                f.get("attitude_rating"),
                f.get("quality_rating"),
                f.get("timeliness_rating"),
                f.get("deadlines_met"),
                f.get("deadlines_missed"),
                f.get("audited"),
                f.get("audit_passed"),
                f.get("audit_findings"),
                e.attitude,
                e.quality,
                e.efficiency,
                e.overall,
                e.review,
                e.reviewed_by.full_name if e.reviewed_by else "",
                e.reviewed_at.strftime("%Y-%m-%d %H:%M") if e.reviewed_at else "",
            ],
        )
    return to_bytes(book)
