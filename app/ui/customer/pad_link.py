"""Two signature pads showing one signature: the customer's (large, on their screen) and the
clerk's (on the signature page).

Whichever pad was last drawn on is the signature's *source*: its strokes, in its own
coordinates, are what is stored (`SignaturePad.strokes_json` records the pad's size with
them). The other pad shows a copy scaled to fit, so the clerk sees the signature arrive
stroke by stroke. Clearing or undoing on either pad does the same on the other. A copy is
drawn again when its pad changes size (the customer's screen opening full-screen).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Signal

from app.ui.kit.signature_pad import Point, SignaturePad

__all__ = ["PadLink", "fit_strokes"]


def fit_strokes(strokes: Sequence[Sequence[Point]], src_w: int, src_h: int, dst_w: int,
                dst_h: int) -> list[list[Point]]:
    """The strokes scaled (same factor both ways) from a src-sized pad into a dst-sized one,
    centred; unchanged when either size is unknown."""
    if min(src_w, src_h, dst_w, dst_h) <= 0:
        return [list(s) for s in strokes]
    k = min(dst_w / src_w, dst_h / src_h)
    dx, dy = (dst_w - src_w * k) / 2, (dst_h - src_h * k) / 2
    return [[(x * k + dx, y * k + dy, t) for x, y, t in stroke] for stroke in strokes]


class PadLink(QObject):
    """Keeps `clerk` and `customer` showing the same signature; `changed` after each change."""

    changed = Signal()

    def __init__(self, clerk: SignaturePad, customer: SignaturePad,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clerk, self.customer = clerk, customer
        self._source: SignaturePad = clerk
        self._copying = False
        clerk.signature_changed.connect(lambda: self._drawn(clerk))
        customer.signature_changed.connect(lambda: self._drawn(customer))
        clerk.installEventFilter(self)
        customer.installEventFilter(self)

    def source(self) -> SignaturePad:
        """The pad the signature was drawn on (the one whose strokes are stored)."""
        return self._source

    def signed_by_customer(self) -> bool:
        return self._source is self.customer and not self.customer.is_empty()

    def clear(self) -> None:
        self.customer.clear()  # the other follows through `_drawn`

    def _drawn(self, pad: SignaturePad) -> None:
        if self._copying:
            return
        other = self.customer if pad is self.clerk else self.clerk
        if not pad.is_empty():
            self._source = pad
        self._copying = True
        try:
            other.set_strokes(fit_strokes(pad.strokes(), pad.width(), pad.height(),
                                          other.width(), other.height()))
        finally:
            self._copying = False
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is not self._source \
                and not self._source.is_empty():
            self._drawn(self._source)  # the copy, fitted to the new size
        return False
