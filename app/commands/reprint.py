"""`counter reprint ORDER_NO (--out DIR | --printer URL) [--db URL]`: the papers again, 补打.

    counter reprint H4401-C03-20261122-00042-7 --out papers/
    counter reprint H4401-C03-20261122-00042-7 --printer escpos+tcp://10.0.0.5:9100

Every paper is written as PDF (to --out, or a new temporary folder) and marked 补打 with its
count. With --printer the receipt and the fault/complaint ticket go to that ESC/POS printer
(escpos+tcp://, escpos+serial://, escpos+usb://) in the layout of this workstation's
devices.ini (width_mm, barcode, status; --width / --barcode override); the A4 slip cannot go to
a thermal printer and stays a PDF, which the command says. The printer is only ever the one
named here: devices.ini's url is not used behind the clerk's back, and its fallback_url only
with --fallback. What was printed or written is recorded (PrintedDocument, audit).

Exit status: 0 printed, 2 a wrong URL or setting (nothing recorded), 1 a printer fault (the
one line; the PDFs that were written are recorded).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import EXIT_BAD_INPUT, EXIT_FAIL, CliError

if TYPE_CHECKING:
    from app.db import Database
    from app.devices.config import DeviceConfig

PAPER_NAMES = {  # kind -> (zh, en)
    "slip": ("业务受理单", "acceptance slip"),
    "receipt": ("业务凭证（收据）", "receipt"),
    "fault-ticket": ("障碍申告受理单", "fault report ticket"),
    "complaint-ticket": ("投诉受理单", "complaint ticket"),
    "bill-cover": ("详单打印封面", "bill cover"),
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("reprint", help="print an order's papers again (marked 补打)")
    p.add_argument("order_no")
    p.add_argument("--out", help="folder for the PDFs")
    p.add_argument("--printer", metavar="URL",
                   help="ESC/POS receipt printer for the receipt and tickets, e.g. "
                        "escpos+tcp://10.0.0.5:9100")
    p.add_argument("--fallback", metavar="URL", help="printer to move the job to if --printer "
                   "cannot print")
    p.add_argument("--width", type=int, choices=(58, 80), help="roll width in mm "
                   "(default: devices.ini, else 80)")
    p.add_argument("--barcode", choices=("code128", "qr"),
                   help="order number as CODE128 or QR (default: devices.ini, else code128)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.set_defaults(handler=run)


def _printer_config(args: argparse.Namespace) -> DeviceConfig:
    """devices.ini's receipt layout with this command's printer; `CliError` (2) if wrong."""
    from app.devices import config as device_config
    from app.devices.receipt_printer import PrinterSettings, PrinterUrlError

    try:
        config = device_config.load()
    except device_config.DeviceConfigError as exc:
        raise CliError(f"{exc.zh} / {exc.en}", EXIT_BAD_INPUT) from None
    section = "receipt_printer"
    config.set(section, "fallback_url", args.fallback or "")
    if args.width:
        config.set(section, "width_mm", str(args.width))
    if args.barcode:
        config.set(section, "barcode", args.barcode)
    try:
        PrinterSettings.from_config(config, args.printer)
    except PrinterUrlError as exc:
        raise CliError(f"{exc.zh} / {exc.en}", EXIT_BAD_INPUT) from None
    return config


def run(args: argparse.Namespace) -> int:
    if not args.out and not args.printer:
        raise CliError("请指定 --out 文件夹或 --printer 打印机 / give --out DIR or --printer URL",
                       EXIT_BAD_INPUT)
    from app.db import open_database
    from app.services.hall.registry import batch_actor

    config = _printer_config(args) if args.printer else None  # before anything is written
    db = open_database(args.db)
    try:
        if config is None:
            from app.services.orders.papers import reprint_order

            for path in reprint_order(db, args.order_no.strip().upper(), Path(args.out),
                                      batch_actor(db)):
                print(path)
            return 0
        return _to_printer(db, args, config)
    finally:
        db.dispose()


def _to_printer(db: Database, args: argparse.Namespace, config: DeviceConfig) -> int:
    from app.devices.receipt_printer import ReceiptPrinterError, print_paper, thermal_kinds
    from app.printing.output import paper_file_stem
    from app.services.hall.registry import batch_actor
    from app.services.orders.papers import (
        order_id_by_no,
        prepare_order_papers,
        record_printed,
    )

    en = args.lang == "en"
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="counter-reprint-"))
    actor = batch_actor(db)
    order_id = order_id_by_no(db, args.order_no.strip().upper())
    prepared = prepare_order_papers(db, order_id, out, reprint=True)
    stem = paper_file_stem(prepared.paper) + "_"
    by_kind = {p.stem.removeprefix(stem).split("_")[0]: p for p in prepared.paths}
    thermal = thermal_kinds(prepared.paper)
    printed = [p for kind, p in by_kind.items() if kind not in thermal]
    failure: ReceiptPrinterError | None = None
    for kind in thermal:
        try:
            result = print_paper(prepared.paper, kind, config, url=args.printer)
        except ReceiptPrinterError as exc:
            failure = exc
            break
        printed.append(by_kind[kind])
        name = PAPER_NAMES[kind][1 if en else 0]
        print(f"{name}: {result.en}" if en else f"{name}：{result.zh}")
    record_printed(db, prepared, printed, actor)
    for written, path in by_kind.items():
        if written in thermal:
            continue
        zh_name, en_name = PAPER_NAMES.get(written, (written, written))
        print(f"{en_name} is not for a receipt printer; written as PDF: {path}" if en
              else f"{zh_name}不能在小票打印机上打印，已存为 PDF：{path}")
    if not thermal:
        print("This order has no receipt or ticket for the receipt printer." if en
              else "此订单没有需要小票打印机打印的单据。")
    if failure is not None:
        raise CliError(f"{failure.zh} / {failure.en}", EXIT_FAIL)
    return 0
