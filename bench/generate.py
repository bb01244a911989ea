"""Fast test data: N customers with a line each, and orders with fees and payments.

    python bench/generate.py sqlite:///big.sqlite3 --orders 1000000 --customers 1000000
    python -c "from bench.generate import generate; generate('sqlite:///x.sqlite3', orders=1000)"

Rows go in with the driver's own `executemany` into a database migrated by `open_database`
(SQLite or PostgreSQL), in transactions of `batch` rows. Speed over realism where it does not
matter: every encrypted ID field holds the same dummy blob, but each customer has a real,
check-digit-valid ID number whose **lookup hash is the real keyed hash** (so searching by ID
number works) and whose mask is the real mask. Orders are `report_loss`, `bill_payment` and
`sim_replacement` on the customers' lines, spread over the given counters; each has its audit
event (a real keyed hash chain, continuing the database's own) unless `audit=False`.

The hall, counters and the demo staff are created when missing (`fill_demo(customers=0)`), and
the counters' order sequences are set past the generated serials, so the order service can
go on recording on the same day.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
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

from app.core.validators import resident_id_check_char  # noqa: E402
from app.db import Database, open_database  # noqa: E402

_DOMAIN = b"hall-counter/audit/v1\x00"  # app.security.audit_chain's domain (checked below)
DUMMY_BLOB = b"\x01" + b"\x00" * 12 + b"generated-not-a-real-ciphertext"
SERVICES = (("report_loss", 0), ("bill_payment", 5000), ("sim_replacement", 1000))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏宇浩然晨阳欣怡子涵思远"


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

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
               f"({', '.join([self.mark] * len(columns))})")
        cur = self.raw.cursor()
        if self.sqlite:
            cur.execute("BEGIN")
        cur.executemany(sql, rows)
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


class _AuditTemplates:
    """The audit chain's hash for an `order.accept` event, fast.

    Every generated event has the same shape, so its canonical bytes are made once per
    (counter, service, fee) by the real encoder with placeholders, and filled in per event.
    The first event of each template is checked against the real encoder.
    """

    UID, SEQ, TARGET = "\x01uid\x01", 7_777_777_777_777, "\x01target\x01"

    def __init__(self, key: bytes, staff_id: int | None, at: datetime) -> None:
        self.key, self.staff_id, self.at = key, staff_id, at
        self.templates: dict[tuple[str, str, int], tuple[bytes, bool]] = {}

    def fields(self, uid: str, seq: int, counter: str, target: str, service: str,
               fee: int) -> dict[str, Any]:
        return {"uid": uid, "seq": seq, "at": self.at, "actor": "S001",
                "actor_staff_id": self.staff_id, "authorized_by": None, "counter": counter,
                "action": "order.accept", "target": target,
                "data": {"service": service, "total_fen": fee}}

    def hash(self, prev: str, uid: str, seq: int, counter: str, target: str, service: str,
             fee: int) -> str:
        from app.security import canonical_event_bytes, chain_hash

        key = (counter, service, fee)
        if key not in self.templates:
            raw = canonical_event_bytes(self.fields(self.UID, self.SEQ, counter, self.TARGET,
                                                    service, fee))
            self.templates[key] = (raw, False)
        raw, checked = self.templates[key]
        body = (raw.replace(json.dumps(self.UID).encode(), f'"{uid}"'.encode())
                .replace(str(self.SEQ).encode(), str(seq).encode())
                .replace(json.dumps(self.TARGET).encode(), f'"{target}"'.encode()))
        digest = hmac.new(self.key, _DOMAIN + prev.encode() + b"\x00" + body,
                          hashlib.sha256).hexdigest()
        if not checked:
            real = chain_hash(prev, self.fields(uid, seq, counter, target, service, fee),
                              key=self.key)
            if real != digest:
                raise RuntimeError("audit template does not match the audit chain's encoder")
            self.templates[key] = (raw, True)
        return digest


def _uid() -> str:
    """A random (version 4) UUID as text, as `new_uid` makes, at a fraction of the cost."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


class _OrderNumbers:
    """`format_order_no`, with the check character's fixed part summed once per counter
    (checked against the real function for the first number of each counter)."""

    def __init__(self, hall: str, day: date) -> None:
        from app.services.orders.numbering import _ALNUM

        self.hall, self.day, self.alnum = hall, day, _ALNUM
        self.base: dict[str, tuple[str, int, int]] = {}

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
        prefix, total, n = self.base[counter]
        digits = f"{serial:05d}"
        total += sum((n + k + 1) * (ord(d) - 48) for k, d in enumerate(digits))
        return f"{prefix}{digits}-{self.alnum[total % 36]}"


def _chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


def _resident_id(rng: random.Random, i: int) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 50 * 365))
    body = f"{rng.choice(('110105', '310104', '440106', '320102'))}{born:%Y%m%d}{i % 1000:03d}"
    return body + resident_id_check_char(body)


def generate(db_url: str, orders: int = 1000, customers: int | None = None,
             day: date | None = None, *, counters: Sequence[str] = ("C01", "C02", "C03"),
             audit: bool = True, seed: int = 20261122, batch: int = 20000,
             progress: bool = False) -> Generated:
    """Add `customers` customers (one line each) and `orders` orders on business date `day`
    to the database at `db_url` (migrated first). Returns what was written and how long."""
    from app.clock import business_date
    from app.security import GENESIS_HASH, mask_id
    from app.services.audit.events import chain_key
    from app.services.customers.pii import default_personal_data
    from app.services.hall.demo import fill_demo
    from app.services.hall.registry import ensure_counter, ensure_hall

    started = time.perf_counter()
    customers = orders if customers is None else customers
    if orders and not customers:
        raise ValueError("orders need at least one customer")
    rng = random.Random(seed)
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
            staff_id = s.execute(select(Staff.id).order_by(Staff.id).limit(1)).scalar()
        sq = db.is_sqlite
        w = _Writer(db)
        try:
            base_c = int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM customer"))
            base_l = int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM line"))
            base_o = int(w.scalar("SELECT COALESCE(MAX(id), 0) FROM service_order"))
            now = db.clock.now()
            stamp = _ts(now, sq)
            t0 = time.perf_counter()
            names: list[str] = []
            masked_ids: list[str] = []
            numbers: list[str] = []
            cust_cols = ("id", "uid", "kind", "name", "id_type", "id_enc", "id_lookup",
                         "id_masked", "phone", "version", "updated_at", "origin")
            line_cols = ("id", "uid", "number", "customer_id", "kind", "payment", "status",
                         "arrears_fen", "balance_fen", "points", "relocated_keep_number",
                         "lock_expired", "blacklisted", "vip", "collection_exempt",
                         "roaming_open", "roaming_prepayment_fen", "realname", "package",
                         "opened_on", "version", "updated_at", "origin")
            false = 0 if sq else False
            for part in _chunks(customers, batch):
                crow, lrow = [], []
                for i in part:
                    number = _resident_id(rng, i)
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (
                        rng.choice(GIVEN) if i % 3 else "")
                    masked = mask_id(number)
                    names.append(name)
                    masked_ids.append(masked)
                    cid = base_c + i + 1
                    crow.append((cid, _uid(), "personal", name, "resident_id",
                                 DUMMY_BLOB, pd.lookup_id(number), masked,
                                 f"139{i % 10**8:08d}", 1, stamp, "gen"))
                    # 17x: a range the demo hall and the free-number pool (186) never use
                    line_no = f"17{(base_l + i) % 10**9:09d}"
                    numbers.append(line_no)
                    lrow.append((base_l + i + 1, _uid(), line_no, cid, "mobile",
                                 "postpaid", "active", 0, 0, i % 5000, "none", false, false,
                                 false, false, false, 0, "complete", "畅爽套餐59元",
                                 _day(day - timedelta(days=400), sq), 1, stamp, "gen"))
                w.insert("customer", cust_cols, crow)
                w.insert("line", line_cols, lrow)
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
            seq = int(w.scalar("SELECT COALESCE(MAX(seq), 0) FROM audit_event"))
            prev = w.scalar("SELECT hash FROM audit_event WHERE seq = ?", (seq,)) if seq else None
            prev = prev or GENESIS_HASH
            chain = _AuditTemplates(chain_key(), staff_id, now.replace(microsecond=0))
            order_cols = ("id", "uid", "order_no", "hall_id", "counter_id", "staff_id",
                          "channel", "service", "carrier", "business_date", "status",
                          "customer_id", "line_id", "line_number", "presenter_role",
                          "presenter_name", "presenter_id_type", "presenter_id_enc",
                          "presenter_id_masked", "details", "outcome", "line_before",
                          "line_after", "total_fen", "effective", "content_hash", "started_at",
                          "created_at")
            fee_cols = ("order_id", "item", "name", "amount_fen")
            pay_cols = ("order_id", "method", "amount_fen", "tendered_fen", "change_fen")
            audit_cols = ("uid", "seq", "at", "actor_staff_id", "actor", "counter", "action",
                          "target", "data", "prev_hash", "hash")
            state = json.dumps({"number": "", "status": "active"})
            at = _ts(chain.at, sq)
            order_number = _OrderNumbers(hall_code, day)
            business_day = _day(day, sq)
            for part in _chunks(orders, batch):
                orow, frow, prow, arow = [], [], [], []
                for i in part:
                    k = rng.randrange(customers)
                    counter_id, counter_code = counter_ids[i % len(counter_ids)]
                    serial_of[counter_id] += 1
                    order_no = order_number(counter_code, serial_of[counter_id])
                    service, fee = SERVICES[i % len(SERVICES)]
                    oid = base_o + i + 1
                    fees = (f'[{{"item": "{service}", "amount": {fee / 100:.2f}}}]'
                            if fee else "[]")
                    outcome = (f'{{"decision": "accepted", "order_no": "{order_no}", '
                               f'"fees": {fees}}}')
                    orow.append((oid, _uid(), order_no, hall_id, counter_id,
                                 staff_id, "counter", service, "unicom", business_day,
                                 "accepted", base_c + k + 1, base_l + k + 1, numbers[k],
                                 "owner", names[k], "resident_id", DUMMY_BLOB, masked_ids[k],
                                 "{}", outcome, state, state, fee, "immediate",
                                 f"{rng.getrandbits(256):064x}", stamp, stamp))
                    if fee:
                        name = "缴费" if service == "bill_payment" else "USIM卡费"
                        frow.append((oid, service, name, fee))
                        prow.append((oid, "cash", fee, fee, 0))
                    if audit:
                        seq += 1
                        event_uid = _uid()
                        digest = chain.hash(prev, event_uid, seq, counter_code, order_no,
                                            service, fee)
                        arow.append((event_uid, seq, at, staff_id, "S001", counter_code,
                                     "order.accept", order_no,
                                     f'{{"service": "{service}", "total_fen": {fee}}}', prev,
                                     digest))
                        prev = digest
                w.insert("service_order", order_cols, orow)
                w.insert("order_fee", fee_cols, frow)
                w.insert("order_payment", pay_cols, prow)
                w.insert("audit_event", audit_cols, arow)
                out.orders += len(orow)
                out.fees += len(frow)
                out.payments += len(prow)
                out.audit_events += len(arow)
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
        if audit:  # rows written past the ORM: sealed afterwards, as `counter audit verify` wants
            from app.services.audit.events import seal_existing

            t0 = time.perf_counter()
            out.audit_events += seal_existing(db, {
                "customer": range(base_c + 1, base_c + out.customers + 1),
                "line": range(base_l + 1, base_l + out.lines + 1),
                "service_order": range(base_o + 1, base_o + out.orders + 1)},
                action="data.generate", actor="gen")
            out.timings["seals"] = time.perf_counter() - t0
    finally:
        db.dispose()
    out.seconds = time.perf_counter() - started
    return out


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
