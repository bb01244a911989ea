"""Fast test data: N customers with a line each, and orders with fees and payments.

    python bench/generate.py sqlite:///big.sqlite3 --orders 1000000 --customers 1000000
    python -c "from bench.generate import generate; generate('sqlite:///x.sqlite3', orders=1000)"

Rows go in with the driver's own `executemany` into a database migrated by `open_database`
(SQLite or PostgreSQL), in transactions of `batch` rows. Speed over realism where it does not
matter: every encrypted ID field holds the same dummy blob, but each customer has a real,
check-digit-valid ID number (`customer_id_number(k)` for the k-th customer of a run, so a
bench can search for it) whose **lookup hash is the real keyed hash** and whose mask is the
real mask. Orders are `report_loss`, `bill_payment` and `sim_replacement` on the customers'
lines, spread over the given counters; each has its audit event (a real keyed hash chain,
continuing the database's own) unless `audit=False`, and every generated customer, line and
order is sealed by `data.generate` events in the same transaction as its batch, as
`counter audit verify` wants (`bench/gen_seals.py`: byte templates checked against the real
encoder and against what the verifier reads back).

Memory stays flat in size: a customer's name, ID number and uids are functions of its index,
nothing is kept from one batch to the next.

The hall, counters and the demo staff are created when missing (`fill_demo(customers=0)`), and
the counters' order sequences are set past the generated serials, so the order service can
go on recording on the same day.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app.db import Database, open_database  # noqa: E402
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


def _ts(value: datetime, sqlite: bool) -> Any:
    """What SQLAlchemy's UTCDateTime stores: naive UTC (text on SQLite)."""
    naive = value.astimezone(UTC).replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else naive


def _day(value: date, sqlite: bool) -> Any:
    return value.isoformat() if sqlite else value


class _Writer:
    """executemany through the raw driver connection, one transaction per call."""

    def __init__(self, db: Database) -> None:
        self.sqlite = db.is_sqlite
        self.raw = db.engine.raw_connection()
        self.mark = "?" if self.sqlite else "%s"
        if self.sqlite:
            con = self.raw.driver_connection
            con.execute("PRAGMA synchronous=OFF")  # type: ignore[union-attr]
            # Random keys (uids, lookup hashes) go into their indexes all over the file: a
            # large page cache keeps those index pages in memory.
            con.execute("PRAGMA cache_size=-524288")  # type: ignore[union-attr]

    def insert_many(self, parts: list[tuple[str, Sequence[str], list[tuple[Any, ...]]]]
                    ) -> None:
        """Several tables' rows in one transaction (a batch and the events sealing it)."""
        cur = self.raw.cursor()
        if self.sqlite:
            cur.execute("BEGIN")
        for table, columns, rows in parts:
            if rows:
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                f"({', '.join([self.mark] * len(columns))})", rows)
        cur.close()
        self.raw.commit()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.raw.cursor()
        cur.execute(sql.replace("?", self.mark), tuple(params))
        row = cur.fetchone()
        cur.close()
        return row[0] if row else None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        cur = self.raw.cursor()
        cur.execute(sql.replace("?", self.mark), tuple(params))
        cur.close()
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()


class _OrderNumbers:
    """`format_order_no`, with the check character's fixed part summed once per counter
    (checked against the real function for the first number of each counter)."""

    def __init__(self, hall: str, day: date) -> None:
        from app.services.orders.numbering import _ALNUM

        self.hall, self.day, self.alnum = hall, day, _ALNUM
        self.base: dict[str, tuple[str, int, int]] = {}
        # what each of the serial's five digits adds to the check sum, by position
        self.digit_sums: dict[int, list[list[int]]] = {}

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
        weights = self.digit_sums.get(n)
        if weights is None:
            weights = self.digit_sums[n] = [[(n + k + 1) * d for d in range(10)]
                                            for k in range(5)]
        digits = f"{serial:05d}"
        for k, d in enumerate(digits):
            total += weights[k][ord(d) - 48]
        return f"{prefix}{digits}-{self.alnum[total % 36]}"


def _chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


class _Sealer:
    """The audit side of a run: `order.accept` events, and `data.generate` events sealing the
    rows of each batch (`SEAL_EVERY` rows an event), all in one keyed hash chain."""

    SEAL_EVERY = 1000

    def __init__(self, key: bytes, prev: str, seq: int, at: datetime, staff_id: int | None,
                 sqlite: bool, nonce: bytes) -> None:
        from bench.gen_seals import EventChain

        self.key, self.at, self.staff_id, self.nonce = key, at, staff_id, nonce
        self.chain = EventChain(key, prev, seq)
        self.stored_at = _ts(at, sqlite)
        self.rows: list[tuple[Any, ...]] = []
        self.templates: dict[Any, Any] = {}

    def template(self, kind: Any, make: Any) -> Any:
        if kind not in self.templates:
            self.templates[kind] = make()
        return self.templates[kind]

    def accept(self, counter: str, order_no: str, service: str, fee: int) -> None:
        from bench.gen_rows import uid_of
        from bench.gen_seals import Template

        uid = uid_of(self.nonce, "audit_event", self.chain.seq + 1)

        def fields(values: dict[str, Any]) -> dict[str, Any]:
            return {"uid": values["uid"], "seq": values["seq"], "at": self.at, "actor": "S001",
                    "actor_staff_id": self.staff_id, "authorized_by": None, "counter": counter,
                    "action": "order.accept", "target": values["target"],
                    "data": {"service": service, "total_fen": fee}}

        seq, prev, digest = self.chain.append(
            ("accept", counter, service, fee),
            lambda: Template(fields, ("uid", "target"), ("seq",)),
            {"uid": uid, "target": order_no},
            lambda seq: fields({"uid": uid, "seq": seq, "target": order_no}))
        self.rows.append((uid, seq, self.stored_at, self.staff_id, "S001", counter,
                          "order.accept", order_no,
                          f'{{"service": "{service}", "total_fen": {fee}}}', prev, digest))

    def seal(self, seals: list[tuple[str, str]]) -> int:
        """`data.generate` events for these (row key, seal) pairs; returns how many."""
        from bench.gen_rows import uid_of
        from bench.gen_seals import Template, seal_event_body, seal_event_fields

        events = 0
        for start in range(0, len(seals), self.SEAL_EVERY):
            rows = dict(seals[start:start + self.SEAL_EVERY])
            uid = uid_of(self.nonce, "audit_event", self.chain.seq + 1)

            def fields(values: dict[str, Any], n: int = len(rows)) -> dict[str, Any]:
                out = seal_event_fields(values["uid"], values["seq"], self.at, {})
                out["data"]["sealed"] = n
                return out

            seq, prev, digest = self.chain.append(
                ("seal", len(rows)), lambda fields=fields: Template(fields, ("uid",), ("seq",)),
                {"uid": uid},
                lambda seq, uid=uid, rows=rows: seal_event_fields(uid, seq, self.at, rows),
                post=lambda body, rows=rows: seal_event_body(body, rows))
            self.rows.append((uid, seq, self.stored_at, None, "gen", "", "data.generate", "",
                              json.dumps({"sealed": len(rows), "rows": rows}), prev, digest))
            events += 1
        return events

    def take(self) -> list[tuple[Any, ...]]:
        rows, self.rows = self.rows, []
        return rows


def generate(db_url: str, orders: int = 1000, customers: int | None = None,
             day: date | None = None, *, counters: Sequence[str] = ("C01", "C02", "C03"),
             audit: bool = True, seed: int = 20261122, batch: int = 20000,
             progress: bool = False) -> Generated:
    """Add `customers` customers (one line each) and `orders` orders on business date `day`
    to the database at `db_url` (migrated first). Returns what was written and how long."""
    from app.clock import business_date
    from app.security import GENESIS_HASH, mask_id
    from app.services.audit.events import anchor_head, chain_key
    from app.services.customers.pii import default_personal_data
    from app.services.hall.demo import fill_demo
    from app.services.hall.registry import ensure_counter, ensure_hall
    from bench import gen_rows as gr
    from bench.gen_seals import Template, check_seals, seal

    started = time.perf_counter()
    customers = orders if customers is None else customers
    if orders and not customers:
        raise ValueError("orders need at least one customer")
    rng = random.Random(seed)
    nonce = os.urandom(8)
    pd = default_personal_data()
    db = open_database(db_url)
    day = day or business_date(db.clock)
    out = Generated()
    try:
        from app.models import Customer, Staff

        with db.session() as s:
            has_staff = bool(s.execute(select(func.count()).select_from(Staff)).scalar())
        if not has_staff:
            with db.session() as s:
                has_customers = bool(s.execute(select(func.count()).select_from(Customer))
                                     .scalar())
            if not has_customers:
                fill_demo(db, customers=0)
        with db.session() as s:
            hall = ensure_hall(s)
            counter_rows = [ensure_counter(s, hall, code) for code in counters]
            hall_id, hall_code = hall.id, hall.code
            counter_ids = [(c.id, c.code) for c in counter_rows]
            staff = s.execute(select(Staff.id, Staff.staff_no).order_by(Staff.id).limit(1)
                              ).first()
            staff_id, staff_no = (staff[0], staff[1]) if staff else (None, None)
        sq = db.is_sqlite
        key = chain_key() if audit else b""
        w = _Writer(db)
        try:
            base_c = int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM customer"))
            base_l = int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM line"))
            base_o = int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM service_order"))
            now = db.clock.now()
            stamp = _ts(now, sq)
            opened_on = day - timedelta(days=400)
            seq = int(w.scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_event"))
            prev = w.scalar("SELECT hash FROM audit_event WHERE seq = ?", (seq,)) if seq else None
            sealer = _Sealer(key, prev or GENESIS_HASH, seq, now.replace(microsecond=0),
                             staff_id, sq, nonce)
            c_tpl = Template(gr.customer_form, ("uid", "name", "id_lookup", "id_masked"))
            l_tpl = Template(lambda v: gr.line_form(v, opened_on),
                             ("uid", "number", "customer"), ("points",))
            checks: dict[str, dict[int, str]] = {}

            t0 = time.perf_counter()
            cust_cols = ("id", "uid", "kind", "name", "id_type", "id_enc", "id_lookup",
                         "id_masked", "phone", "version", "updated_at", "origin")
            line_cols = ("id", "uid", "number", "customer_id", "kind", "payment", "status",
                         "arrears_fen", "balance_fen", "points", "relocated_keep_number",
                         "lock_expired", "blacklisted", "vip", "collection_exempt",
                         "roaming_open", "roaming_prepayment_fen", "realname", "package",
                         "opened_on", "version", "updated_at", "origin")
            false = 0 if sq else False
            opened = _day(opened_on, sq)
            for part in _chunks(customers, batch):
                crow, lrow, seals = [], [], []
                for i in part:
                    number = gr.customer_id_number(i)
                    cid, lid = base_c + i + 1, base_l + i + 1
                    cv = {"uid": gr.uid_of(nonce, "customer", cid), "name": gr.customer_name(i),
                          "id_lookup": pd.lookup_id(number), "id_masked": gr.id_masked(number)}
                    if i == 0 and cv["id_masked"] != mask_id(number):
                        raise RuntimeError("the generator's ID mask does not match mask_id")
                    lv = {"uid": gr.uid_of(nonce, "line", lid), "number": gr.line_number(lid),
                          "customer": cv["uid"], "points": i % 5000}
                    crow.append((cid, cv["uid"], "personal", cv["name"], "resident_id",
                                 gr.DUMMY_BLOB, cv["id_lookup"], cv["id_masked"],
                                 f"139{i % 10**8:08d}", 1, stamp, "gen"))
                    lrow.append((lid, lv["uid"], lv["number"], cid, "mobile", "postpaid",
                                 "active", 0, 0, lv["points"], "none", false, false, false,
                                 false, false, 0, "complete", gr.PACKAGE, opened, 1, stamp,
                                 "gen"))
                    if audit:
                        c_seal = seal(key, c_tpl.check(cv) if i == 0 else c_tpl.fill(cv))
                        l_seal = seal(key, l_tpl.check(lv) if i == 0 else l_tpl.fill(lv))
                        seals += [(f"customer:{cv['uid']}", c_seal), (f"line:{lv['uid']}", l_seal)]
                        if i == 0:
                            checks["customer"], checks["line"] = {cid: c_seal}, {lid: l_seal}
                out.audit_events += sealer.seal(seals) if audit else 0
                w.insert_many([("customer", cust_cols, crow), ("line", line_cols, lrow),
                               ("audit_event", AUDIT_COLS, sealer.take())])
                out.customers += len(crow)
                out.lines += len(lrow)
                if progress:
                    print(f"customers {out.customers}", file=sys.stderr)
            out.timings["customers"] = time.perf_counter() - t0

            t0 = time.perf_counter()
            serial_of = {cid: 0 for cid, _ in counter_ids}
            for cid, _code in counter_ids:
                last = w.scalar("SELECT last FROM order_sequence WHERE counter_id = ? AND "
                                "business_date = ?", (cid, _day(day, sq)))
                serial_of[cid] = int(last or 0)
            order_cols = ("id", "uid", "order_no", "hall_id", "counter_id", "staff_id",
                          "channel", "service", "carrier", "business_date", "status",
                          "customer_id", "line_id", "line_number", "presenter_role",
                          "presenter_name", "presenter_id_type", "presenter_id_enc",
                          "presenter_id_masked", "details", "outcome", "line_before",
                          "line_after", "total_fen", "effective", "content_hash", "started_at",
                          "created_at")
            fee_cols = ("order_id", "item", "name", "amount_fen")
            pay_cols = ("order_id", "method", "amount_fen", "tendered_fen", "change_fen")
            order_number = _OrderNumbers(hall_code, day)
            business_day = _day(day, sq)
            o_tpl: dict[tuple[str, str, int], Any] = {}
            for part in _chunks(orders, batch):
                orow, frow, prow, seals = [], [], [], []
                for i in part:
                    k = rng.randrange(customers)
                    cid, lid = base_c + k + 1, base_l + k + 1
                    counter_id, counter_code = counter_ids[i % len(counter_ids)]
                    serial_of[counter_id] += 1
                    order_no = order_number(counter_code, serial_of[counter_id])
                    service, fee = gr.SERVICES[i % len(gr.SERVICES)]
                    oid = base_o + i + 1
                    ov = {"uid": gr.uid_of(nonce, "service_order", oid), "order_no": order_no,
                          "customer": gr.uid_of(nonce, "customer", cid),
                          "line": gr.uid_of(nonce, "line", lid),
                          "line_number": gr.line_number(lid),
                          "presenter_name": gr.customer_name(k),
                          "presenter_id_masked": gr.id_masked(gr.customer_id_number(k)),
                          "content_hash": f"{rng.getrandbits(256):064x}"}
                    orow.append((oid, ov["uid"], order_no, hall_id, counter_id, staff_id,
                                 "counter", service, "unicom", business_day, "accepted", cid,
                                 lid, ov["line_number"], "owner", ov["presenter_name"],
                                 "resident_id", gr.DUMMY_BLOB, ov["presenter_id_masked"], "{}",
                                 gr.outcome_json(order_no, service, fee), gr.LINE_STATE,
                                 gr.LINE_STATE, fee, "immediate", ov["content_hash"], stamp,
                                 stamp))
                    if fee:
                        frow.append((oid, service, gr.FEE_NAMES[service], fee))
                        prow.append((oid, "cash", fee, fee, 0))
                    if audit:
                        sealer.accept(counter_code, order_no, service, fee)
                        kind = (counter_code, service, fee)
                        if kind not in o_tpl:
                            o_tpl[kind] = Template(
                                lambda v, c=counter_code, sv=service, f=fee: gr.order_form(
                                    v, hall=hall_code, counter=c, staff=staff_no, service=sv,
                                    fee=f, day=day, stamp=now),
                                ("uid", "order_no", "customer", "line", "line_number",
                                 "presenter_name", "presenter_id_masked", "content_hash"))
                            o_seal = seal(key, o_tpl[kind].check(ov))
                            checks.setdefault("service_order", {})[oid] = o_seal
                        else:
                            o_seal = seal(key, o_tpl[kind].fill(ov))
                        seals.append((f"service_order:{ov['uid']}", o_seal))
                out.audit_events += len(sealer.rows)
                out.audit_events += sealer.seal(seals) if audit else 0
                w.insert_many([("service_order", order_cols, orow),
                               ("order_fee", fee_cols, frow), ("order_payment", pay_cols, prow),
                               ("audit_event", AUDIT_COLS, sealer.take())])
                out.orders += len(orow)
                out.fees += len(frow)
                out.payments += len(prow)
                if progress:
                    print(f"orders {out.orders}", file=sys.stderr)
            for cid, last in serial_of.items():
                if w.scalar("SELECT COUNT(*) FROM order_sequence WHERE counter_id = ? AND "
                            "business_date = ?", (cid, _day(day, sq))):
                    w.execute("UPDATE order_sequence SET last = ? WHERE counter_id = ? AND "
                              "business_date = ?", (last, cid, _day(day, sq)))
                else:
                    w.execute("INSERT INTO order_sequence (counter_id, business_date, last) "
                              "VALUES (?, ?, ?)", (cid, _day(day, sq), last))
            if not sq:  # explicit ids were given: move the sequences past them
                for table in ("customer", "line", "service_order"):
                    w.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT MAX(id) FROM {table}))")
            out.timings["orders"] = time.perf_counter() - t0
        finally:
            w.close()
        if audit:
            # The templates were checked against the encoder; the first rows' seals are now
            # checked against what the verifier reads back from the tables.
            for table, expected in checks.items():
                check_seals(db, table, expected, key)
            anchor_head(db)
    finally:
        db.dispose()
    out.seconds = time.perf_counter() - started
    return out


AUDIT_COLS = ("uid", "seq", "at", "actor_staff_id", "actor", "counter", "action", "target",
              "data", "prev_hash", "hash")


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
