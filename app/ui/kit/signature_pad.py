"""A pad on which the customer signs with a mouse, a pen tablet or a finger.

The pad records strokes as points ``(x, y, t_ms)`` in the pad's logical coordinates, `t_ms`
counted from the first point of the signature, and draws them smoothed (quadratic curves through
the midpoints of successive points). `to_png` renders the signature alone, cropped with a
margin, on white, for the order record and the printed papers; `strokes_json` keeps the raw
strokes (with their timing) as evidence.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QElapsedTimer,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageWriter,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

__all__ = ["Point", "SignaturePad", "Stroke"]

Point = tuple[float, float, int]
Stroke = list[Point]

STROKES_FORMAT_VERSION = 1
_INK = QColor("#101820")
_PEN_WIDTH = 2.6  # logical pixels on the pad
_MIN_POINT_DISTANCE = 1.0  # points closer than this to the previous one are dropped
_PNG_MARGIN = 12.0  # logical pixels around the signature in `to_png`


def _stroke_path(stroke: Sequence[Point]) -> QPainterPath:
    """A smooth path through the points: quadratic segments between successive midpoints."""
    path = QPainterPath()
    if not stroke:
        return path
    x0, y0, _ = stroke[0]
    path.moveTo(x0, y0)
    if len(stroke) == 2:
        path.lineTo(stroke[1][0], stroke[1][1])
        return path
    for (xa, ya, _), (xb, yb, _) in itertools.pairwise(stroke[1:]):
        path.quadTo(xa, ya, (xa + xb) / 2, (ya + yb) / 2)
    if len(stroke) > 2:
        path.lineTo(stroke[-1][0], stroke[-1][1])
    return path


def _paint_strokes(painter: QPainter, strokes: Sequence[Sequence[Point]], width: float) -> None:
    pen = QPen(_INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for stroke in strokes:
        if len(stroke) == 1:  # a tap: a dot
            x, y, _ = stroke[0]
            painter.setBrush(_INK)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(QPointF(x, y), width / 2, width / 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        elif stroke:
            painter.drawPath(_stroke_path(stroke))


class SignaturePad(QWidget):
    """Draw a signature; `signature_changed` fires after each stroke, undo, clear or load."""

    signature_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._clock = QElapsedTimer()
        self.setObjectName("signaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TabletTracking, False)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(300, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Signature pad"))

    def sizeHint(self) -> QSize:
        return QSize(600, 200)

    # -- public API -----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self._strokes and self._current is None

    def strokes(self) -> list[list[tuple[float, float, int]]]:
        """A copy of the finished strokes: points (x, y, ms since the signature began)."""
        return [list(stroke) for stroke in self._strokes]

    def set_strokes(self, strokes: Sequence[Sequence[Sequence[float]]]) -> None:
        """Replace the signature (e.g. to show one again); points are (x, y, t_ms)."""
        self._current = None
        self._strokes = [
            [(float(p[0]), float(p[1]), int(p[2])) for p in stroke] for stroke in strokes if stroke
        ]
        self.update()
        self.signature_changed.emit()

    def strokes_json(self) -> str:
        """The strokes as JSON: ``{"version", "width", "height", "strokes": [[[x, y, t]...]]}``."""
        return json.dumps(
            {
                "version": STROKES_FORMAT_VERSION,
                "width": self.width(),
                "height": self.height(),
                "strokes": [
                    [[round(x, 1), round(y, 1), t] for x, y, t in stroke]
                    for stroke in self._strokes
                ],
            },
            separators=(",", ":"),
        )

    def load_strokes_json(self, text: str) -> None:
        data = json.loads(text)
        if data.get("version") != STROKES_FORMAT_VERSION:
            raise ValueError(f"unknown signature format version: {data.get('version')!r}")
        self.set_strokes(data["strokes"])

    def clear(self) -> None:
        """Wipe the pad (the customer signs again)."""
        if self.is_empty():
            return
        self._strokes.clear()
        self._current = None
        self.update()
        self.signature_changed.emit()

    def undo(self) -> bool:
        """Remove the last stroke; returns False if there was none."""
        if not self._strokes:
            return False
        self._strokes.pop()
        self.update()
        self.signature_changed.emit()
        return True

    def bounding_rect(self) -> QRectF:
        """The rectangle covered by the points (without pen width); empty if unsigned."""
        points = [p for stroke in self._strokes for p in stroke]
        if not points:
            return QRectF()
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def to_image(self, max_size: QSize | None = None, pixel_ratio: float = 2.0) -> QImage:
        """The signature on white, cropped with a margin, scaled down to fit `max_size`.

        `max_size` (default 600x200) is in logical pixels; the image has `pixel_ratio` times as
        many pixels (2 by default, for print) and carries that device pixel ratio.
        """
        if not self._strokes:
            raise ValueError("the signature pad is empty")
        box = max_size if max_size is not None else QSize(600, 200)
        crop = self.bounding_rect().adjusted(-_PNG_MARGIN, -_PNG_MARGIN, _PNG_MARGIN, _PNG_MARGIN)
        scale = min(1.0, box.width() / crop.width(), box.height() / crop.height())
        logical_w = max(1, math.ceil(crop.width() * scale))
        logical_h = max(1, math.ceil(crop.height() * scale))
        image = QImage(
            max(1, round(logical_w * pixel_ratio)),
            max(1, round(logical_h * pixel_ratio)),
            QImage.Format.Format_RGB32,
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            painter.scale(scale * pixel_ratio, scale * pixel_ratio)
            painter.translate(-crop.left(), -crop.top())
            # keep the line readable when the signature is scaled down a lot
            _paint_strokes(painter, self._strokes, max(_PEN_WIDTH, 1.2 / scale))
        finally:
            painter.end()
        image.setDevicePixelRatio(pixel_ratio)
        return image

    def to_png(self, max_size: QSize | None = None, pixel_ratio: float = 2.0) -> bytes:
        """`to_image` encoded as PNG. Raises ValueError if the pad is empty."""
        image = self.to_image(max_size, pixel_ratio)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QImageWriter(buffer, QByteArray(b"png"))
        if not writer.write(image):
            raise OSError(f"could not encode the signature as PNG: {writer.errorString()}")
        buffer.close()
        return bytes(data.data())

    # -- input ----------------------------------------------------------------------------------

    def _begin(self, pos: QPointF) -> None:
        if not self._strokes or not self._clock.isValid():
            self._clock.start()
        self._current = [(pos.x(), pos.y(), int(self._clock.elapsed()))]
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._current is None:
            return
        x, y = pos.x(), pos.y()
        last_x, last_y, _ = self._current[-1]
        if math.hypot(x - last_x, y - last_y) < _MIN_POINT_DISTANCE:
            return
        self._current.append((x, y, int(self._clock.elapsed())))
        self.update()

    def _end(self, pos: QPointF) -> None:
        if self._current is None:
            return
        self._extend(pos)
        self._strokes.append(self._current)
        self._current = None
        self.update()
        self.signature_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._current is not None:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepting the tablet event stops Qt from also synthesising mouse events from it.
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position())
        else:
            event.ignore()
            return
        event.accept()

    # -- painting -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("Signature pad"))
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            rect = QRectF(self.rect())
            painter.fillRect(rect, QColor("white"))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            # the line to sign on
            base_y = rect.bottom() - rect.height() * 0.25
            painter.setPen(QPen(QColor("#b0bec5"), 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(rect.left() + 24, base_y), QPointF(rect.right() - 24, base_y))
            if self.is_empty():
                font = painter.font()
                font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.6)
                painter.setFont(font)
                painter.setPen(QColor("#90a4ae"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("Please sign here"))
            strokes: list[Stroke] = list(self._strokes)
            if self._current is not None:
                strokes.append(self._current)
            _paint_strokes(painter, strokes, _PEN_WIDTH)
            painter.setPen(QPen(QColor("#78909c"), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        finally:
            painter.end()
