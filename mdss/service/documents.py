"""The service report (服务报告) as PDF: the case, its deadlines and whether each was
met, every visit's repair record with the parts fitted and removed, the customer's
confirmation with the drawn signature, and the follow-up. Chinese whatever the
reader's language: the customer and inspectors keep it."""

from __future__ import annotations

import io

from django.utils import timezone

from mdss.core.dates import local_tz
from mdss.core.pdf import Document

CLOCK_STATES = {
    "running": "进行中",
    "met": "按时",
    "missed": "超时",
    "cancelled": "已取消",
    "paused": "暂停",
}


def _t(value) -> str:
    return timezone.localtime(value, local_tz()).strftime("%Y-%m-%d %H:%M") if value else "—"


def service_report_pdf(request) -> bytes:
    from .selectors import request_detail

    detail = request_detail(request)
    device = request.device
    doc = Document(title=f"售后服务报告 {request.number}", reference=request.number)
    doc.heading("售后服务报告")
    doc.fields(
        [
            ("服务单号", request.number),
            ("客户", request.customer.name),
            (
                "设备",
                f"{device.model.product.name} {device.model.code} · 序列号 {device.serial or device.lot}"
                + (f" · {device.site}" if device.site else "")
                if device
                else "—",
            ),
            ("保修", "保修期内" if request.under_warranty else "保修期外"),
            ("报修人", f"{request.reporter_name} {request.reporter_phone}".strip()),
            ("报修时间", f"{_t(request.reported_at)} · {request.get_channel_display()}"),
            ("故障现象", request.symptom),
            ("工程师", request.engineer.display_name if request.engineer else "—"),
            ("状态", request.get_status_display()),
        ]
    )
    doc.section("服务时限")
    doc.grid(
        ["时限", "开始", "应完成", "完成", "结果"],
        [
            [
                c.target.name,
                _t(c.started_at),
                _t(c.due_at),
                _t(c.stopped_at),
                CLOCK_STATES.get(c.status, c.status),
            ]
            for c in detail["clocks"]
        ],  # fmt: skip
        [52, 30, 30, 30, 32],
    )
    if request.guidance:
        doc.section("电话指导")
        doc.fields([("指导内容", request.guidance), ("结果", request.outcome)])
    for n, visit in enumerate(detail["visits"], start=1):
        doc.section(f"第 {n} 次上门 · {visit.engineer.display_name}")
        doc.fields(
            [
                ("到场 / 离场", f"{_t(visit.checked_in_at)} / {_t(visit.checked_out_at)}"),
                ("故障现象", visit.fault_symptom),
                ("故障原因", " ".join(filter(None, [visit.fault_cause, visit.fault_code]))),
                ("检查情况", visit.inspection),
                ("维修方法", visit.repair_method),
                ("工时（分钟）", "" if visit.labour_minutes is None else str(visit.labour_minutes)),
                ("维修后测试", visit.test_result),
            ]
        )
        parts = list(visit.parts.all())
        if parts:
            doc.grid(
                ["备件", "数量", "装上批号/序列号", "拆下批号/序列号", "申领单"],
                [
                    [
                        f"{p.part.number} {p.part.name}",
                        p.quantity,
                        p.new_lot_serial,
                        p.removed_lot_serial,
                        p.requisition.number if p.requisition else "",
                    ]
                    for p in parts
                ],  # fmt: skip
                [56, 14, 36, 36, 32],
                align="LRLLL",
            )
    if request.outcome and not request.guidance:
        doc.fields([("维修结果", request.outcome)])
    for confirmation in detail["confirmations"]:
        doc.section("客户确认" if confirmation.accepted else "客户不认可")
        doc.fields(
            [
                ("确认人", confirmation.signer_name),
                ("时间", _t(confirmation.confirmed_at)),
                ("方式", confirmation.get_method_display()),
                ("原因", confirmation.reason),
                ("内容校验", confirmation.content_hash[:16]),
            ]
        )
        if confirmation.signature_png:
            try:
                doc.image(io.BytesIO(bytes(confirmation.signature_png)), w=50)
            except Exception:  # noqa: BLE001 (a PNG header over an unreadable image)
                doc.paragraph("（签名图像无法读取）")
    follow_up = detail["follow_up"]
    if follow_up:
        doc.section("回访")
        doc.fields(
            [
                ("回访时间", _t(follow_up.recorded_at)),
                ("受访人", follow_up.contacted_person),
                (
                    "评分",
                    f"服务态度 {follow_up.attitude} · 服务质量 {follow_up.quality} · "
                    f"及时性 {follow_up.timeliness} · {'满意' if follow_up.satisfied else '不满意'}",
                ),
                ("意见", follow_up.comments),
            ]
        )
    return doc.render()
