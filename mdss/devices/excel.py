"""The Excel layout of the installed-base import (X6): a Chinese form, the same in
every language, and its blank template. ``services.device_import`` reads it."""

from __future__ import annotations

from mdss.core.excel import add_sheet, append_row, new_workbook, to_bytes

from .choices import DeviceOrigin

SHEET = "设备"
# field of check_registration -> column of the file
COLUMNS = {
    "customer": "客户名称",
    "product": "产品名称",
    "model": "型号规格",
    "serial": "序列号",
    "lot": "批号",
    "udi": "UDI",
    "site": "安装位置",
    "origin": "来源",
    "delivered_on": "交付日期",
    "warranty_until": "保修截止",
    "note": "备注",
}
REQUIRED = ["客户名称", "产品名称", "型号规格", "来源"]
ORIGINS = {
    "其他经销商转入": DeviceOrigin.TAKEN_OVER,
    "上线前销售": DeviceOrigin.BEFORE_GO_LIVE,
    "借用机": DeviceOrigin.LOANER,
    "演示机": DeviceOrigin.DEMO,
}


def column_of(field: str) -> str:
    return COLUMNS.get(field, field)


def template() -> bytes:
    """An empty workbook in the import's layout, with one example row."""
    book = new_workbook()
    sheet = add_sheet(book, SHEET, list(COLUMNS.values()))
    append_row(
        sheet,
        [
            "示例医院",
            "监护仪",
            "M100",
            "SN-0001",
            "",
            "",
            "ICU 3床",
            "其他经销商转入",
            "2024-05-01",
            "2025-05-01",
            "删除本示例行",
        ],
    )
    help_sheet = add_sheet(book, "说明", ["来源"])
    for name in ORIGINS:
        append_row(help_sheet, [name])
    return to_bytes(book)
