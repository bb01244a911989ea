"""The customer's side of the signature page: which monitor, the slip shown, the pads linked.

`CustomerSigning` belongs to the signature page. When the page opens it builds the visit's
acceptance slip and renders its pages on a worker (`proof_paper`, `pdf_pages`); with a
second monitor it opens the customer's screen there by itself, else the clerk turns it to the
customer (`turn_to_customer`). The customer's pad and the clerk's show the same strokes
(`PadLink`). Leaving the page hides the customer's screen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage, QScreen
from PySide6.QtWidgets import QWidget

from app.ui.customer.pad_link import PadLink
from app.ui.customer.screen import CustomerScreen
from app.ui.customer.screen_choice import ScreenChoice, choose_screen, screen_setting
from app.ui.kit import i18n
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import OpContext, QueryOp
from app.ui.kit.signature_pad import SignaturePad

if TYPE_CHECKING:
    from app.ui.customer.proof_paper import ProofInput
    from app.ui.shell.context import AppContext

__all__ = ["SLIP_DPI", "CustomerSigning", "screen_choice_now"]

logger = logging.getLogger(__name__)

SLIP_DPI = 150  # as the print preview: sharp when fitted to a 1920 px wide monitor


def _pick(zh: str, en: str) -> str:
    return en if i18n.installed_language() == "en" else zh


def screen_choice_now(clerk_window: QWidget | None,
                      screens: list[QScreen] | None = None) -> ScreenChoice:
    """The choice for the monitors connected now and devices.ini as it is now."""
    from app.devices.config import DeviceConfigError, load

    screens = list(QGuiApplication.screens()) if screens is None else screens
    clerk = clerk_window.screen() if clerk_window is not None else None
    clerk_index = screens.index(clerk) if clerk in screens else 0
    try:
        setting = screen_setting(load())
    except DeviceConfigError as exc:
        return ScreenChoice(None, exc.zh, exc.en)
    return choose_screen(setting, len(screens), clerk_index)


class CustomerSigning(QObject):
    """`status` carries a sentence for the clerk whenever the customer's side changes."""

    status = Signal(str)
    slip_ready = Signal(int)  # the number of pages shown to the customer
    returned = Signal()  # the customer's screen handed back to the clerk

    def __init__(self, ctx: AppContext, clerk_pad: SignaturePad, clerk_page: QWidget) -> None:
        super().__init__(clerk_page)
        self.ctx = ctx
        self.clerk_page = clerk_page
        self.screen = CustomerScreen(clerk_page)
        self.link = PadLink(clerk_pad, self.screen.pad, self)
        self.pdf: bytes | None = None
        self.digest = ""
        self.turned = False  # shown on the clerk's own monitor
        self._seq = 0
        self.screen.back_to_clerk.connect(self.back_to_clerk)

    # -- the slip ------------------------------------------------------------------------------

    def prepare(self, proof: ProofInput, summary: str) -> None:
        """Build and render the slip the customer signs (on a worker; late results of an
        earlier visit state are dropped)."""
        from app.ui.customer.proof_paper import render_proof_slip
        from app.ui.devices.pdf_pages import render_pages

        self._seq += 1
        seq, ctx = self._seq, self.ctx
        self.pdf, self.digest = None, proof.content_hash
        self.screen.summary.setText(summary)
        self.screen.slip.set_message(self.tr("Preparing the acceptance slip..."))

        def work(_c: OpContext) -> tuple[bytes, list[QImage]]:
            pdf = render_proof_slip(ctx.db, ctx.pd, ctx.catalog, proof)
            return pdf, render_pages(pdf, SLIP_DPI)  # QImage: fine off the GUI thread

        (QueryOp(ctx.runner, work).success(lambda out: self._ready(seq, *out))
         .failure(lambda f: self._failed(seq, f)).run_in_background())

    def _ready(self, seq: int, pdf: bytes, images: list[QImage]) -> None:
        if not shiboken6.isValid(self) or seq != self._seq:
            return
        self.pdf = pdf
        self.screen.slip.set_pages(images)
        self.slip_ready.emit(len(images))

    def _failed(self, seq: int, failure: OpFailure) -> None:
        if not shiboken6.isValid(self) or seq != self._seq:
            return
        exc = failure.exception
        zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
        message = _pick(zh, en) if isinstance(zh, str) and isinstance(en, str) \
            else failure.message
        self.screen.slip.set_message(message)
        self.status.emit(self.tr("The slip cannot be shown to the customer: {why}").format(
            why=message))

    # -- the customer's screen ------------------------------------------------------------------

    def open_by_itself(self) -> ScreenChoice:
        """Open on the customer's monitor when there is one (devices.ini decides)."""
        choice = screen_choice_now(self.clerk_page.window())
        if choice.index is not None:
            self.turned = False
            self.screen.show_on(QGuiApplication.screens()[choice.index])
        self.status.emit(choice.sentence(self.ctx.lang))
        return choice

    def turn_to_customer(self) -> None:
        """Full-screen on the clerk's own monitor, for the customer to read and sign."""
        self.turned = True
        self.screen.show_on(self.clerk_page.window().screen())
        self.status.emit(self.tr("Turned to the customer: Esc on that screen comes back."))

    def back_to_clerk(self) -> None:
        """The customer is done (or Esc): the clerk's window again, the strokes kept."""
        if self.turned:
            self.turned = False
            self.screen.hide()
            window = self.clerk_page.window()
            window.raise_()
            window.activateWindow()
        self.returned.emit()

    def close(self) -> None:
        """The page was left: nothing stays on the customer's monitor."""
        self.turned = False
        self._seq += 1  # a slip still being rendered is no longer wanted
        self.screen.hide()

    def is_showing(self) -> bool:
        return self.screen.isVisible()
