"""What a receipt or a ticket shows on a thermal roll, as lines of text of a fixed width.

The same `OrderPaper` and the same wording as the PDF papers (`app.printing.receipt`,
`app.printing.tickets`): hall name, title, 补打 / 已作废 marks, the order's lines, the money
table (应收合计, 收款, 实收合计, 找零) and the order number as a code. Phones are masked the same
way (`mask_paper_phones`) and ID numbers only ever come as the masked strings of the paper.

Widths are counted in printer columns (`text.text_width`: a Chinese character is two), so a
58 mm roll gets 32 columns and an 80 mm roll 48. The renderer turns these ops into ESC/POS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.printing.blocks import DASH, fmt_due, fmt_time, money
from app.printing.paper import OrderPaper
from app.printing.parts import ON_PAPER_TEXT, presenter_text
from app.printing.phones import mask_paper_phones
from app.printing.receipt import KEEP_TEXT, RECEIPT_TITLE
from app.printing.tickets import TICKET_KINDS, TicketKind, ticket_deadline

from .text import fit_right, pad, text_width, wrap

__all__ = ["COLUMNS", "KINDS", "Code", "Line", "Op", "PaperKind", "Rule", "layout",
           "thermal_kinds"]

PaperKind = Literal["receipt", "fault-ticket", "complaint-ticket"]
KINDS: dict[str, str | None] = {  # our kind -> the ticket's service code
    "receipt": None, "fault-ticket": "fault_report", "complaint-ticket": "complaint"}
COLUMNS = {58: 32, 80: 48}  # font A (12 x 24 dots) on 384 / 576 printable dots


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    center: bool = False
    tall: bool = False  # double height (same width, so the column count holds)


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Code:
    """The order number as a symbol (CODE128 or QR, chosen by the renderer)."""

    text: str


Op = Line | Rule | Code


def thermal_kinds(paper: OrderPaper) -> list[PaperKind]:
    """The papers of an order that suit the receipt printer, in printing order (the A4 slip and
    the bill cover do not: they stay PDF). Same rule as `app.printing.papers_for`."""
    out: list[PaperKind] = []
    if paper.fees or paper.payments:
        out.append("receipt")
    if paper.service_code == "fault_report":
        out.append("fault-ticket")
    elif paper.service_code == "complaint":
        out.append("complaint-ticket")
    return out


def _wrapped(text: str, cols: int, **style: bool) -> list[Op]:
    return [Line(t, **style) for t in wrap(text, cols)]


def _marks(paper: OrderPaper, cols: int) -> list[Op]:
    out: list[Op] = []
    if paper.voided:
        out += _wrapped("【已作废】", cols, bold=True, center=True)
    if paper.reprint_count > 0:
        out += _wrapped(f"【补打（第{paper.reprint_count}次）】", cols, bold=True, center=True)
    return out


def _pairs(rows: Sequence[tuple[str, str | None]], cols: int) -> list[Op]:
    """Label and value side by side; long values wrap under the value column."""
    label_w = min(max(text_width(k) for k, _ in rows) + 2, cols // 2)
    out: list[Op] = []
    for label, value in rows:
        value = value if value not in (None, "") else DASH
        if text_width(label) + 1 > label_w:  # a long label gets a line of its own
            out += _wrapped(label, cols)
            out += [Line("  " + t) for t in wrap(value, cols - 2)]
            continue
        parts = wrap(value, cols - label_w)
        out.append(Line(pad(label, label_w) + parts[0]))
        out += [Line(" " * label_w + t) for t in parts[1:]]
    return out


def _amount_rows(rows: list[tuple[str, str, bool]], cols: int) -> list[Op]:
    """Label on the left, amount flush right; a long label wraps above its amount."""
    amount_w = max(text_width(a) for _, a, _ in rows)
    out: list[Op] = []
    for label, amount, bold in rows:
        parts = wrap(label, cols - amount_w - 1)
        out += [Line(t, bold=bold) for t in parts[:-1]]
        out.append(Line(fit_right(parts[-1], amount, cols), bold=bold))
    return out


def _money(paper: OrderPaper, cols: int) -> list[Op]:
    head: list[tuple[str, str, bool]] = [("项目", "金额（元）", False)]
    if not paper.fees and not paper.payments:
        return [*_amount_rows(head, cols), Rule(),
                *_amount_rows([("本业务不收取费用", money(0), False)], cols)]
    fees = [(f.name, money(f.amount_fen), False) for f in paper.fees]
    # 收款 what was handed over (20.00 for 10.00 due); 实收 what is kept; 找零 the change.
    paid = [(f"收款：{p.method}", money(p.received_fen), False) for p in paper.payments]
    return [
        *_amount_rows(head, cols), Rule(),
        *_amount_rows([*fees, ("应收合计", money(paper.total_fen), True)], cols), Rule(),
        *(_amount_rows(paid, cols) if paid else []),
        *_amount_rows([("实收合计", money(paper.paid_fen), True),
                       ("找零", money(paper.change_fen), True)], cols),
    ]


def _head(paper: OrderPaper, title: str, cols: int) -> list[Op]:
    return [*_wrapped(paper.hall_name, cols, bold=True, center=True, tall=True),
            *_wrapped(title, cols, bold=True, center=True), *_marks(paper, cols), Rule()]


def _foot(paper: OrderPaper, cols: int, note: str) -> list[Op]:
    return [Code(paper.order_no), *_wrapped(f"单号：{paper.order_no}", cols, center=True),
            Rule(), *_wrapped(note, cols), *_marks(paper, cols)]


def _receipt(paper: OrderPaper, cols: int) -> list[Op]:
    return [
        *_head(paper, RECEIPT_TITLE, cols),
        *_pairs([
            ("单号", paper.order_no),
            ("时间", fmt_time(paper.created_at)),
            ("柜台", f"{paper.hall_code} · {paper.counter_no}号柜台"),
            ("营业员", f"{paper.clerk_name}（{paper.clerk_no}）"),
            ("客户", paper.customer_name),
            ("号码", paper.line_number),
            ("业务", paper.service_name),
        ], cols),
        Rule(),
        *_money(paper, cols),
        Rule(),
        *_foot(paper, cols, KEEP_TEXT),
    ]


def _section(title: str, cols: int) -> list[Op]:
    return [Rule(), *_wrapped(f"【{title}】", cols, bold=True)]


def _ticket(paper: OrderPaper, kind: TicketKind, cols: int) -> list[Op]:
    out = _head(paper, kind.title, cols)
    out += _wrapped(f"{paper.hall_name}（{paper.hall_code}）", cols)
    out += _wrapped(f"受理单号：{paper.order_no}", cols)
    deadline = ticket_deadline(paper)
    if deadline is None:
        out += _wrapped(f"{kind.deadline_label}：未登记（请向值班长确认）", cols, bold=True)
    else:
        out += _wrapped(f"{kind.deadline_label}：{fmt_due(deadline.due)}", cols, bold=True)
        out += _wrapped(f"事项：{deadline.name}", cols)
    rows: list[tuple[str, str | None]] = [("客户名称", paper.customer_name)]
    if paper.unit_name and paper.unit_name != paper.customer_name:
        rows.append(("单位名称", paper.unit_name))
    rows += [
        ("号码/线路", paper.line_number),
        ("受理时间", fmt_time(paper.created_at)),
        ("柜台", f"{paper.counter_no} 号柜台"),
        ("首问负责人", f"{paper.clerk_name}（{paper.clerk_no}）"),
        ("证件号码", paper.customer_id_masked),
        (kind.person, f"{paper.presenter_name}（{presenter_text(paper)}）"),
        (f"{kind.person}证件", paper.presenter_id_masked),
    ]
    out += [*_section("受理信息", cols), *_pairs(rows, cols)]
    out += _section(kind.content_label, cols)
    out += _pairs(paper.details, cols) if paper.details else _wrapped(DASH, cols)
    if paper.follow_ups:
        out += _section("跟踪事项", cols)
        for f in sorted(paper.follow_ups, key=lambda f: f.due):
            out += _amount_rows([(f.name, fmt_due(f.due), False)], cols)
    notes = [f"本单实行首问负责制：{paper.clerk_name}（工号 {paper.clerk_no}）负责跟踪至办结。"]
    notes += [n for n in kind.standing_notes if n not in paper.notices]
    notes += paper.notices
    out += _section("告知事项", cols)
    for i, note in enumerate(notes, 1):
        out += _wrapped(f"{i}．{note}", cols)
    out += _section("客户确认", cols)
    out += _wrapped(f"以上{kind.content_label}由{kind.person}本人陈述，受理信息准确无误。", cols)
    out += _signature(paper, kind, cols)
    return [*out, Rule(), *_foot(paper, cols, "请妥善保管本单。如有疑问，请凭本单到营业厅咨询。")]


def _signature(paper: OrderPaper, kind: TicketKind, cols: int) -> list[Op]:
    sig = paper.signature
    if sig is not None and sig.png and not sig.on_paper:
        said = f"{kind.person}签字：已电子签名（{fmt_time(sig.signed_at)}）"
    elif sig is not None and sig.on_paper:
        said = f"{kind.person}签字：{ON_PAPER_TEXT}"
    else:  # room to sign on the roll
        return [*_wrapped(f"{kind.person}签字：", cols), Line(""), Line("_" * (cols * 2 // 3))]
    return _wrapped(said, cols)


def layout(paper: OrderPaper, kind: str, cols: int) -> list[Op]:
    """The ops of one paper `kind` ("receipt", "fault-ticket", "complaint-ticket")."""
    if kind not in KINDS:
        raise ValueError(f"no receipt-printer paper {kind!r} (only {', '.join(KINDS)})")
    if cols < 24:
        raise ValueError(f"a receipt needs at least 24 columns, not {cols}")
    paper = mask_paper_phones(paper)
    service = KINDS[kind]
    if service is None:
        return _receipt(paper, cols)
    return _ticket(paper, TICKET_KINDS[service], cols)
