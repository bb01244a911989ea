"""The queue caller's screenshots (Chinese, 1366x768, offscreen) in docs/screenshots/:

    python tools/make_queue_screenshots.py [--out docs/screenshots]

* ``queue_counter_called.png``: the counter window after 叫号 (F12) called A023;
* ``queue_supervisor_times.png``: the supervisor's day, "排队叫号" tab, with a morning of visits.

Everything runs in a throw-away folder (database, settings, devices.ini, a temporary key), on a
clock frozen at 09:00 of today in the hall and moved by hand, with an in-process queue system
in place of the hall's (the HTTP adapter is tested against a fake server in tests/devices).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _sandbox() -> Path:
    sys.path.insert(0, str(ROOT / "tools"))
    from sandbox import offscreen_sandbox

    return offscreen_sandbox("counter-queue-shots-")


class _Queue:
    """The hall's queue system, in-process: hands out the tickets put in, in order."""

    kind = "http"
    manual = False
    window = 3

    def __init__(self) -> None:
        from app.devices.queue import Ticket

        self.tickets: deque[Ticket] = deque()

    def call_next(self, window: int | None = None, clerk_no: str = ""):  # type: ignore[no-untyped-def]
        return self.tickets.popleft() if self.tickets else None

    def recall(self, ticket, window=None, clerk_no=""):  # type: ignore[no-untyped-def]
        return None

    def skip(self, ticket, window=None, clerk_no=""):  # type: ignore[no-untyped-def]
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    tmp = _sandbox()

    from PySide6.QtWidgets import QApplication

    from app.clock import FixedClock
    from app.core.catalog import get_catalog
    from app.core.request import parse_request
    from app.db import open_database
    from app.devices.queue import Ticket
    from app.services.customers.pii import default_personal_data
    from app.services.day.counts import Counts
    from app.services.day.items import CHECKLIST_CODES, SIM_CARD
    from app.services.day.queue_visits import call_next, finish_visit, record_ticket, skip_ticket
    from app.services.day.shifts import open_shift
    from app.services.hall.demo import DEMO_PASSWORD, fill_demo
    from app.services.orders.service import OrderService, PaymentIn, Submission
    from app.services.staff.auth import login
    from app.ui.counter.window import CounterWindow
    from app.ui.day.day_view import SupervisorDayView
    from app.ui.kit import i18n
    from app.ui.kit.fonts import install_cjk_font
    from app.ui.kit.op_runner import OpRunner
    from app.ui.kit.screenshots import grab_to_png
    from app.ui.kit.theme import apply_theme
    from app.ui.settings.store import UiSettings
    from app.ui.shell.context import AppContext
    from app.ui.shell.errors import install_error_messages

    app = QApplication([])
    install_cjk_font(app)
    apply_theme(app)
    i18n.install_translators("zh_CN")
    install_error_messages()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    runner = OpRunner()

    def settle() -> None:
        for _ in range(3):
            runner.wait_idle(15)
            QApplication.processEvents()
            time.sleep(0.02)

    hall = ZoneInfo("Asia/Shanghai")
    start = datetime.now(hall).replace(hour=9, minute=0, second=0, microsecond=0)
    clock = FixedClock(start)
    db = open_database(f"sqlite:///{tmp / 'counter.sqlite3'}", clock=clock)
    fill_demo(db, customers=20, seed=20261122)
    day = start.date()
    svc = OrderService(db)
    clerks = [login(db, no, DEMO_PASSWORD, code) for no, code in (("C001", "C01"),
                                                                   ("C002", "C02"))]
    for clerk in clerks:
        open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True),
                   Counts(stock={SIM_CARD: 20}))
    person = {"kind": "personal", "name": "陈静", "unit": None, "non_local_id": False,
              "id_document": {"type": "resident_id", "number": "310104199002154578"}}
    owner = {"role": "owner", "name": "陈静", "id_document": person["id_document"]}

    def order(clerk, service: str, n: int) -> None:  # type: ignore[no-untyped-def]
        line = {"number": f"1861234{n:04d}", "payment": "postpaid", "status": "active",
                "arrears": 0, "balance": 50, "realname": "complete"}
        details = {"amount": 50} if service == "bill_payment" else {
            "new_sim_serial": f"898601123456789{n:05d}"}
        req = parse_request({"service": service, "customer": person, "presenter": owner,
                             "documents": [], "details": details, "signature": True,
                             "business_date": day.isoformat(), "line": line})
        pays = [PaymentIn("card", 1000)] if service == "sim_replacement" else []
        svc.submit(Submission(req, payments=pays), clerk)

    # A morning: each clerk serves a few customers with different waits and handling times.
    queue = _Queue()
    plan = [(0, "A001", 4, "bill_payment", 3), (1, "B001", 9, "sim_replacement", 8),
            (0, "A002", 12, "sim_replacement", 6), (1, "B002", 6, "bill_payment", 2),
            (0, "A003", 15, "bill_payment", 4), (1, "B003", 21, "", 1),
            (0, "A004", 18, "bill_payment", 5), (1, "B004", 25, "sim_replacement", 9)]
    for n, (who, number, waited, service, minutes) in enumerate(plan):
        clock.advance(minutes=3)
        queue.tickets.append(Ticket(number, clock.now() - timedelta(minutes=waited)))
        call_next(db, clerks[who], queue)
        clock.advance(minutes=minutes)
        if service:
            order(clerks[who], service, n)
        finish_visit(db, clerks[who])
    clock.advance(minutes=2)
    record_ticket(db, clerks[1], "B005")
    clock.advance(minutes=1)
    skip_ticket(db, clerks[1], queue)
    clock.advance(minutes=2)
    queue.tickets.append(Ticket("A023", clock.now() - timedelta(minutes=18, seconds=55),
                                "补换卡"))
    call_next(db, clerks[0], queue)
    clock.advance(minutes=1)

    pd = default_personal_data()
    orders = OrderService(db, catalog=get_catalog(), personal_data=pd)
    orders.hall_config()
    ctx = AppContext(db=db, runner=runner, settings=UiSettings(tmp / "config" / "ui.ini"),
                     pd=pd, orders=orders, catalog=get_catalog())
    ctx.actor = clerks[0]
    window = CounterWindow(ctx)
    window.resize(1366, 768)
    window.show()
    window.check_shift()  # the status bar's shift, as after log-in
    settle()
    made = [grab_to_png(window, out / "queue_counter_called.png")]

    supervisor = login(db, "S001", DEMO_PASSWORD, "C03")
    view = SupervisorDayView(runner, db, supervisor)
    view.resize(1366, 768)
    view.show()
    view.tabs.setCurrentWidget(view.queue)
    settle()
    made.append(grab_to_png(view, out / "queue_supervisor_times.png"))
    view.close()
    window.close()
    runner.shutdown()
    db.dispose()
    for path in made:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
