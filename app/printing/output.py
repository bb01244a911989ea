"""Which papers an order needs, and writing them to disk atomically."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.printing.bill_cover import render_bill_cover
from app.printing.paper import OrderPaper
from app.printing.receipt import ReceiptLayout, render_receipt
from app.printing.slip import render_slip
from app.printing.tickets import TICKET_KINDS, render_ticket

__all__ = ["atomic_write", "paper_file_stem", "papers_for", "write_order_papers"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def paper_file_stem(paper: OrderPaper) -> str:
    """File name start: the order number (anything but letters, digits, '-', '_', '.' -> '_')."""
    stem = _UNSAFE.sub("_", paper.order_no).strip(".")
    if not stem:
        raise ValueError(f"order number unusable as a file name: {paper.order_no!r}")
    return stem


def papers_for(
    paper: OrderPaper, receipt_layout: ReceiptLayout = "thermal"
) -> list[tuple[str, Callable[[], bytes]]]:
    """(kind, renderer) of each paper the order needs, in printing order.

    The slip always; a receipt when there are fees or payments; a ticket for a fault report or
    a complaint; the cover for an itemized-bill print.
    """
    out: list[tuple[str, Callable[[], bytes]]] = [("slip", lambda: render_slip(paper))]
    if paper.fees or paper.payments:
        out.append(("receipt", lambda: render_receipt(paper, receipt_layout)))
    if paper.service_code in TICKET_KINDS:
        kind = "fault-ticket" if paper.service_code == "fault_report" else "complaint-ticket"
        out.append((kind, lambda: render_ticket(paper)))
    if paper.service_code == "bill_detail_print":
        out.append(("bill-cover", lambda: render_bill_cover(paper)))
    return out


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the whole new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":  # make the rename itself durable
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def write_order_papers(
    paper: OrderPaper, out_dir: Path, *, receipt_layout: ReceiptLayout = "thermal"
) -> list[Path]:
    """Render every paper the order needs and write them into `out_dir`.

    Names: `<order no>_<kind>[_reprint<n>][_voided].pdf`, kind one of slip, receipt,
    fault-ticket, complaint-ticket, bill-cover. All papers are rendered before the first file
    is written, so a rendering error leaves no partial set; each file is replaced atomically.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = ""
    if paper.reprint_count > 0:
        suffix += f"_reprint{paper.reprint_count}"
    if paper.voided:
        suffix += "_voided"
    stem = paper_file_stem(paper)
    rendered = [(kind, render()) for kind, render in papers_for(paper, receipt_layout)]
    paths: list[Path] = []
    for kind, data in rendered:
        path = out_dir / f"{stem}_{kind}{suffix}.pdf"
        atomic_write(path, data)
        paths.append(path)
    return paths
