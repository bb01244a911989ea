"""Sample `OrderPaper`s for the printing tests, the docs samples and the bench.

Also a tiny PNG writer (zlib + struct only) for the drawn signature, so that the fixtures do
not depend on an imaging library.
"""

from __future__ import annotations

import math
import struct
import zlib
from datetime import datetime, timedelta

from app.printing.daily import (
    ClerkLine,
    DailyReport,
    DifferenceLine,
    FollowUpLine,
    PaymentLine,
    RejectionLine,
    ServiceLine,
    StockLine,
)
from app.printing.paper import (
    DocumentRow,
    FeeRow,
    FollowUpRow,
    OrderPaper,
    PaymentRow,
    SignatureInfo,
)

# Full numbers that must NEVER reach a paper (the papers only get the masked forms below).
FULL_ID = "440106199003073414"
FULL_AGENT_ID = "110105198512121236"
FULL_UNIT_CODE = "91440101MA5CXXXX7Q"

MASKED_ID = "440106********3414"
MASKED_AGENT_ID = "110105********1236"
MASKED_UNIT_CODE = "914401************7Q"

ORDER_NO = "H4401-C03-20261122-00042-7"
HASH = "9f2c4a1be07d3c55a8e1f0b2d4c6e8a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e2"
T0 = datetime(2026, 11, 22, 10, 35, 7)


def signature_png(width: int = 360, height: int = 120) -> bytes:
    """A PNG (RGBA, transparent background) with a handwriting-like dark blue stroke."""
    pixels = bytearray(width * height * 4)

    def dot(cx: float, cy: float, r: float = 2.2) -> None:
        for y in range(max(0, int(cy - r)), min(height, int(cy + r) + 1)):
            for x in range(max(0, int(cx - r)), min(width, int(cx + r) + 1)):
                if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
                    i = (y * width + x) * 4
                    pixels[i : i + 4] = bytes((20, 30, 110, 255))

    steps = 1400
    for s in range(steps):
        t = s / steps
        x = 20 + t * (width - 40)
        y = height / 2 + 30 * math.sin(t * 11) * math.cos(t * 3) + 10 * math.sin(t * 37)
        dot(x, y)
    for s in range(300):  # an underline flourish
        t = s / 300
        dot(40 + t * (width - 90), height - 18 - 6 * t)

    raw = b"".join(
        b"\x00" + bytes(pixels[y * width * 4 : (y + 1) * width * 4]) for y in range(height)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


_SIG_PNG = signature_png()


def drawn_signature() -> SignatureInfo:
    return SignatureInfo(png=_SIG_PNG, signed_at=T0 + timedelta(minutes=4), content_hash=HASH)


def paper_signature() -> SignatureInfo:
    return SignatureInfo(
        png=None, signed_at=T0 + timedelta(minutes=4), content_hash=HASH, on_paper=True
    )


def _base(**kw: object) -> OrderPaper:
    fields: dict[str, object] = dict(
        order_no=ORDER_NO,
        hall_name="中国联通广州天河北自有营业厅",
        hall_code="H4401",
        counter_no="03",
        clerk_name="李晓梅",
        clerk_no="GZ10327",
        created_at=T0,
        business_date="2026-11-22",
        service_code="sim_replacement",
        service_name="补(换)卡",
        customer_kind="personal",
        customer_name="张伟",
        customer_id_type="居民身份证",
        customer_id_masked=MASKED_ID,
        presenter_role="owner",
        presenter_name="张伟",
        presenter_id_type="居民身份证",
        presenter_id_masked=MASKED_ID,
        line_number="13800138000",
        signature=drawn_signature(),
    )
    fields.update(kw)
    return OrderPaper(**fields)  # type: ignore[arg-type]


def sim_replacement() -> OrderPaper:
    """Personal owner, damaged card replaced, a fee paid in cash with change."""
    return _base(
        details=[
            ("补卡原因", "卡片损坏（坏卡已收回）"),
            ("新卡卡号(ICCID)", "8986011********0421"),
            ("卡类型", "USIM 5G 卡"),
        ],
        documents=[
            DocumentRow("居民身份证", original_seen=True, copy_retained=True),
            DocumentRow("损坏的用户卡", original_seen=True, copy_retained=False),
        ],
        fees=[FeeRow("补卡费", 1000)],
        payments=[PaymentRow("现金", 5000)],
        change_fen=4000,
        notices=[
            "新卡即时生效，原卡同时作废。",
            "损坏的用户卡已由营业厅收回。",
        ],
        effective="立即生效",
    )


def group_new_activation() -> OrderPaper:
    """Group customer through an agent, several fees, two payment methods, a follow-up."""
    return _base(
        service_code="new_activation",
        service_name="新装",
        customer_kind="group",
        customer_name="广州市天河区星辰科技有限公司",
        customer_id_type="企业名称预先核准通知书",
        customer_id_masked="（穗）名预核内字[2026]第********号",
        unit_name="广州市天河区星辰科技有限公司",
        unit_registration_masked=MASKED_UNIT_CODE,
        presenter_role="agent",
        presenter_name="王建国",
        presenter_id_type="居民身份证",
        presenter_id_masked=MASKED_AGENT_ID,
        line_number="18620001234",
        details=[
            ("套餐", "政企融合套餐 199 元/月（首月：半月收费，资费减半、四舍五入从优）"),
            ("开户数量", "子用户 52 户（见子用户号码表）"),
            ("经办人联系电话", "139****5678"),
            ("经办人电子邮箱", "w***@xingchen.example.cn"),
            ("通信地址", "广州市天河区天河北路 233 号 18 楼（510620）"),
            ("付款方式", "单位账号银行托收"),
        ],
        documents=[
            DocumentRow("经办人居民身份证", True, True),
            DocumentRow("单位授权委托书（加盖红章原件）", True, True),
            DocumentRow("企业名称预先核准通知书", True, True),
            DocumentRow("入网协议（加盖单位公章）", True, True),
            DocumentRow("子用户号码表（加盖单位公章）", True, False),
        ],
        fees=[FeeRow("预存话费", 119400), FeeRow("USIM 卡费", 0), FeeRow("选号费", 5000)],
        payments=[PaymentRow("银行卡", 100000), PaymentRow("现金", 30000)],
        change_fen=5600,
        notices=[
            "贵单位营业执照核发后，须持执照到营业厅完善客户身份信息。",
            "月度通用流量使用达到 6GB 后暂停上网功能，次月恢复。",
            "客户已确认所用终端不支持的套餐功能。",
        ],
        follow_ups=[FollowUpRow("营业执照核发后完善客户身份信息", datetime(2027, 2, 20, 18, 0))],
        effective="立即生效",
    )


def long_cancellation() -> OrderPaper:
    """Cancellation with very long details and notices: flows onto several pages; reprint."""
    details = [
        ("销户原因", "客户出国定居，不再使用本号码。"),
        ("挽留结果", "已挽留，客户坚持销户。"),
    ]
    details += [
        (
            f"账务结算明细 {i:02d}",
            f"2026年{(i % 12) + 1}月账单 已结清 金额 {i * 3}.50 元；备注：第 {i} 项核对无误。",
        )
        for i in range(1, 61)
    ]
    details.append(("补充说明", "客户要求" + "将剩余话费余额原路退回并兑换积分礼品，" * 40))
    notices = [
        f"第{i}条：销户后号码将进入冷冻期，冷冻期满后可能被重新启用；销户前请自行解除与该号码绑定的银行、支付、社交等第三方账户。"
        for i in range(1, 26)
    ]
    return _base(
        service_code="cancellation",
        service_name="销户/拆机",
        details=details,
        documents=[DocumentRow("居民身份证", True, True), DocumentRow("用户卡", True, False)],
        fees=[],
        payments=[PaymentRow("余额退还（现金）", -3250)],
        change_fen=0,
        notices=notices,
        follow_ups=[FollowUpRow("国际漫游预付款退还", datetime(2027, 1, 22, 17, 0))],
        effective="立即生效",
        reprint_count=2,
    )


def fault_report() -> OrderPaper:
    return _base(
        service_code="fault_report",
        service_name="障碍申告",
        customer_kind="group",
        customer_name="广州市越秀区某某物流有限公司",
        customer_id_type="营业执照",
        customer_id_masked=MASKED_UNIT_CODE,
        unit_name="广州市越秀区某某物流有限公司",
        unit_registration_masked=MASKED_UNIT_CODE,
        presenter_role="agent",
        presenter_name="陈芳",
        presenter_id_type="居民身份证",
        presenter_id_masked=MASKED_AGENT_ID,
        line_number="以太网专线 GZ-ETH-00871",
        details=[
            ("障碍现象", "专线中断，业务全阻"),
            ("障碍类别", "普通障碍"),
            ("申告人联系电话", "138****0021"),
        ],
        notices=["障碍时限自申告时起计算，至恢复通信为止。"],
        follow_ups=[
            FollowUpRow("回访", datetime(2026, 11, 23, 12, 0)),
            FollowUpRow("障碍修复", datetime(2026, 11, 22, 22, 35)),
        ],
        effective="受理后派单处理",
        signature=paper_signature(),
    )


def complaint() -> OrderPaper:
    return _base(
        service_code="complaint",
        service_name="投诉受理",
        details=[
            ("投诉内容", "10月账单中出现未订购的增值业务费 <15元> & 短信提醒缺失。"),
            ("客户诉求", "退还费用并说明原因"),
        ],
        follow_ups=[FollowUpRow("答复客户", datetime(2026, 11, 24, 17, 0))],
        notices=["如对处理结果有异议，可拨打客服热线 10010 反映。"],
        effective="",
        signature=None,
    )


def bill_detail_print() -> OrderPaper:
    return _base(
        service_code="bill_detail_print",
        service_name="详单打印",
        details=[
            ("查询月份", "2026-08 至 2026-10"),
            ("详单类型", "通话、短信、上网详单"),
            ("页数", "共 14 页"),
        ],
        documents=[DocumentRow("居民身份证", True, True)],
        notices=["详单含个人通信信息，请妥善保管。"],
        voided=True,
        signature=paper_signature(),
    )


def all_samples() -> dict[str, OrderPaper]:
    return {
        "sim_replacement": sim_replacement(),
        "group_new_activation": group_new_activation(),
        "long_cancellation": long_cancellation(),
        "fault_report": fault_report(),
        "complaint": complaint(),
        "bill_detail_print": bill_detail_print(),
    }


def daily_report(*, many: int = 0) -> DailyReport:
    """A plausible day; `many` adds that many extra rejections and follow-ups (page flow)."""
    rejections = [
        RejectionLine(
            "10:12", "李晓梅", "补(换)卡", "欠费未结清，须先缴清欠费", "H4401-C03-20261122-00011-3"
        ),
        RejectionLine("14:40", "赵磊", "实名补登", "代办不受理：本运营商仅登记一个身份", ""),
    ]
    follow_ups = [
        FollowUpLine(
            ORDER_NO, "营业执照核发后完善客户身份信息", "2027-02-20 18:00", "李晓梅", "未办结"
        ),
        FollowUpLine(
            "H4401-C01-20261122-00007-5", "障碍修复", "2026-11-22 22:35", "赵磊", "已办结"
        ),
    ]
    for i in range(many):
        rejections.append(
            RejectionLine(
                f"{9 + i % 9:02d}:{i % 60:02d}", "赵磊", "过户", f"协议期内不得过户（第 {i} 例）"
            )
        )
        follow_ups.append(
            FollowUpLine(
                f"H4401-C02-20261122-{i:05d}-1",
                "国际漫游预付款退还",
                "2027-01-22 17:00",
                "赵磊",
                "未办结",
            )
        )
    return DailyReport(
        hall_name="中国联通广州天河北自有营业厅",
        hall_code="H4401",
        business_date="2026-11-22",
        generated_at="2026-11-22 18:05:00",
        prepared_by="值班长 王丽（GZ10001）",
        clerks=[
            ClerkLine("GZ10327", "李晓梅", orders=23, voided=1, rejected=1, amount_fen=356_000),
            ClerkLine("GZ10412", "赵磊", orders=17, voided=0, rejected=1, amount_fen=128_550),
        ],
        services=[
            ServiceLine("缴费", 18, 301_000, "bill_payment"),
            ServiceLine("补(换)卡", 9, 9_000, "sim_replacement"),
            ServiceLine("新装", 6, 174_550, "new_activation"),
            ServiceLine("障碍申告", 4, 0, "fault_report"),
            ServiceLine("投诉受理", 3, 0, "complaint"),
        ],
        payments=[
            PaymentLine("现金", 21, 198_550),
            PaymentLine("银行卡", 9, 236_000),
            PaymentLine("余额退还（现金）", 1, -3_250),
        ],
        stock=[
            StockLine("USIM 卡", "张", opening=200, used=15, received=0, closing=185),
            StockLine("有价卡 50 元", "张", opening=60, used=4, received=20, closing=75),
            StockLine("发票", "份", opening=500, used=31, closing=469),
        ],
        differences=[
            DifferenceLine(
                "有价卡 50 元", expected=76, counted=75, explanation="一张作废卡已登记待报废"
            ),
            DifferenceLine(
                "现金",
                expected=198_550,
                counted=198_500,
                explanation="找零差额，已由值班长核实",
                money=True,
            ),
        ],
        rejections=rejections,
        follow_ups=follow_ups,
        notes=["16:20 自助缴费终端卡纸一次，已处理。"],
    )
