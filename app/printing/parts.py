"""Pieces of an order's papers, shared by the slip, the A5 receipt, the tickets and the cover.

Every function takes the usable width and the body font size, so the same piece lays out on
A4 or A5. Long free text is cut into rows of bounded size: a table row must never be taller
than a page (platypus cannot split a row).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table

from app.printing.barcode import BarcodeFlowable, symbol_width
from app.printing.blocks import (
    GRID,
    LABEL_BG,
    BoldText,
    CheckBox,
    cell,
    fmt_due,
    fmt_time,
    grid_table,
    money,
    section,
    styles,
    table_style,
)
from app.printing.direct import Line, PlainGrid
from app.printing.fonts import ensure_fonts
from app.printing.paper import CampaignRow, FollowUpRow, OrderPaper, SignatureInfo

__all__ = [
    "ON_PAPER_TEXT",
    "SEAL_TEXT",
    "Numberer",
    "campaign_table",
    "chunks",
    "confirm_block",
    "customer_kind_text",
    "customer_pairs",
    "details_table",
    "documents_table",
    "follow_up_table",
    "money_table",
    "notice_flowables",
    "presenter_text",
    "signature_flowables",
    "title_block",
]

SEAL_TEXT = "营业厅业务专用章"
ON_PAPER_TEXT = "客户已在纸面签字"
DETAIL_CHUNK = 360  # characters per table row
_NUMERALS = "一二三四五六七八九十"


class Numberer:
    """Numbers the sections that are actually printed: 一、二、三…"""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, title: str) -> str:
        self.n += 1
        return f"{chinese_numeral(self.n)}、{title}"


def chinese_numeral(n: int) -> str:
    """1..99 in Chinese numerals (一 … 十、十一 … 九十九); larger numbers in digits."""
    if not 1 <= n <= 99:
        return str(n)
    tens, units = divmod(n, 10)
    unit = _NUMERALS[units - 1] if units else ""
    if not tens:
        return unit
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + unit


def customer_kind_text(kind: str) -> str:
    return {"personal": "公众客户", "group": "集团客户"}.get(kind, kind)


def presenter_text(paper: OrderPaper) -> str:
    if paper.presenter_role == "owner":
        return "机主本人"
    return "经办人" if paper.customer_kind == "group" else "代办人"


def chunks(text: str, size: int = DETAIL_CHUNK) -> list[str]:
    """Split a long value into pieces of at most `size` characters, preferring line breaks."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    rest = text
    while len(rest) > size:
        cut = rest.rfind("\n", 0, size)
        cut = cut + 1 if cut > size // 2 else size
        out.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:]
    if rest:
        out.append(rest)
    return out


def title_block(
    title: str, lines: Sequence[str], order_no: str, width: float, base: float
) -> Flowable:
    """Paper title with a few lines under it, and the order number's barcode.

    The barcode sits at the right of the title when both fit side by side (A4), else under it.
    """
    st = styles(base)
    left: list[Flowable] = [BoldText(title, base + 11, align="left", space_after=3)]
    left += [Line(line, st["body"]) for line in lines]
    code_w = symbol_width(order_no) + 2 * mm
    beside = width - code_w >= 80 * mm
    if beside:
        code = BarcodeFlowable(order_no, bar_height=12 * mm, font_size=base, h_align="RIGHT")
        rows: list[list[Any]] = [[left, code]]
        widths = [width - code_w, code_w]
    else:
        code = BarcodeFlowable(order_no, bar_height=11 * mm, font_size=base - 0.5)
        rows = [[left], [code]]
        widths = [width]
    style = table_style(
        [
            ("FONTSIZE", (0, 0), (-1, -1), 10),  # Table's defaults, said for PlainGrid
            ("LEADING", (0, 0), (-1, -1), 12),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (-1, -1), (-1, -1), "RIGHT" if beside else "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, GRID),
        ]
    )

    def table() -> Table:
        t = Table(rows, colWidths=widths, hAlign="LEFT")
        t.setStyle(style)
        return t

    return PlainGrid.build(rows, widths, style.getCommands(), table) or table()


def customer_pairs(paper: OrderPaper) -> list[tuple[str, str | None]]:
    """Customer, unit (group customers) and the person at the counter, IDs masked."""
    pairs: list[tuple[str, str | None]] = [
        ("客户类型", customer_kind_text(paper.customer_kind)),
        ("客户名称", paper.customer_name),
        ("证件类型", paper.customer_id_type),
        ("证件号码", paper.customer_id_masked),
    ]
    if paper.customer_kind == "group" or paper.unit_name or paper.unit_registration_masked:
        pairs += [
            ("单位名称", paper.unit_name or paper.customer_name),
            ("单位证件号码", paper.unit_registration_masked),
        ]
    same_person = (
        paper.presenter_role == "owner"
        and paper.presenter_name == paper.customer_name
        and paper.presenter_id_masked == paper.customer_id_masked
    )
    if same_person:
        pairs.append(("办理人", "机主本人"))
    else:
        role = presenter_text(paper)
        pairs += [
            ("办理人身份", role),
            (f"{role}姓名", paper.presenter_name),
            (f"{role}证件", paper.presenter_id_type),
            (f"{role}证件号码", paper.presenter_id_masked),
        ]
    return pairs


def details_table(
    first_rows: Sequence[tuple[str, str]],
    details: Sequence[tuple[str, str]],
    width: float,
    base: float,
    *,
    label_width: float = 40 * mm,
) -> Flowable:
    """Label/value rows; `first_rows` values are printed larger (e.g. the service name)."""
    st = styles(base)
    rows: list[list[Any]] = [[Line(k, st["label"]), Line(v, st["big"])] for k, v in first_rows]
    value_width = width - label_width
    for label, value in details:
        for i, piece in enumerate(chunks(value or "")):
            shown = label if i == 0 else f"{label}（续）"
            rows.append([cell(shown, label_width, base, "label"), cell(piece, value_width, base)])
    if not rows:
        rows.append(["—", "—"])
    return grid_table(rows, [label_width, value_width], label_cols=[0], base=base)


def campaign_table(campaign: CampaignRow, width: float, base: float) -> Flowable:
    """The campaign and tier by name, the gift, and the terms the customer agrees to."""
    rows = [("活动名称", campaign.name), ("活动档次", campaign.tier)]
    if campaign.gift:
        rows.append(("赠品", campaign.gift))
    rows.append(("活动条款", campaign.terms))
    return details_table([], rows, width, base)


def documents_table(paper: OrderPaper, width: float, base: float) -> Flowable:
    tick_w = min(30 * mm, width * 0.2)
    name_w = width - 2 * tick_w
    rows: list[list[Any]] = [["证件 / 资料", "原件已验", "复印留存"]]
    for d in paper.documents:
        for i, piece in enumerate(chunks(d.name)):
            boxes: list[Any] = (
                [CheckBox(d.original_seen), CheckBox(d.copy_retained)] if i == 0 else ["", ""]
            )
            rows.append([cell(piece, name_w, base), *boxes])
    if not paper.documents:
        rows.append(["本业务未登记证件资料", "", ""])
    return grid_table(
        rows,
        [name_w, tick_w, tick_w],
        header=True,
        extra=[("ALIGN", (1, 0), (-1, -1), "CENTER")],
        base=base,
    )


def money_table(paper: OrderPaper, width: float, base: float) -> Flowable:
    """Fees, their total, payments by method, the amount received and the change."""
    amount_w = min(45 * mm, width * 0.35)
    rows: list[list[Any]] = [["项目", "金额（元）"]]
    shaded: list[int] = []

    def add(label: str, fen: int, total: bool = False) -> None:
        if total:
            shaded.append(len(rows))
        rows.append([cell(label, width - amount_w, base), money(fen)])

    if not paper.fees and not paper.payments:
        add("本业务不收取费用", 0)
    else:
        for f in paper.fees:
            add(f.name, f.amount_fen)
        add("应收合计", paper.total_fen, total=True)
        for p in paper.payments:  # what was handed over (20.00 for 10.00 due), then kept
            add(f"收款：{p.method}", p.received_fen)
        add("实收合计", paper.paid_fen, total=True)
        add("找零", paper.change_fen, total=True)
    extra = [("BACKGROUND", (0, i), (-1, i), LABEL_BG) for i in shaded]
    extra.append(("ALIGN", (1, 0), (1, -1), "RIGHT"))
    return grid_table(rows, [width - amount_w, amount_w], header=True, extra=extra, base=base)


def notice_flowables(notices: Sequence[str], base: float) -> list[Flowable]:
    st = styles(base)
    return [Line(f"{i}．{n}", st["notice"]) for i, n in enumerate(notices, 1)]


def follow_up_table(
    follow_ups: Sequence[FollowUpRow], width: float, base: float, *, due_label: str = "办结时限"
) -> Flowable:
    due_w = min(45 * mm, width * 0.38)
    rows: list[list[Any]] = [["后续事项", due_label]]
    for f in follow_ups:
        rows.append([cell(f.name, width - due_w, base), fmt_due(f.due)])
    return grid_table(rows, [width - due_w, due_w], header=True, base=base)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Pixel size of an image, or None if it cannot be decoded."""
    try:
        w, h = ImageReader(io.BytesIO(data)).getSize()
    except Exception:
        return None
    return (int(w), int(h)) if w > 0 and h > 0 else None


def signature_flowables(
    sig: SignatureInfo | None,
    width: float,
    base: float,
    *,
    who: str = "客户（经办人）签字：",
    height: float = 20 * mm,
) -> list[Flowable]:
    """The drawn signature with its time and content hash, or room to sign on the paper."""
    st = styles(base)
    out: list[Flowable] = [Line(who, st["label"])]
    if sig is not None and sig.png and not sig.on_paper:
        size = _png_size(sig.png)
        if size is None:  # a damaged image must not stop the paper; the hash still binds it
            out.append(Line("（签名图像无法显示）", st["small"]))
        else:
            iw, ih = size
            scale = min(width / iw, height / ih, 1.0 * mm)  # never blow a tiny image up > 1 mm/px
            out.append(
                Image(io.BytesIO(sig.png), width=iw * scale, height=ih * scale, hAlign="LEFT")
            )
    else:
        if sig is not None and sig.on_paper:
            out.append(Line(ON_PAPER_TEXT, st["big"]))
        out.append(Spacer(1, height * 0.55))
        out.append(Line("签字：＿＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿＿", st["body"]))
    if sig is not None:
        out.append(Line(f"签字时间：{fmt_time(sig.signed_at)}", st["small"]))
        if sig.content_hash:
            out.append(Line("签字所确认内容摘要（SHA-256）：", st["tiny"]))
            out.append(Line(sig.content_hash, st["tiny"]))
    return out


def _seal_box(paper: OrderPaper, width: float, height: float, base: float) -> list[Flowable]:
    st = styles(base)
    rows: list[list[Any]] = [[Line(SEAL_TEXT, st["small_center"])], [""]]

    def table() -> Table:
        t = Table(rows, colWidths=[width], rowHeights=[6 * mm, height])
        t.setStyle(
            table_style(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, GRID),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return t

    # drawn straight onto the canvas: Table's defaults (10 pt, valign BOTTOM, paddings 6 / 3)
    box = PlainGrid(
        rows,
        [width],
        font=ensure_fonts(),
        size=10,
        leading=12,
        pad=(2, 3, 6, 6),
        valign="BOTTOM",
        grid=None,
        rules=[],
        backgrounds=[],
        aligns=["LEFT"],
        span_from=None,
        make_table=table,
        row_heights=[6 * mm, height],
        box=(0.8, GRID),
    )
    return [
        box,
        Spacer(1, 2),
        Line(f"营业员：{paper.clerk_name}（{paper.clerk_no}）", st["small"]),
    ]


def confirm_block(
    paper: OrderPaper,
    title: str,
    statement: str,
    width: float,
    base: float,
    *,
    who: str = "客户（经办人）签字：",
    compact: bool = False,
) -> list[Flowable]:
    """Statement, signature and the box for the hall's seal, kept on one page.

    `compact` (A5) makes the signature and the seal box lower.
    """
    st = styles(base)
    sig_h, seal_h = (15 * mm, 22 * mm) if compact else (20 * mm, 28 * mm)
    seal_w = min(52 * mm, width * 0.36)
    inner = Table(
        [
            [
                signature_flowables(
                    paper.signature, width - seal_w - 8, base, who=who, height=sig_h
                ),
                _seal_box(paper, seal_w - 6, seal_h, base),
            ]
        ],
        colWidths=[width - seal_w, seal_w],
        hAlign="LEFT",
    )
    inner.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (0, 0), 0.5, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (1, 0), (1, 0), 0),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 6),
            ]
        )
    )
    return [
        KeepTogether(
            [
                *section(title, width, base, break_before=False),
                Spacer(1, 2),
                Line(statement, st["body"]),
                Spacer(1, 3),
                inner,
            ]
        )
    ]
