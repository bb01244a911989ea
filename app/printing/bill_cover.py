"""Cover sheet of an itemized-bill print-out (详单打印封面), A4.

Itemized bills are customer communication records: the cover says whose they are, who took
them (owner or the unit's agent, IDs masked), what was printed, and asks the holder to keep
them confidential. The bill pages themselves come from the billing system.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app.printing.blocks import MARK_RED, fmt_time, kv_grid, section, styles, table_style
from app.printing.pages import build_order_pdf
from app.printing.paper import OrderPaper
from app.printing.parts import (
    Numberer,
    confirm_block,
    customer_pairs,
    details_table,
    documents_table,
    notice_flowables,
    title_block,
)
from app.printing.phones import mask_paper_phones

__all__ = ["BILL_COVER_TITLE", "CONFIDENTIAL_TEXT", "render_bill_cover"]

BILL_COVER_TITLE = "详单打印封面"
CONFIDENTIAL_TEXT = (
    "本详单含客户通信信息，属客户个人信息，仅供客户本人或经授权的经办人使用。"
    "请妥善保管，不得转交无关人员；不再需要时请自行销毁。"
)
PAGE = A4
MARGIN_X = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X


def _confidential(base: float) -> Table:
    st = styles(base)
    t = Table(
        [[Paragraph("保密提示", st["section"])], [Paragraph(CONFIDENTIAL_TEXT, st["body"])]],
        colWidths=[WIDTH],
        hAlign="LEFT",
    )
    t.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.4, MARK_RED),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    t.spaceBefore = 6
    return t


def build_bill_cover_story(paper: OrderPaper, base: float = 9.5) -> list[Flowable]:
    num = Numberer()
    w = WIDTH
    story: list[Flowable] = [
        title_block(
            BILL_COVER_TITLE,
            [f"{paper.hall_name}（{paper.hall_code}）", f"受理单号：{paper.order_no}"],
            paper.order_no,
            w,
            base,
        ),
        _confidential(base),
    ]
    story += [
        *section(num("客户信息"), w, base),
        kv_grid(
            [("业务号码", paper.line_number), *customer_pairs(paper)],
            w,
            label_width=26 * mm,
            base=base,
        ),
    ]
    story += [
        *section(num("打印内容"), w, base),
        details_table([("办理业务", paper.service_name)], paper.details, w, base),
    ]
    printed: list[tuple[str, str | None]] = [
        ("打印时间", fmt_time(paper.created_at)),
        ("营业日", paper.business_date),
        ("营业厅", f"{paper.hall_name}（{paper.hall_code}）"),
        ("柜台", f"{paper.counter_no} 号柜台"),
        ("营业员", f"{paper.clerk_name}（工号 {paper.clerk_no}）"),
    ]
    story += [*section(num("打印记录"), w, base), kv_grid(printed, w, base=base)]
    if paper.documents:
        story += [*section(num("证件核验"), w, base), documents_table(paper, w, base)]
    if paper.notices:
        story += [*section(num("告知事项"), w, base), Spacer(1, 2)]
        story += notice_flowables(paper.notices, base)
    story += confirm_block(
        paper,
        num("领取确认"),
        "本人（经办人）已领取上述详单，知悉保密提示，并对详单内容妥善保管。",
        w,
        base,
        who="领取人签字：",
    )
    return story


def render_bill_cover(paper: OrderPaper) -> bytes:
    """The itemized-bill cover as PDF bytes (A4)."""
    paper = mask_paper_phones(paper)
    return build_order_pdf(
        build_bill_cover_story(paper), paper=paper, title=BILL_COVER_TITLE,
        header_left=f"{BILL_COVER_TITLE}（续）", pagesize=PAGE, margin_x=MARGIN_X,
    )
