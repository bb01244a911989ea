"""The receipt (业务凭证 / 收据): 80 mm thermal roll or A5 sheet.

The roll layout is one page exactly as tall as its content. Its printable width (72 mm) is
narrower than a 10-mil Code128 of a full order number, so the barcode runs along the roll
there (see `barcode.py`); on A5 it is printed across as usual.
"""

from __future__ import annotations

from typing import Any, Literal

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table

from app.printing.barcode import BarcodeFlowable
from app.printing.blocks import (
    GRID,
    BoldText,
    cell,
    fmt_time,
    kv_grid,
    money,
    section,
    styles,
    table_style,
)
from app.printing.direct import Line, PlainGrid
from app.printing.pages import DocInfo, Marks, Stamp, build_flow_pdf, build_roll_pdf
from app.printing.paper import OrderPaper
from app.printing.parts import money_table, title_block
from app.printing.phones import mask_paper_phones

__all__ = ["RECEIPT_TITLE", "ReceiptLayout", "render_receipt"]

ReceiptLayout = Literal["thermal", "a5"]
RECEIPT_TITLE = "业务凭证（收据）"
ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm  # 72 mm printable, the usual width of an 80 mm thermal head
A5_MARGIN = 12 * mm
KEEP_TEXT = "请妥善保管本凭证。如有疑问，请凭本凭证到营业厅咨询。"


def _info(paper: OrderPaper) -> DocInfo:
    return DocInfo(
        title=f"{RECEIPT_TITLE} {paper.order_no}",
        subject=paper.service_name,
        author=paper.hall_name,
        header_left=f"{RECEIPT_TITLE}（续）",
        header_right=f"单号 {paper.order_no}",
        footer_left=f"单号 {paper.order_no}",
        footer_right=f"{paper.hall_code} · {paper.counter_no}号柜台",
    )


def _marks_in_flow(paper: OrderPaper) -> list[Flowable]:
    out: list[Flowable] = []
    if paper.voided:
        out.append(Stamp("已作废", 18))
    if paper.reprint_count > 0:
        out.append(Stamp(f"补打（第{paper.reprint_count}次）", 11))
    return out


def _rule(space: float = 3) -> HRFlowable:
    return HRFlowable(
        width="100%", thickness=0.6, color=GRID, dash=(2, 2), spaceBefore=space, spaceAfter=space
    )


def _table(rows: list[list[Any]], widths: list[float], cmds: list[tuple[Any, ...]]) -> Flowable:
    """The roll's tables, drawn straight onto the canvas when `PlainGrid` can (see grid.py)."""

    def table() -> Table:
        t = Table(rows, colWidths=widths, hAlign="LEFT")
        t.setStyle(table_style(cmds))
        return t

    return PlainGrid.build(rows, widths, table_style(cmds).getCommands(), table) or table()


def _roll_lines(pairs: list[tuple[str, str | None]], width: float, base: float) -> Flowable:
    label_w = 15 * mm
    rows = [[k, cell(v, width - label_w, base)] for k, v in pairs]
    return _table(
        rows,
        [label_w, width - label_w],
        [
            ("FONTSIZE", (0, 0), (-1, -1), base),
            ("LEADING", (0, 0), (-1, -1), base * 1.4),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
        ],
    )


def _roll_money(paper: OrderPaper, width: float, base: float) -> Flowable:
    st = styles(base)
    amount_w = 24 * mm
    rows: list[list[Any]] = []
    rules: list[tuple[Any, ...]] = []

    def add(label: str, fen: int, big: bool = False, line_above: bool = False) -> None:
        if line_above:
            rules.append(("LINEABOVE", (0, len(rows)), (-1, len(rows)), 0.5, GRID))
        if big:
            rows.append([Line(label, st["big"]), Line(money(fen), st["big_right"])])
        else:
            rows.append([cell(label, width - amount_w, base), money(fen)])

    rows.append(["项目", "金额（元）"])
    rules.append(("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID))
    if not paper.fees and not paper.payments:
        add("本业务不收取费用", 0)
    else:
        for f in paper.fees:
            add(f.name, f.amount_fen)
        add("应收合计", paper.total_fen, big=True, line_above=True)
        for i, p in enumerate(paper.payments):  # what was handed over: 20.00 for 10.00 due
            add(f"收款：{p.method}", p.received_fen, line_above=i == 0)
        add("实收合计", paper.paid_fen, line_above=True)
        add("找零", paper.change_fen)
    return _table(
        rows,
        [width - amount_w, amount_w],
        [
            ("FONTSIZE", (0, 0), (-1, -1), base),
            ("LEADING", (0, 0), (-1, -1), base * 1.4),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            *rules,
        ],
    )


def _thermal_story(paper: OrderPaper, base: float = 8.5) -> list[Flowable]:
    st = styles(base)
    width = ROLL_WIDTH - 2 * ROLL_MARGIN
    story: list[Flowable] = [
        Line(paper.hall_name, st["subtitle"]),
        Spacer(1, 1),
        BoldText(RECEIPT_TITLE, 13, space_after=1),
        *_marks_in_flow(paper),
        _rule(),
        _roll_lines(
            [
                ("单号", paper.order_no),
                ("时间", fmt_time(paper.created_at)),
                ("柜台", f"{paper.hall_code} · {paper.counter_no}号柜台"),
                ("营业员", f"{paper.clerk_name}（{paper.clerk_no}）"),
                ("客户", paper.customer_name),
                ("号码", paper.line_number),
                ("业务", paper.service_name),
            ],
            width,
            base,
        ),
        _rule(),
        _roll_money(paper, width, base),
        _rule(),
        Spacer(1, 2),
        BarcodeFlowable(paper.order_no, bar_height=13 * mm, font_size=8, allow_vertical=True),
        Spacer(1, 3),
        Line(f"单号：{paper.order_no}", st["center"]),
        _rule(),
        Line(KEEP_TEXT, st["small"]),
        *_marks_in_flow(paper),
    ]
    return story


def _a5_story(paper: OrderPaper, base: float = 9) -> list[Flowable]:
    st = styles(base)
    width = A5[0] - 2 * A5_MARGIN
    wide: list[tuple[str, str | None]] = [
        ("单号", paper.order_no),
        ("营业厅", f"{paper.hall_name}（{paper.hall_code}）"),
        ("客户", paper.customer_name),
    ]
    pairs: list[tuple[str, str | None]] = [
        ("时间", fmt_time(paper.created_at)),
        ("柜台", f"{paper.counter_no} 号柜台"),
        ("营业员", f"{paper.clerk_name}（{paper.clerk_no}）"),
        ("业务号码", paper.line_number),
        ("业务", paper.service_name),
    ]
    return [
        title_block(RECEIPT_TITLE, [paper.hall_name], paper.order_no, width, base),
        *section("业务信息", width, base, break_before=False),
        kv_grid(wide, width, columns=1, label_width=16 * mm, base=base),
        kv_grid(pairs, width, label_width=16 * mm, base=base),
        *section("费用与收款", width, base),
        money_table(paper, width, base),
        Spacer(1, 4),
        Line(KEEP_TEXT, st["small"]),
        *_marks_in_flow(paper),
    ]


def render_receipt(paper: OrderPaper, layout: ReceiptLayout = "thermal") -> bytes:
    """The receipt as PDF bytes: `thermal` (80 mm roll) or `a5`."""
    paper = mask_paper_phones(paper)
    if layout == "thermal":
        # No watermark on the roll: a thermal head prints black only and would drop or
        # dither a light one; the boxed marks at the top and the foot say it instead.
        return build_roll_pdf(
            _thermal_story(paper),
            width=ROLL_WIDTH,
            info=_info(paper),
            marks=Marks(paper.reprint_count, voided=False),
            margin_x=ROLL_MARGIN,
        )
    if layout == "a5":
        marks = Marks(paper.reprint_count, paper.voided)
        return build_flow_pdf(
            _a5_story(paper), pagesize=A5, info=_info(paper), marks=marks, margin_x=A5_MARGIN
        )
    raise ValueError(f"unknown receipt layout: {layout!r} (expected 'thermal' or 'a5')")
