"""How long the daily report takes for a busy day (figures, not a test).

    python bench/bench_daily_report.py [--orders 20000] [--runs 5]

Fills a temporary SQLite database with one business date of `--orders` orders over six
counters and the batch channel (payments, refunds, stock movements, cash entries, rejected
intakes, follow-ups, shifts with their counts and closing differences), then prints the median
time to build the report (target: under 2 s for 20,000 orders) beside the time the raw SQL of
its aggregate queries takes on the bare sqlite3 connection, and the PDF rendering apart.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

TARGET_S = 2.0
DAY = date(2026, 11, 22)
SERVICES = (("bill_payment", 0.45), ("sim_replacement", 0.1), ("product_reservation", 0.08),
            ("report_loss", 0.07), ("info_change", 0.1), ("points_query", 0.1),
            ("prepayment_refund", 0.03), ("complaint", 0.03), ("fault_report", 0.04))


def fill(db: Any, orders: int, seed: int = 7) -> None:
    from sqlalchemy import insert

    from app.models import (
        FollowUpTask,
        IntakeEntry,
        OrderPayment,
        ServiceOrder,
        Staff,
    )
    from app.models.day import (
        CashEntry,
        Shift,
        ShiftClose,
        ShiftCloseLine,
        StockCount,
        StockMovement,
    )
    from app.services.hall.registry import ensure_counter, ensure_hall

    rng = random.Random(seed)
    services, weights = zip(*SERVICES, strict=True)
    with db.session() as s:
        hall = ensure_hall(s)
        counters = [ensure_counter(s, hall, f"C{i:02d}") for i in range(1, 7)]
        batch = ensure_counter(s, hall, "B01", batch=True)
        staff = []
        for i, _ in enumerate(counters, 1):
            st = Staff(hall_id=hall.id, staff_no=f"C{i:03d}", name=f"营业员{i}", role="clerk",
                       password_hash="-")
            s.add(st)
            staff.append(st)
        s.flush()
        shifts = []
        for counter, st in zip(counters, staff, strict=True):
            sh = Shift(hall_id=hall.id, counter_id=counter.id, staff_id=st.id, business_date=DAY,
                       status="closed", opened_at=datetime(2026, 11, 22, 0, 30, tzinfo=UTC),
                       closed_at=datetime(2026, 11, 22, 10, 0, tzinfo=UTC), checklist={})
            s.add(sh)
            shifts.append(sh)
        s.flush()
        for sh in shifts:
            s.add_all([StockCount(shift_id=sh.id, phase=p, item=i, quantity=q)
                       for p in ("open", "close")
                       for i, q in (("sim_card", 500), ("invoice", 2000),
                                    ("gift:cooking_oil_5l", 100), ("cash:10000", 10))])
            close = ShiftClose(shift_id=sh.id, closed_by=sh.staff_id)
            close.lines = [ShiftCloseLine(item="money:cash", money=True, expected=100000,
                                          counted=99500, difference=-500, tolerance=1000,
                                          explanation="找零差错")]
            s.add(close)
        start = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in the hall
        order_rows, pay_rows, cash_rows, move_rows, task_rows = [], [], [], [], []
        for n in range(1, orders + 1):
            k = rng.randrange(len(counters) + 1)
            is_batch = k == len(counters)
            counter = batch if is_batch else counters[k]
            service = rng.choices(services, weights)[0]
            created = start + timedelta(seconds=rng.randrange(10 * 3600))
            amount = {"bill_payment": rng.randrange(1000, 30000), "sim_replacement": 1000,
                      "product_reservation": 13900, "prepayment_refund": -rng.randrange(1000, 5000)
                      }.get(service, 0)
            order_rows.append({
                "id": n, "uid": f"bench-{n}", "order_no": f"DEMO01-{counter.code}-{n:06d}",
                "hall_id": hall.id, "counter_id": counter.id,
                "staff_id": None if is_batch else staff[k].id,
                "channel": "batch" if is_batch else "counter", "service": service,
                "carrier": "unicom", "business_date": DAY,
                "status": "voided" if n % 400 == 0 else "accepted", "presenter_role": "owner",
                "presenter_name": "客户", "details": {}, "outcome": {}, "total_fen": amount,
                "content_hash": "0" * 64, "created_at": created,
                "started_at": None if is_batch else created - timedelta(
                    seconds=rng.randrange(60, 900))})
            common = {"order_id": n, "business_date": DAY, "counter_id": counter.id,
                      "staff_id": None if is_batch else staff[k].id,
                      "channel": "batch" if is_batch else "counter",
                      "shift_id": None if is_batch else shifts[k].id, "at": created}
            if amount:
                method = rng.choice(("cash", "cash", "card", "mobile_pay"))
                pay_rows.append({"order_id": n, "method": method, "amount_fen": amount,
                                 "change_fen": 0})
                cash_rows.append({**common, "uid": f"c{n}", "method": method,
                                  "amount_fen": amount,
                                  "kind": "payment" if amount > 0 else "refund"})
            if amount > 0:
                move_rows.append({**common, "uid": f"i{n}", "item": "invoice", "quantity": 1,
                                  "kind": "use"})
            if service == "sim_replacement":
                move_rows.append({**common, "uid": f"s{n}", "item": "sim_card", "quantity": 1,
                                  "kind": "use", "serial": f"8986{n:016d}"})
            if service == "product_reservation":
                move_rows.append({**common, "uid": f"g{n}", "item": "gift:cooking_oil_5l",
                                  "quantity": 1, "kind": "use"})
            if service in ("complaint", "fault_report"):
                task_rows.append({"uid": f"t{n}", "order_id": n, "task": "answer_complaint",
                                  "name": "答复客户", "due_at": created + timedelta(hours=12),
                                  "status": "open", "created_at": created})
        for table, rows in ((ServiceOrder, order_rows), (OrderPayment, pay_rows),
                            (CashEntry, cash_rows), (StockMovement, move_rows),
                            (FollowUpTask, task_rows)):
            for i in range(0, len(rows), 5000):
                s.execute(insert(table), rows[i:i + 5000])
        s.execute(insert(IntakeEntry), [
            {"uid": f"in{n}", "hall_id": hall.id, "counter_id": counters[n % 6].id,
             "staff_id": staff[n % 6].id, "channel": "counter", "service": "number_change",
             "business_date": DAY, "decision": "rejected", "customer_name": "客户",
             "violations": [{"rule": "arrears_outstanding", "message": "该号码欠费，须先缴清"}],
             "missing": [], "created_at": start + timedelta(seconds=n * 30)}
            for n in range(orders // 40)])


def timed(fn: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from sqlalchemy import event

    from app.db import open_database
    from app.printing import render_daily_report
    from app.services.day.hooks import hall_zone
    from app.services.day.reports import assemble, build_daily_report, run_queries
    from app.services.hall.registry import get_hall

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = open_database(f"sqlite:///{path}")
        t0 = time.perf_counter()
        fill(db, args.orders)
        print(f"filled {args.orders} orders in {time.perf_counter() - t0:.1f} s")

        # The SQL the report runs, captured once, then replayed on a bare sqlite3 connection.
        statements: list[tuple[str, Any]] = []

        def capture(conn: Any, cursor: Any, sql: str, params: Any, context: Any,
                    many: bool) -> None:
            statements.append((sql, params))

        event.listen(db.engine, "before_cursor_execute", capture)
        with db.read() as s:
            hall = get_hall(s)
            assert hall is not None
            run_queries(s, hall.id, DAY)
        event.remove(db.engine, "before_cursor_execute", capture)
        report_sql = [(q, p) for q, p in statements if q.lstrip().upper().startswith("SELECT")]

        raw = sqlite3.connect(path)

        def replay() -> int:
            rows = 0
            for sql, params in report_sql:
                rows += len(raw.execute(sql, params).fetchall())
            return rows

        sql_s, rows = timed(replay, args.runs)
        raw.close()

        def queries_only() -> Any:
            with db.read() as s:
                return run_queries(s, hall.id, DAY)

        query_s, raw_day = timed(queries_only, args.runs)
        with db.read() as s:
            zone = hall_zone(s, hall.id)
        assemble_s, _ = timed(lambda: assemble(raw_day, hall, DAY, zone, now=db.clock.now()),
                            args.runs)
        build_s, report = timed(lambda: build_daily_report(db, DAY), args.runs)
        pdf_s, pdf = timed(lambda: render_daily_report(report), max(1, args.runs // 2))
        db.dispose()

    orders = sum(c.orders + c.voided for c in report.clerks)
    print(f"daily report of {orders} orders ({len(report_sql)} queries, {rows} result rows), "
          f"median of {args.runs}:")
    print(f"  raw SQL on sqlite3          {sql_s * 1000:8.1f} ms")
    print(f"  queries through SQLAlchemy  {query_s * 1000:8.1f} ms")
    print(f"  assembling the report       {assemble_s * 1000:8.1f} ms")
    print(f"  build_daily_report (all)    {build_s * 1000:8.1f} ms   target < {TARGET_S:.0f} s: "
          f"{'ok' if build_s < TARGET_S else 'MISSED'}")
    print(f"  PDF rendering               {pdf_s * 1000:8.1f} ms   ({len(pdf) // 1024} KiB)")
    return 0 if build_s < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
