"""The annual risk report as a workbook (sheet 年度风险报告), for the management
review: the year's figures, the open risks by category and level, the ten highest."""

from __future__ import annotations

from mdss.core.excel import add_sheet, append_row, new_workbook, to_bytes

from .choices import RiskCategory, RiskZone


def export_report(data: dict) -> bytes:
    book = new_workbook()
    sheet = add_sheet(book, "年度风险报告", ["项目", "数量"])
    reviews, measures, signals = data["reviews"], data["measures"], data["signals"]
    for label, value in (
        ("年度", data["year"]),
        ("新登记风险", data["recorded"]),
        ("关闭风险", data["closed"]),
        ("完成评审", reviews["done"]),
        ("逾期完成的评审", reviews["late"]),
        ("评审认定措施有效", reviews["effective"]),
        ("完成措施", measures["done"]),
        ("逾期完成的措施", measures["late"]),
        ("未完成措施", measures["open"]),
        ("数据信号：采纳", signals.get("accepted", 0)),
        ("数据信号：驳回", signals.get("dismissed", 0)),
        ("数据信号：待决定", signals.get("proposed", 0)),
    ):
        append_row(sheet, [label, value])
    levels = add_sheet(
        book, "未关闭风险分布", ["类别", *(str(label) for _z, label in RiskZone.choices)]
    )
    for code, label in RiskCategory.choices:
        append_row(
            levels,
            [str(label), *(data["open_by_level"].get((code, z), 0) for z, _l in RiskZone.choices)],
        )
    top = add_sheet(
        book, "主要风险", ["编号", "风险", "类别", "分数", "等级", "负责人", "下次评审"]
    )
    for r in data["top"]:
        append_row(
            top,
            [
                r.number, r.title, r.get_category_display(), r.score, r.get_zone_display(),
                r.owner.full_name or r.owner.username, r.next_review_on,
            ],
        )  # fmt: skip
    return to_bytes(book)
