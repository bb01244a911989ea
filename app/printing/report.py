"""The daily report (营业日报) as an A4 PDF: summary, then one table per subject, sign-off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from app.printing.blocks import (
    GRID,
    LABEL_BG,
    BoldText,
    esc,
    grid_table,
    kv_grid,
    money,
    section,
    styles,
    table_style,
)
from app.printing.daily import DailyReport, DifferenceLine
from app.printing.fonts import ensure_fonts
from app.printing.pages import DocInfo, Marks, build_flow_pdf
from app.printing.parts import Numberer, chunks
from app.printing.phones import mask_report_phones

__all__ = ["REPORT_TITLE", "render_daily_report", "revenue_chart"]

REPORT_TITLE = "营业日报"
PAGE = A4
MARGIN_X = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN_X
NONE_TEXT = "无"
CELL_CHUNK = 300  # characters of one cell per table row
CHART_HEIGHT = 62 * mm
CHART_BAR = colors.Color(0.08, 0.40, 0.75)  # the day view's bar colour
CHART_LABEL_MAX = 10  # characters of a category label under a bar


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[str | int]],
    widths_mm: Sequence[float],
    base: float,
    *,
    numeric: Sequence[int] = (),
    total: Sequence[str | int] | None = None,
) -> Table:
    """A ruled table with a repeated header; `numeric` columns right-aligned; optional total."""
    st = styles(base)
    scale = WIDTH / (sum(widths_mm) * mm)
    widths = [w * mm * scale for w in widths_mm]

    def cell(value: str | int, col: int, style: str = "value", blank: bool = False) -> Paragraph:
        text = "" if blank and value == "" else esc(str(value))
        return Paragraph(text, st["right" if col in numeric else style])

    data: list[list[Any]] = [[cell(h, i, "label") for i, h in enumerate(head)]]
    for r in rows:
        # A row must fit on a page: very long text goes on continuation rows.
        pieces = [chunks(v, CELL_CHUNK) if isinstance(v, str) else [v] for v in r]
        for k in range(max((len(p) for p in pieces), default=1)):
            data.append(
                [
                    cell(p[k], i) if k < len(p) else cell("", i, blank=True)
                    for i, p in enumerate(pieces)
                ]
            )
    if not rows:
        data.append([Paragraph(NONE_TEXT, st["value"])] + [""] * (len(head) - 1))
    extra: list[tuple[Any, ...]] = []
    if not rows:
        extra.append(("SPAN", (0, 1), (-1, 1)))
    if total is not None and rows:
        extra.append(("BACKGROUND", (0, len(data)), (-1, len(data)), LABEL_BG))
        data.append([cell(v, i, "label", blank=True) for i, v in enumerate(total)])
    return grid_table(data, widths, header=True, extra=extra)


def _diff_text(d: DifferenceLine) -> tuple[str, str, str]:
    if d.money:
        delta = d.counted - d.expected
        return money(d.expected), money(d.counted), ("+" if delta > 0 else "") + money(delta)
    delta = d.counted - d.expected
    return str(d.expected), str(d.counted), f"{delta:+d}"


def _sign_off(base: float) -> Table:
    st = styles(base)
    cells = [
        [Paragraph("营业员代表签字：", st["label"]), Spacer(1, 14 * mm)],
        [Paragraph("值班长签字：", st["label"]), Spacer(1, 14 * mm)],
        [Paragraph("厅经理签字：", st["label"]), Spacer(1, 14 * mm)],
    ]
    t = Table([cells], colWidths=[WIDTH / 3] * 3, hAlign="LEFT")
    t.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return t


def _bar_chart(title: str, labels: Sequence[str], fen: Sequence[int], x: float, width: float,
               base: float) -> list[Any]:
    """One bar chart (yuan) with its title, placed at `x` in the drawing."""
    font = ensure_fonts()
    chart = VerticalBarChart()
    chart.x, chart.y = x + 12 * mm, 16 * mm
    chart.width, chart.height = width - 16 * mm, CHART_HEIGHT - 28 * mm
    values = [round(f / 100, 2) for f in fen]
    chart.data = [values]
    chart.valueAxis.valueMin = min(0.0, *values)
    top = max(0.0, *values)
    chart.valueAxis.valueMax = top * 1.15 if top > 0 else 1.0  # room for the bar labels
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = base - 2
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.categoryAxis.categoryNames = [
        lb if len(lb) <= CHART_LABEL_MAX else lb[: CHART_LABEL_MAX - 1] + "…" for lb in labels]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = base - 1.5
    if len(labels) > 4:  # slanted, so that names do not run into each other
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.bars[0].fillColor = CHART_BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = base - 2.5
    chart.barLabels.nudge = 6
    heading = String(x + 2 * mm, CHART_HEIGHT - 6 * mm, title, fontName=font, fontSize=base)
    return [chart, heading]


def revenue_chart(r: DailyReport, width: float = WIDTH, base: float = 9) -> Drawing:
    """Two bar charts side by side: net revenue per payment method, and per clerk."""
    drawing = Drawing(width, CHART_HEIGHT)
    half = width / 2
    per_method = [sum(line.amounts[i] for line in r.revenue)
                  for i in range(len(r.revenue_methods))]
    for shape in (*_bar_chart("按收款方式（元）", r.revenue_methods, per_method, 0, half, base),
                  *_bar_chart("按营业员（元）", [line.name for line in r.revenue],
                              [line.total for line in r.revenue], half, half, base)):
        drawing.add(shape)
    return drawing


def _revenue(r: DailyReport, num: Numberer, base: float) -> list[Flowable]:
    """The revenue section: per clerk and payment method (net of refunds), then the chart."""
    methods = r.revenue_methods
    story: list[Flowable] = [*section(num("营业收入（按收款方式、按营业员，已扣退款）"), WIDTH, base)]
    totals = [sum(line.amounts[i] for line in r.revenue) for i in range(len(methods))]
    story.append(_table(
        ["营业员", "收款笔数", *methods, "合计（元）"],
        [[line.name, line.orders, *(money(a) for a in line.amounts), money(line.total)]
         for line in r.revenue],
        [40, 18, *([24] * len(methods)), 28],
        base,
        numeric=list(range(1, len(methods) + 3)),
        total=["合计", sum(line.orders for line in r.revenue), *(money(t) for t in totals),
               money(sum(totals))],
    ))
    if r.revenue:
        story += [Spacer(1, 3), revenue_chart(r, WIDTH, base)]
    return story


def build_report_story(r: DailyReport, base: float = 9) -> list[Flowable]:
    st = styles(base)
    num = Numberer()
    sub = [f"{r.hall_name}（{r.hall_code}）", f"营业日：{r.business_date}"]
    if r.generated_at:
        sub.append(f"生成时间：{r.generated_at}")
    if r.prepared_by:
        sub.append(f"制表：{r.prepared_by}")
    story: list[Flowable] = [BoldText(REPORT_TITLE, 20, align="left", space_after=3)]
    story += [Paragraph(esc("　　".join(sub)), st["body"]), Spacer(1, 3)]

    orders = sum(c.orders for c in r.clerks)
    voided = sum(c.voided for c in r.clerks)
    rejected = sum(c.rejected for c in r.clerks)
    taken = sum(p.amount_fen for p in r.payments)
    open_follow_ups = sum(1 for f in r.follow_ups if f.status != "已办结")
    summary: list[tuple[str, str | None]] = [
        ("受理笔数", str(orders)),
        ("作废笔数", str(voided)),
        ("拒办笔数", str(rejected)),
        ("收款合计（元）", money(taken)),
        ("盘点差异", f"{len(r.differences)} 项"),
        ("未办结后续事项", f"{open_follow_ups} 项"),
    ]
    story += [
        *section(num("当日概况"), WIDTH, base),
        kv_grid(summary, WIDTH, label_width=30 * mm, base=base),
    ]

    story += [
        *section(num("营业员受理情况"), WIDTH, base),
        _table(
            ["工号", "姓名", "受理", "作废", "拒办", "收款（元）"],
            [
                [c.clerk_no, c.clerk_name, c.orders, c.voided, c.rejected, money(c.amount_fen)]
                for c in r.clerks
            ],
            [25, 35, 20, 20, 20, 30],
            base,
            numeric=[2, 3, 4, 5],
            total=[
                "合计",
                "",
                orders,
                voided,
                rejected,
                money(sum(c.amount_fen for c in r.clerks)),
            ],
        ),
    ]
    story += [
        *section(num("业务受理统计"), WIDTH, base),
        _table(
            ["业务", "笔数", "金额（元）"],
            [[s.service_name, s.orders, money(s.amount_fen)] for s in r.services],
            [90, 30, 40],
            base,
            numeric=[1, 2],
            total=[
                "合计",
                sum(s.orders for s in r.services),
                money(sum(s.amount_fen for s in r.services)),
            ],
        ),
    ]
    if r.queue:
        story += [
            *section(num("排队叫号（等候与办理时长，分:秒）"), WIDTH, base),
            _table(
                ["分组", "名称", "人次", "平均等候", "P90 等候", "平均办理", "P90 办理"],
                [[q.group, q.name, q.visits, q.wait_avg, q.wait_p90, q.handle_avg, q.handle_p90]
                 for q in r.queue],
                [18, 42, 16, 22, 22, 22, 22],
                base,
                numeric=[2, 3, 4, 5, 6],
            ),
        ]
    story += [
        *section(num("收款方式"), WIDTH, base),
        _table(
            ["收款方式", "笔数", "金额（元）"],
            [[p.method, p.count, money(p.amount_fen)] for p in r.payments],
            [90, 30, 40],
            base,
            numeric=[1, 2],
            total=["合计", sum(p.count for p in r.payments), money(taken)],
        ),
    ]
    story += _revenue(r, num, base)
    story += [
        *section(num("物品领用与盘点"), WIDTH, base),
        _table(
            ["物品", "单位", "期初", "入库", "使用", "期末实点"],
            [[s.item, s.unit, s.opening, s.received, s.used, s.closing] for s in r.stock],
            [60, 16, 22, 22, 22, 24],
            base,
            numeric=[2, 3, 4, 5],
        ),
    ]
    story += [
        *section(num("差异说明"), WIDTH, base),
        _table(
            ["项目", "应有", "实点", "差异", "说明"],
            [[d.item, *_diff_text(d), d.explanation] for d in r.differences],
            [38, 22, 22, 20, 70],
            base,
            numeric=[1, 2, 3],
        ),
    ]
    story += [
        *section(num("拒办记录"), WIDTH, base),
        _table(
            ["时间", "营业员", "业务", "拒办原因", "单号"],
            [[x.time, x.clerk_name, x.service_name, x.reason, x.order_no] for x in r.rejections],
            [20, 18, 24, 56, 52],
            base,
        ),
    ]
    story += [
        *section(num("后续事项"), WIDTH, base),
        _table(
            ["单号", "事项", "办结时限", "首问负责人", "状态"],
            [[f.order_no, f.name, f.due, f.owner, f.status] for f in r.follow_ups],
            [44, 50, 32, 24, 18],
            base,
        ),
    ]
    if r.notes:
        story += [*section(num("备注"), WIDTH, base), Spacer(1, 2)]
        for i, note in enumerate(r.notes, 1):
            for j, piece in enumerate(chunks(note, 2000)):
                prefix = f"{i}．" if j == 0 else ""
                story.append(Paragraph(prefix + esc(piece), st["notice"]))
    story.append(
        KeepTogether([*section(num("签字确认"), WIDTH, base, break_before=False), _sign_off(base)])
    )
    return story


def render_daily_report(report: DailyReport) -> bytes:
    """The daily report as PDF bytes (A4, tables flow over pages, header rows repeated)."""
    report = mask_report_phones(report)
    info = DocInfo(
        title=f"{REPORT_TITLE} {report.hall_code} {report.business_date}",
        subject=REPORT_TITLE,
        author=report.hall_name,
        header_left=f"{REPORT_TITLE}（续）　{report.hall_name}",
        header_right=f"营业日 {report.business_date}",
        footer_left=f"{report.hall_code} · {report.business_date}",
        footer_right=report.generated_at,
    )
    marks = Marks(report.reprint_count, False)
    return build_flow_pdf(
        build_report_story(report), pagesize=PAGE, info=info, marks=marks, margin_x=MARGIN_X
    )
