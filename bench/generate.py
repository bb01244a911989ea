"""Fast test data: N customers with a line each, and orders with fees and payments.

    python bench/generate.py sqlite:///big.sqlite3 --orders 1000000 --customers 1000000
    python -c "from bench.generate import generate; generate('sqlite:///x.sqlite3', orders=1000)"

Rows go in with the driver's own `executemany` into a database migrated by `open_database`
(SQLite or PostgreSQL), columns the same in every row written once as literals, batches of
`batch` rows in transactions of up to `COMMIT_EVERY` rows (`bench/gen_write.py`). The rows are
made by `bench/gen_batches.py`, from a few thousand rows on in a forked process while the
previous batch is written (`bench/gen_produce.py`). The fixed start runs side by side too
(`_open_migrated`): migrations in a forked process, SQLAlchemy's mappers, the key file's
scrypt and then the first customers (`bench/gen_head_start.py`) here. `Generated.timings`
gives the phases' wall seconds. Speed over realism where it does not matter: every
encrypted ID field holds the same dummy blob, but each customer has a real, check-digit-valid
ID number (`customer_id_number(k)` for the k-th customer of a run, so a
bench can search for it) whose **lookup hash is the real keyed hash** and whose mask is the
real mask. Orders are `report_loss`, `bill_payment` and `sim_replacement` on the customers'
lines, spread over the given counters; each has its audit event (a real keyed hash chain,
continuing the database's own) unless `audit=False`, and every generated customer, line and
order is sealed by `data.generate` events in the same transaction as its rows, as
`counter audit verify` wants (`bench/gen_seals.py`: byte templates checked against the real
encoder and against what the verifier reads back).

Memory stays flat in size: a customer's name, ID number and uids are functions of its index,
nothing is kept from one batch to the next, and at most two batches wait for the writer (the
SQLite page cache, 512 MB at most, grows with the file, as the floor's does).

The hall, counters and the demo staff are created when missing (`fill_demo(customers=0)`, with
the fixed hash `gen_rows.DEMO_STAFF_HASH` of the public demo password), and
the counters' order sequences are set past the generated serials, so the order service can
go on recording on the same day.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

import app.models  # noqa: E402,F401  (imported before the clock starts, as the floor does)
from app.db import Database, open_database  # noqa: E402
from bench.gen_head_start import HeadStart  # noqa: E402
from bench.gen_rows import customer_id_number  # noqa: E402  (what a bench searches for)

__all__ = ["Generated", "customer_id_number", "generate"]


@dataclass
class Generated:
    customers: int = 0
    lines: int = 0
    orders: int = 0
    fees: int = 0
    payments: int = 0
    audit_events: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    producer_mb: float = 0.0  # the forked producer's own peak memory (`bench/gen_produce.py`)
    head_start: int = 0  # customers made while the migrations ran (`bench/gen_head_start.py`)


class _OrderNumbers:
    """`format_order_no`, with the check character's fixed part summed once per counter
    (checked against the real function for the first number of each counter)."""

    def __init__(self, hall: str, day: date) -> None:
        from app.services.orders.numbering import _ALNUM

        self.hall, self.day, self.alnum = hall, day, _ALNUM
        self.base: dict[str, tuple[str, int, int]] = {}
        self.tables: dict[int, tuple[list[int], list[int]]] = {}

    def __call__(self, counter: str, serial: int) -> str:
        from app.services.orders.numbering import format_order_no

        if counter not in self.base:
            prefix = f"{self.hall}-{counter}-{self.day:%Y%m%d}-"
            chars = [c for c in prefix if c != "-"]
            total = sum((i + 1) * self.alnum.index(c) for i, c in enumerate(chars))
            self.base[counter] = (prefix, total, len(chars))
            number = self._make(counter, serial)
            if number != format_order_no(self.hall, counter, self.day, serial):
                raise RuntimeError("order number shortcut does not match format_order_no")
            return number
        return self._make(counter, serial)

    def _make(self, counter: str, serial: int) -> str:
        if serial > 99999:  # six digits and more: the shortcut knows five positions
            from app.services.orders.numbering import format_order_no

            return format_order_no(self.hall, counter, self.day, serial)
        prefix, total, n = self.base[counter]
        high, low = self.tables.get(n) or self._tables(n)
        return (f"{prefix}{serial:05d}-"
                f"{self.alnum[(total + high[serial // 1000] + low[serial % 1000]) % 36]}")

    def _tables(self, n: int) -> tuple[list[int], list[int]]:
        """What the serial's first two and last three digits add to the check sum, when the
        code before them has `n` characters."""
        def weighted(digits: str, first: int) -> int:
            return sum((n + first + k + 1) * int(d) for k, d in enumerate(digits))

        made = ([weighted(f"{h:02d}", 0) for h in range(100)],
                [weighted(f"{lo:03d}", 2) for lo in range(1000)])
        self.tables[n] = made
        return made


def _ensure_staff(db: Database) -> None:
    """The demo hall's staff when the database has none (and no customers)."""
    from app.models import Customer, Staff
    from app.services.hall.demo import fill_demo
    from bench.gen_rows import DEMO_STAFF_HASH

    with db.session() as s:
        if s.execute(select(func.count()).select_from(Staff)).scalar():
            return
        if s.execute(select(func.count()).select_from(Customer)).scalar():
            return
    fill_demo(db, customers=0, password_hash=DEMO_STAFF_HASH)


def generate(db_url: str, orders: int = 1000, customers: int | None = None,
             day: date | None = None, *, counters: Sequence[str] = ("C01", "C02", "C03"),
             audit: bool = True, seed: int = 20261122, batch: int = 10000,
             progress: bool = False) -> Generated:
    """Add `customers` customers (one line each) and `orders` orders on business date `day`
    to the database at `db_url` (migrated first). Returns what was written and how long."""
    from app.clock import SYSTEM_CLOCK, business_date

    started = time.perf_counter()
    customers = orders if customers is None else customers
    if orders and not customers:
        raise ValueError("orders need at least one customer")
    day = day or business_date(SYSTEM_CLOCK)  # open_database's clock
    nonce = os.urandom(8)  # the run's uid prefixes
    head: list[HeadStart] = []

    def head_start(busy: Callable[[], bool]) -> None:
        from bench.gen_head_start import make

        head.append(make(customers, day=day, nonce=nonce, audit=audit, busy=busy))

    db = _open_migrated(db_url, head_start if customers and _new_file(db_url) else None)
    out = Generated()
    out.timings["open"] = time.perf_counter() - started  # migrated (the floor pays it too)
    try:
        t0 = time.perf_counter()
        _ensure_staff(db)
        out.timings["staff"] = time.perf_counter() - t0
        _fill(db, out, orders=orders, customers=customers, day=day, counters=counters,
              audit=audit, seed=seed, batch=batch, progress=progress, nonce=nonce,
              head=head[0] if head else None)
    finally:
        db.dispose()
    out.seconds = time.perf_counter() - started
    out.timings["rest"] = out.seconds - sum(out.timings[k] for k in ("open", "staff", "rows")
                                            if k in out.timings)
    return out


def _new_file(db_url: str) -> bool:
    """Whether the URL names an SQLite file not there yet (its tables start empty)."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    name = url.database or ""
    return url.get_backend_name() == "sqlite" and name not in ("", ":memory:") \
        and not Path(name).exists()


def _open_migrated(db_url: str,
                   meanwhile: Callable[[Callable[[], bool]], None] | None = None) -> Database:
    """`open_database(db_url)` with three fixed costs run side by side rather than in turn:
    the migrations in a forked process, SQLAlchemy's mapper set-up here (about 0.1 s the ORM
    otherwise spends on its first query, the demo staff's) and the key file's scrypt in a
    thread (about 90 ms, the GIL released). In order without `fork` or a spare core."""
    import multiprocessing

    from sqlalchemy.orm import configure_mappers

    from app.security.keys import start_loading_master_key
    from bench.gen_produce import spare_core

    if "fork" not in multiprocessing.get_all_start_methods() or not spare_core():
        start_loading_master_key()
        return open_database(db_url)
    child = multiprocessing.get_context("fork").Process(
        target=_migrate, args=(db_url,), name="generate-migrate", daemon=True)
    child.start()
    start_loading_master_key()  # after the fork: the child holds no half-run thread
    configure_mappers()
    if meanwhile is not None:
        meanwhile(child.is_alive)  # (`gen_head_start`)
    child.join()
    # When the child failed, opening here migrates again and reports why, as the app does.
    return open_database(db_url, migrate=child.exitcode != 0)


def _migrate(db_url: str) -> None:
    try:
        open_database(db_url).dispose()
    except BaseException:
        raise SystemExit(1) from None  # quietly: the parent opens again and says why


def _fill(db: Database, out: Generated, *, orders: int, customers: int, day: date,
          counters: Sequence[str], audit: bool, seed: int, batch: int, progress: bool,
          nonce: bytes, head: HeadStart | None) -> None:
    from app.models import Staff
    from app.security import GENESIS_HASH
    from app.services.audit.events import anchor_head, chain_key
    from app.services.customers.pii import default_personal_data
    from app.services.hall.registry import ensure_counter, ensure_hall
    from bench.gen_batches import Plan, check_alphabets, tables
    from bench.gen_head_start import chain as chain_head_start
    from bench.gen_produce import Summary, produce
    from bench.gen_seals import check_seals
    from bench.gen_write import BatchWriter, Table, stored_day

    check_alphabets()
    with db.session() as s:
        hall = ensure_hall(s)
        counter_rows = [ensure_counter(s, hall, code) for code in counters]
        hall_id, hall_code = hall.id, hall.code
        counter_ids = [(c.id, c.code) for c in counter_rows]
        staff = s.execute(select(Staff.id, Staff.staff_no).order_by(Staff.id).limit(1)).first()
        staff_id, staff_no = (staff[0], staff[1]) if staff else (None, None)
    sq = db.is_sqlite
    default_personal_data()  # the key, derived once before the producer forks
    key = chain_key() if audit else b""
    w = BatchWriter(db)
    try:
        seq = int(w.scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_event"))
        prev = w.scalar("SELECT hash FROM audit_event WHERE seq = ?", (seq,)) if seq else None
        serials = {cid: int(w.scalar("SELECT last FROM order_sequence WHERE counter_id = ? "
                                     "AND business_date = ?", (cid, stored_day(day, sq))) or 0)
                   for cid, _code in counter_ids}
        plan = Plan(customers=customers, orders=orders, batch=batch, seed=seed, audit=audit,
                    key=key, nonce=nonce, sqlite=sq, now=db.clock.now(), day=day,
                    hall_id=hall_id, hall_code=hall_code, counters=counter_ids,
                    staff_id=staff_id, staff_no=staff_no,
                    base_c=int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM customer")),
                    base_l=int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM line")),
                    base_o=int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM service_order")),
                    chain_seq=seq, chain_prev=prev or GENESIS_HASH, serials=serials)
        spec = tables(plan)
        summary = Summary()
        t0 = time.perf_counter()
        pending = 0
        waited = 0.0  # for the producer's next batch
        early: list[list[tuple[Table, list[tuple[Any, ...]]]]] = []
        if head is not None and plan.base_c == plan.base_l == 0:
            plan, early = chain_head_start(head, plan, spec)
            out.customers = out.lines = out.head_start = head.made
            pending = 2 * head.made
        else:
            head = None

        def write_early() -> None:  # while the producer makes its first batch
            nonlocal waited
            te = time.perf_counter()
            for parts in early:
                w.put(parts, commit=False)
            waited -= time.perf_counter() - te  # writing, not waiting

        tw = time.perf_counter()
        for parts in produce(plan, summary, write_early):
            waited += time.perf_counter() - tw
            pending += sum(len(rows) for _name, rows in parts)
            w.put([(spec[name], rows) for name, rows in parts], commit=pending >= COMMIT_EVERY)
            tw = time.perf_counter()
            pending = 0 if pending >= COMMIT_EVERY else pending
            for name, rows in parts:
                if name in _COUNTED:
                    setattr(out, _COUNTED[name], getattr(out, _COUNTED[name]) + len(rows))
            if progress:
                print(f"customers {out.customers}, orders {out.orders}", file=sys.stderr)
        w.commit()
        out.timings["rows"] = time.perf_counter() - t0
        out.timings["waited"] = waited
        out.audit_events = summary.events + (head.ctx.events if head else 0)
        out.producer_mb = summary.producer_mb
        if head is not None:
            summary.checks.update(head.ctx.checks)  # the first customer's and line's seals
        _number_sequences(w, summary.serials, stored_day(day, sq), sq)
    finally:
        w.close()
    if audit:
        # The templates were checked against the encoder; the first rows' seals are now
        # checked against what the verifier reads back from the tables.
        for table, expected in summary.checks.items():
            check_seals(db, table, expected, key)
        anchor_head(db)


# Rows per transaction: batches go into one transaction until this many rows are in it (the
# random-keyed index pages are then written out once per transaction, not once per batch).
COMMIT_EVERY = 200_000
_COUNTED = {"customer": "customers", "line": "lines", "service_order": "orders",
            "order_fee": "fees", "order_payment": "payments"}


def _number_sequences(w: Any, serials: dict[int, int], day: Any, sqlite: bool) -> None:
    """The counters' order sequences past the generated serials; on PostgreSQL the id
    sequences past the explicit ids."""
    for cid, last in serials.items():
        if w.scalar("SELECT COUNT(*) FROM order_sequence WHERE counter_id = ? AND "
                    "business_date = ?", (cid, day)):
            w.execute("UPDATE order_sequence SET last = ? WHERE counter_id = ? AND "
                      "business_date = ?", (last, cid, day))
        else:
            w.execute("INSERT INTO order_sequence (counter_id, business_date, last) "
                      "VALUES (?, ?, ?)", (cid, day, last))
    if not sqlite:
        for table in ("customer", "line", "service_order"):
            w.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                      f"(SELECT MAX(id) FROM {table}))")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("db_url")
    p.add_argument("--orders", type=int, default=1000)
    p.add_argument("--customers", type=int)
    p.add_argument("--day", type=date.fromisoformat, help="business date (default today)")
    p.add_argument("--no-audit", action="store_true", help="no audit events for the orders")
    p.add_argument("--progress", action="store_true")
    args = p.parse_args(argv)
    result = generate(args.db_url, orders=args.orders, customers=args.customers, day=args.day,
                      audit=not args.no_audit, progress=args.progress)
    print(f"{result.customers} customers, {result.lines} lines, {result.orders} orders "
          f"({result.fees} fees, {result.payments} payments, {result.audit_events} audit "
          f"events) in {result.seconds:.1f} s "
          + " ".join(f"[{k} {v:.1f} s]" for k, v in result.timings.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
