"""The counter's papers as PDF: acceptance slip, receipt, tickets, bill cover, daily report.

Qt-free: the renderers take plain data (`OrderPaper`, `DailyReport`) and return PDF bytes with
the CJK font embedded, so they can run in a worker thread and be tested without a display.
The first call loads the font (~0.1 s); call `ensure_fonts()` at start-up to pay that early.

    from app.printing import render_slip, write_order_papers
    pdf = render_slip(paper)
    paths = write_order_papers(paper, spool_dir)
"""

from __future__ import annotations

from app.printing.barcode import code128_modules
from app.printing.bill_cover import render_bill_cover
from app.printing.daily import (
    ClerkLine,
    DailyReport,
    DifferenceLine,
    FollowUpLine,
    PaymentLine,
    RejectionLine,
    ServiceLine,
    StockLine,
)
from app.printing.fonts import (
    FONT_NAME,
    FontMissingError,
    ensure_fonts,
    font_path,
    unsupported_chars,
)
from app.printing.output import atomic_write, papers_for, write_order_papers
from app.printing.paper import (
    CampaignRow,
    DocumentRow,
    FeeRow,
    FollowUpRow,
    OrderPaper,
    PaymentRow,
    SignatureInfo,
)
from app.printing.receipt import ReceiptLayout, render_receipt
from app.printing.report import render_daily_report
from app.printing.slip import render_slip
from app.printing.tickets import render_ticket, ticket_deadline

__all__ = [
    "FONT_NAME",
    "CampaignRow",
    "ClerkLine",
    "DailyReport",
    "DifferenceLine",
    "DocumentRow",
    "FeeRow",
    "FollowUpLine",
    "FollowUpRow",
    "FontMissingError",
    "OrderPaper",
    "PaymentLine",
    "PaymentRow",
    "ReceiptLayout",
    "RejectionLine",
    "ServiceLine",
    "SignatureInfo",
    "StockLine",
    "atomic_write",
    "code128_modules",
    "ensure_fonts",
    "font_path",
    "papers_for",
    "render_bill_cover",
    "render_daily_report",
    "render_receipt",
    "render_slip",
    "render_ticket",
    "ticket_deadline",
    "unsupported_chars",
    "write_order_papers",
]
