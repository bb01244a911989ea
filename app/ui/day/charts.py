"""Bar charts drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.kit.theme import PALETTE

BAR = QColor(PALETTE["primary"])
BAR_ALT = QColor("#90caf9")
GRID = QColor("#dde3ea")


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if factor * step >= value:
            return factor * step
    return 10 * step


class BarChart(QWidget):
    """Vertical bars (e.g. orders per hour) or horizontal bars (per service, long labels).

    `set_data([(label, value), ...])`; optional second series drawn stacked in a lighter
    colour (e.g. the batch channel beside the counter)."""

    def __init__(self, title: str, *, horizontal: bool = False,
                 value_text: Callable[[float], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.value_text = value_text or (lambda v: f"{v:g}")
        self.data: list[tuple[str, float]] = []
        self.extra: list[float] = []
        self.legend: tuple[str, str] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)

    def set_data(self, data: Sequence[tuple[str, float]], extra: Sequence[float] = (),
                 legend: tuple[str, str] | None = None) -> None:
        self.data = list(data)
        self.extra = list(extra)
        self.legend = legend
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 260)

    def _total(self, i: int) -> float:
        return self.data[i][1] + (self.extra[i] if i < len(self.extra) else 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(PALETTE["surface"]))
        fm = QFontMetrics(self.font())
        line = fm.height()
        p.setPen(QColor(PALETTE["text"]))
        title_font = self.font()
        title_font.setBold(True)
        p.setFont(title_font)
        p.drawText(QRectF(8, 4, self.width() - 16, line + 4),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        p.setFont(self.font())
        if self.legend:
            self._draw_legend(p, fm)
        area = QRectF(8, line + 14, self.width() - 16, self.height() - line - 22)
        if not self.data:
            p.setPen(QColor(PALETTE["muted"]))
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("No data"))
            p.end()
            return
        top = _nice_max(max(self._total(i) for i in range(len(self.data))))
        if self.horizontal:
            self._draw_horizontal(p, fm, area, top)
        else:
            self._draw_vertical(p, fm, area, top)
        p.end()

    def _draw_legend(self, p: QPainter, fm: QFontMetrics) -> None:
        assert self.legend is not None
        x = self.width() - 8
        for text, color in ((self.legend[1], BAR_ALT), (self.legend[0], BAR)):
            w = fm.horizontalAdvance(text)
            x -= w
            p.setPen(QColor(PALETTE["text"]))
            p.drawText(int(x), 4 + fm.ascent() + 2, text)
            x -= 16
            p.fillRect(QRectF(x, 6, 12, 12), color)
            x -= 12

    def _draw_vertical(self, p: QPainter, fm: QFontMetrics, area: QRectF, top: float) -> None:
        # As wide as the widest tick label (2.5 is wider than 5).
        axis_w = max(fm.horizontalAdvance(self.value_text(top * k / 4)) for k in range(5)) + 6
        plot = QRectF(area.left() + axis_w, area.top(), area.width() - axis_w,
                      area.height() - fm.height() - 4)
        self._grid_lines(p, fm, plot, top, vertical=True)
        n = len(self.data)
        slot = plot.width() / n
        bar_w = max(2.0, slot * 0.7)
        every = max(1, int((fm.horizontalAdvance("00") + 6) // max(slot, 1)) + 1)
        for i, (label, value) in enumerate(self.data):
            x = plot.left() + i * slot + (slot - bar_w) / 2
            h = plot.height() * value / top
            p.fillRect(QRectF(x, plot.bottom() - h, bar_w, h), BAR)
            extra = self.extra[i] if i < len(self.extra) else 0
            if extra:
                h2 = plot.height() * extra / top
                p.fillRect(QRectF(x, plot.bottom() - h - h2, bar_w, h2), BAR_ALT)
            if i % every == 0:
                p.setPen(QColor(PALETTE["muted"]))
                p.drawText(QRectF(plot.left() + i * slot - 10, plot.bottom() + 2, slot + 20,
                                  fm.height()), Qt.AlignmentFlag.AlignHCenter, label)
            total = value + extra
            if total and slot > fm.horizontalAdvance(self.value_text(total)):
                p.setPen(QColor(PALETTE["text"]))
                p.drawText(QRectF(x - 6, plot.bottom() - plot.height() * total / top
                                  - fm.height(), bar_w + 12, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter, self.value_text(total))

    def _draw_horizontal(self, p: QPainter, fm: QFontMetrics, area: QRectF, top: float) -> None:
        label_w = min(area.width() * 0.4, max(fm.horizontalAdvance(lb) for lb, _ in self.data)
                      + 8)
        value_w = max(fm.horizontalAdvance(self.value_text(v)) for _, v in self.data) + 8
        plot = QRectF(area.left() + label_w, area.top(), area.width() - label_w - value_w,
                      area.height())
        n = len(self.data)
        slot = min(plot.height() / n, fm.height() * 1.8)
        bar_h = max(2.0, slot * 0.65)
        self._grid_lines(p, fm, QRectF(plot.left(), plot.top(), plot.width(), slot * n), top,
                         vertical=False)
        for i, (label, value) in enumerate(self.data):
            y = plot.top() + i * slot + (slot - bar_h) / 2
            w = plot.width() * value / top
            p.fillRect(QRectF(plot.left(), y, w, bar_h), BAR)
            p.setPen(QColor(PALETTE["text"]))
            p.drawText(QRectF(area.left(), y - 4, label_w - 6, bar_h + 8),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 6)))
            p.drawText(QRectF(plot.left() + w + 4, y - 4, value_w, bar_h + 8),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       self.value_text(value))

    def _grid_lines(self, p: QPainter, fm: QFontMetrics, plot: QRectF, top: float, *,
                    vertical: bool) -> None:
        p.setPen(QPen(GRID, 1))
        for k in range(5):
            frac = k / 4
            if vertical:
                y = plot.bottom() - plot.height() * frac
                p.setPen(QPen(GRID, 1))
                p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
                p.setPen(QColor(PALETTE["muted"]))
                text = self.value_text(top * frac)
                p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 4, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            else:
                x = plot.left() + plot.width() * frac
                p.setPen(QPen(GRID, 1))
                p.drawLine(int(x), int(plot.top()), int(x), int(plot.bottom()))
