"""The acceptance slip / service order (业务受理单): A4, as many pages as the order needs."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.printing.blocks import fmt_time, kv_grid, section
from app.printing.pages import build_order_pdf
from app.printing.paper import OrderPaper
from app.printing.parts import (
    Numberer,
    campaign_table,
    confirm_block,
    customer_pairs,
    details_table,
    documents_table,
    follow_up_table,
    money_table,
    notice_flowables,
    presenter_text,
    title_block,
)
from app.printing.phones import mask_paper_phones

__all__ = ["CONFIRM_TEXT", "SLIP_TITLE", "build_slip_story", "render_slip"]

SLIP_TITLE = "业务受理单"
PAGE = A4
MARGIN_X = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
CONFIRM_TEXT = (
    "本人（经办人）已阅读并知悉上述告知事项，确认以上业务信息、证件资料及费用准确无误，同意办理。"
)


def confirm_words(paper: OrderPaper) -> tuple[str, str]:
    """The confirmation and the signer's label in the hall's terms: the owner signs as 客户,
    a personal customer's agent as 代办人, a unit's person as 经办人 (never one for the other)."""
    if paper.presenter_role == "owner":
        return CONFIRM_TEXT.replace("（经办人）", ""), "客户签字："
    who = presenter_text(paper)  # 经办人 | 代办人
    return CONFIRM_TEXT.replace("经办人", who), f"{who}签字："


def _notices(paper: OrderPaper) -> list[str]:
    """The service's notices, less those that only repeat a detail printed above (the 销户
    slip said "销户原因：搬家" under 业务内容 and again under 告知事项)."""
    said = {f"{label}{colon}{value}".replace(" ", "")
            for label, value in paper.details for colon in ("：", ":")}
    return [n for n in paper.notices if n.replace(" ", "") not in said]


def build_slip_story(paper: OrderPaper, base: float = 9) -> list[Flowable]:
    num = Numberer()
    w = WIDTH
    story: list[Flowable] = [
        title_block(
            SLIP_TITLE,
            [f"{paper.hall_name}（{paper.hall_code}）", f"受理单号：{paper.order_no}"],
            paper.order_no,
            w,
            base,
        )
    ]
    accepted: list[tuple[str, str | None]] = [
        ("营业厅", f"{paper.hall_name}（{paper.hall_code}）"),
        ("受理柜台", f"{paper.counter_no} 号柜台"),
        ("营业员", f"{paper.clerk_name}（工号 {paper.clerk_no}）"),
        ("受理时间", fmt_time(paper.created_at)),
        ("营业日", paper.business_date),
        ("业务号码", paper.line_number),
    ]
    story += [*section(num("受理信息"), w, base), kv_grid(accepted, w, base=base)]
    story += [
        *section(num("客户信息"), w, base),
        kv_grid(customer_pairs(paper), w, label_width=26 * mm, base=base),
    ]
    story += [
        *section(num("业务内容"), w, base),
        details_table(
            [("办理业务", paper.service_name), ("生效方式", paper.effective or "—")],
            paper.details,
            w,
            base,
        ),
    ]
    if paper.campaign is not None:
        story += [*section(num("营销活动"), w, base), campaign_table(paper.campaign, w, base)]
    story += [*section(num("证件核验"), w, base), documents_table(paper, w, base)]
    story += [*section(num("费用与收款"), w, base), money_table(paper, w, base)]
    notices = _notices(paper)
    if notices:
        story += [*section(num("告知事项"), w, base), Spacer(1, 2)]
        story += notice_flowables(notices, base)
    if paper.follow_ups:
        story += [*section(num("后续事项"), w, base), follow_up_table(paper.follow_ups, w, base)]
    text, signer = confirm_words(paper)
    story += confirm_block(paper, num("客户确认"), text, w, base, who=signer)
    return story


def render_slip(paper: OrderPaper) -> bytes:
    """The acceptance slip as PDF bytes (A4, embedded font, page x / y in the footer)."""
    paper = mask_paper_phones(paper)
    return build_order_pdf(
        build_slip_story(paper), paper=paper, title=SLIP_TITLE,
        header_left=f"{SLIP_TITLE}（续）　{paper.hall_name}", pagesize=PAGE, margin_x=MARGIN_X,
    )
