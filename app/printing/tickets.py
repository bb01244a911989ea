"""Fault report ticket (障碍申告受理单) and complaint ticket (投诉受理单), A4.

Both are the customer's copy of a request the hall must answer within a time limit: the
ticket shows the first-ask owner (首问负责人) and, boxed, the deadline: the earliest due time
among the order's follow-ups (for a fault: service restored; for a complaint: the promised
answer). All follow-ups are listed under it. A4 like the slip, so the counter's laser printer
needs no second paper size.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app.printing.blocks import (
    MARK_RED,
    esc,
    fmt_due,
    fmt_time,
    kv_grid,
    section,
    styles,
    table_style,
)
from app.printing.pages import build_order_pdf
from app.printing.paper import FollowUpRow, OrderPaper
from app.printing.parts import (
    Numberer,
    confirm_block,
    details_table,
    follow_up_table,
    notice_flowables,
    presenter_text,
    title_block,
)
from app.printing.phones import mask_paper_phones

__all__ = ["TICKET_KINDS", "TicketKind", "render_ticket", "ticket_deadline"]

PAGE = A4
MARGIN_X = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X


@dataclass(frozen=True)
class TicketKind:
    title: str
    deadline_label: str  # what the boxed time promises
    person: str  # who brought the request
    content_label: str
    standing_notes: tuple[str, ...]  # printed on every ticket of this kind


TICKET_KINDS: dict[str, TicketKind] = {
    "fault_report": TicketKind(
        title="障碍申告受理单",
        deadline_label="承诺修复时限",
        person="申告人",
        content_label="申告内容",
        standing_notes=("障碍时限自申告时起计算，至恢复通信为止。",),
    ),
    "complaint": TicketKind(
        title="投诉受理单",
        deadline_label="承诺答复时间",
        person="投诉人",
        content_label="投诉内容",
        standing_notes=("投诉已登记入投诉台账，办结后我们将对您进行回访。",),
    ),
}


def ticket_deadline(paper: OrderPaper) -> FollowUpRow | None:
    """The follow-up due first: the time the hall promised on this ticket."""
    return min(paper.follow_ups, key=lambda f: f.due, default=None)


def _deadline_box(kind: TicketKind, deadline: FollowUpRow | None, base: float) -> Table:
    st = styles(base)
    if deadline is None:
        text = f"{kind.deadline_label}：未登记（请向值班长确认）"
    else:
        text = f"{kind.deadline_label}：{fmt_due(deadline.due)}"
    rows = [[Paragraph(esc(text), st["big"])]]
    if deadline is not None:
        rows.append([Paragraph(f"事项：{esc(deadline.name)}", st["body"])])
    t = Table(rows, colWidths=[WIDTH], hAlign="LEFT")
    t.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.6, MARK_RED),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (0, 0), 3),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
            ]
        )
    )
    t.spaceBefore = 5
    return t


def build_ticket_story(paper: OrderPaper, kind: TicketKind, base: float = 9.5) -> list[Flowable]:
    num = Numberer()
    w = WIDTH
    deadline = ticket_deadline(paper)
    story: list[Flowable] = [
        title_block(
            kind.title,
            [f"{paper.hall_name}（{paper.hall_code}）", f"受理单号：{paper.order_no}"],
            paper.order_no,
            w,
            base,
        ),
        _deadline_box(kind, deadline, base),
    ]
    wide: list[tuple[str, str | None]] = [("客户名称", paper.customer_name)]
    if paper.unit_name and paper.unit_name != paper.customer_name:
        wide.append(("单位名称", paper.unit_name))
    wide.append(("号码/线路", paper.line_number))
    pairs: list[tuple[str, str | None]] = [
        ("受理时间", fmt_time(paper.created_at)),
        ("柜台", f"{paper.counter_no} 号柜台"),
        ("首问负责人", f"{paper.clerk_name}（{paper.clerk_no}）"),
        ("证件号码", paper.customer_id_masked),
        (kind.person, f"{paper.presenter_name}（{presenter_text(paper)}）"),
        (f"{kind.person}证件", paper.presenter_id_masked),
    ]
    story += [
        *section(num("受理信息"), w, base),
        kv_grid(wide, w, columns=1, label_width=24 * mm, base=base),
        kv_grid(pairs, w, label_width=24 * mm, base=base),
    ]
    story += [
        *section(num(kind.content_label), w, base),
        details_table([], paper.details, w, base, label_width=40 * mm),
    ]
    if paper.follow_ups:
        story += [
            *section(num("跟踪事项"), w, base),
            follow_up_table(sorted(paper.follow_ups, key=lambda f: f.due), w, base),
        ]
    notes = [f"本单实行首问负责制：{paper.clerk_name}（工号 {paper.clerk_no}）负责跟踪至办结。"]
    notes += [n for n in kind.standing_notes if n not in paper.notices]
    notes += paper.notices
    story += [*section(num("告知事项"), w, base), Spacer(1, 2), *notice_flowables(notes, base)]
    story += confirm_block(
        paper,
        num("客户确认"),
        f"以上{kind.content_label}由{kind.person}本人陈述，受理信息准确无误。",
        w,
        base,
        who=f"{kind.person}签字：",
    )
    return story


def render_ticket(paper: OrderPaper) -> bytes:
    """Fault report or complaint ticket as PDF bytes (A4), by `paper.service_code`."""
    paper = mask_paper_phones(paper)
    kind = TICKET_KINDS.get(paper.service_code)
    if kind is None:
        raise ValueError(
            f"no ticket for service {paper.service_code!r} (only {', '.join(TICKET_KINDS)})"
        )
    return build_order_pdf(
        build_ticket_story(paper, kind), paper=paper, title=kind.title,
        header_left=f"{kind.title}（续）", number_label="单号",
        footer_right=f"首问负责人 {paper.clerk_name}", pagesize=PAGE, margin_x=MARGIN_X,
    )
