"""The area view: one PostgreSQL server holding every hall of an area, and the supervisor's
day of one hall read from it.

    python bench/bench_area.py [--halls 200 --days 30 --per-day 2000] [--url URL] [--keep]
                               [--rounds 5] [--plans docs/area_plans.md]

1. **Generate** `halls × days × per-day` orders (200 × 30 × 2,000 = 12 M), each with a fee
   and a payment for two orders in three, the halls' counters, staff and one closed shift per
   counter and day, by set-based SQL (``INSERT … SELECT … generate_series``, one statement per
   table and day) into a database migrated by the app, all indexes in place, then
   ``VACUUM ANALYZE`` (as autovacuum would). Orders of one day are interleaved across the
   halls, as they arrive, so a hall's day is spread over the whole day's pages. Prints how long
   it took. With `--url` an existing database is used and generated into only if it holds no
   area yet (a second run measures at once); without it a PostgreSQL server is started here
   (`tests/pg_server.py`, with an area server's memory settings) and removed afterwards unless
   `--keep`.
2. **Time**, for one hall and one day (the middle ones, or `--hall`/`--day`), through the app's own
   functions and its `Database` on that URL: the supervisor's day view
   (`app.services.day.review.overview`, target ≤ 250 ms) and the daily report's figures
   (`app.services.day.reports.build_daily_report`: every query, and the report assembled;
   the PDF rendering is not included; target ≤ 2 s). The first round (a cold cache for that
   hall's day) and the median of the rounds are printed.
3. **Plans**: every statement the two views sent, captured with SQLAlchemy's
   ``before_cursor_execute`` hook, run again under ``EXPLAIN (ANALYZE, BUFFERS)`` and written
   to `--plans` (markdown), with a flag on any sequential scan of a table that grows with the
   area.

The free disk is checked first (about 1.3 KB per order with its indexes; 12 M orders ≈ 16 GB).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import ROOT, ensure_key

FIRST_DAY = date(2026, 10, 24)  # the area's history: FIRST_DAY + days - 1 is 2026-11-22
HALL_ID0, COUNTER_ID0, STAFF_ID0 = 1000, 100_000, 100_000
BYTES_PER_ORDER = 1300  # heap + indexes of an order with its fee, payment, shift share
OVERVIEW_TARGET, REPORT_TARGET = 0.250, 2.0
BIG_TABLES = ("service_order", "order_fee", "order_payment", "shift", "intake_entry",
              "queue_ticket", "cash_entry", "order_void", "stock_movement", "follow_up")
ZONE = ZoneInfo("Asia/Shanghai")


@dataclass
class Area:
    halls: int
    days: int
    per_day: int
    counters: int

    @property
    def orders(self) -> int:
        return self.halls * self.days * self.per_day

    def hall_code(self, h: int) -> str:
        return f"A{h:04d}"

    def day(self, d: int) -> date:
        return FIRST_DAY + timedelta(days=d)


# -- the server ---------------------------------------------------------------------------------

AREA_SETTINGS = ("shared_buffers = 1GB\nwork_mem = 16MB\nmaintenance_work_mem = 512MB\n"
                 "max_wal_size = 8GB\ncheckpoint_timeout = 30min\n"
                 "effective_cache_size = 8GB\nrandom_page_cost = 1.1\n")


def start_area_server() -> Any:
    from tests.pg_server import start_server

    server = start_server()
    server.stop("fast")
    with (server.data / "postgresql.conf").open("a") as conf:
        conf.write("\n" + AREA_SETTINGS)
    server.start()
    return server


def _raw(url: str) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                           dbname=u.database, autocommit=True)


# -- generation -----------------------------------------------------------------------------------

DETAILS = json.dumps({"request": {"presenter": "self", "documents": ["resident_id"],
                                  "reason": "客户到厅办理", "confirmed": True},
                      "checks": ["identity", "arrears", "realname"]}, ensure_ascii=False)
OUTCOME = json.dumps({"ok": True, "messages": ["业务已受理"], "line_state": "active",
                      "fees": [{"item": "service", "amount_fen": 0}]}, ensure_ascii=False)


def has_area(conn: Any, area: Area) -> bool:
    row = conn.execute("SELECT count(*) FROM hall WHERE code LIKE 'A____'").fetchone()
    if not row or not row[0]:
        return False
    n = conn.execute("SELECT count(*) FROM service_order WHERE hall_id >= %s",
                     (HALL_ID0,)).fetchone()[0]
    if row[0] != area.halls or n != area.orders:
        raise SystemExit(f"the database holds another area ({row[0]} halls, {n} orders): "
                         "use an empty database")
    return True


def check_disk(path: Path, area: Area) -> None:
    need = area.orders * BYTES_PER_ORDER
    free = shutil.disk_usage(path).free
    print(f"disk: {free / 1e9:.1f} GB free at {path}, the area needs about {need / 1e9:.1f} GB",
          flush=True)
    if need + 5e9 > free:
        raise SystemExit("not enough free disk for this area (keep 5 GB spare)")


def generate(conn: Any, area: Area) -> dict[str, float]:
    """Halls, counters, staff, then per day: orders, fees, payments, shifts (set-based)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    h, c = area.halls, area.counters
    conn.execute(
        "INSERT INTO hall (id, code, name, carrier, star, config, created_at) "
        "SELECT %s + g, 'A' || lpad(g::text, 4, '0'), '营业厅 ' || g, 'unicom', 3, "
        "'{}'::json, %s FROM generate_series(0, %s - 1) g",
        (HALL_ID0, datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None), h))
    conn.execute(
        "INSERT INTO counter (id, hall_id, code, name, batch) "
        "SELECT %s + g, %s + g / %s, 'C' || lpad((g %% %s + 1)::text, 2, '0'), "
        "'柜台 ' || (g %% %s + 1), false FROM generate_series(0, %s - 1) g",
        (COUNTER_ID0, HALL_ID0, c, c, c, h * c))
    staff_cols = _columns(conn, "staff")
    extra = ", must_change_password" if "must_change_password" in staff_cols else ""
    extra_v = ", false" if extra else ""
    conn.execute(
        "INSERT INTO staff (id, uid, hall_id, staff_no, name, role, password_hash, active, "
        f"failed_logins, created_at{extra}) "
        "SELECT %s + g, '00000000-0000-4000-a000-' || lpad(to_hex(g), 12, '0'), "
        "%s + g / %s, 'A' || lpad((g / %s)::text, 4, '0') || lpad((g %% %s + 1)::text, 3, '0'), "
        "'员工 ' || g, CASE WHEN g %% %s = 0 THEN 'supervisor' ELSE 'clerk' END, '!area', "
        f"true, 0, %s{extra_v} FROM generate_series(0, %s - 1) g",
        (STAFF_ID0, HALL_ID0, c, c, c, c, datetime(2026, 1, 1), h * c))
    timings["halls"] = time.perf_counter() - t0
    per_day = h * area.per_day
    for d in range(area.days):
        day = area.day(d)
        # 09:00 in the hall, orders spread over eight hours
        start = datetime.combine(day, datetime.min.time().replace(hour=9), ZONE) \
            .astimezone(UTC).replace(tzinfo=None)
        step = 8 * 3600 / area.per_day
        base = d * per_day
        t = time.perf_counter()
        conn.execute(f"""
            INSERT INTO service_order (id, uid, order_no, hall_id, counter_id, staff_id,
                channel, service, carrier, business_date, status, line_number, presenter_role,
                presenter_name, details, outcome, total_fen, content_hash, started_at,
                created_at)
            SELECT o.id, '00000000-0000-4000-8000-' || lpad(to_hex(o.id), 12, '0'),
                'A' || lpad(o.h::text, 4, '0') || '-C' || lpad((o.k %% {c} + 1)::text, 2, '0')
                    || '-' || %(ymd)s || '-' || lpad((o.k + 1)::text, 5, '0') || '-X',
                {HALL_ID0} + o.h, {COUNTER_ID0} + o.h * {c} + o.k %% {c},
                {STAFF_ID0} + o.h * {c} + o.k %% {c}, 'counter',
                (ARRAY['report_loss', 'bill_payment', 'sim_replacement', 'plan_change'])
                    [1 + o.k %% 4], 'unicom', %(day)s,
                CASE WHEN o.k %% 100 = 99 THEN 'voided' ELSE 'accepted' END,
                '186' || lpad((o.id %% 100000000)::text, 8, '0'), 'self', '客户' || o.k,
                %(details)s::json, %(outcome)s::json, (o.k %% 3) * 5000, md5(o.id::text),
                %(start)s + make_interval(secs => o.k * {step}) - interval '2 minutes',
                %(start)s + make_interval(secs => o.k * {step})
            FROM (SELECT {base} + g + 1 AS id, g %% {h} AS h, g / {h} AS k
                  FROM generate_series(0, {per_day} - 1) g) o""",
                     {"ymd": day.strftime("%Y%m%d"), "day": day, "details": DETAILS,
                      "outcome": OUTCOME, "start": start})
        timings["orders"] = timings.get("orders", 0.0) + time.perf_counter() - t
        t = time.perf_counter()
        # two orders in three (of each hall) have a fee and a payment
        ids = (f"FROM (SELECT {base} + g + 1 AS id, g / {h} AS k FROM generate_series(0, "
               f"{per_day} - 1) g) o WHERE o.k % 3 <> 0")
        conn.execute(f"INSERT INTO order_fee (order_id, item, name, amount_fen) "
                     f"SELECT o.id, 'service', '服务费', (o.k % 3) * 5000 {ids}")
        conn.execute(
            "INSERT INTO order_payment (order_id, method, amount_fen, tendered_fen, "
            "change_fen) SELECT o.id, (ARRAY['cash', 'card', 'mobile_pay'])[1 + o.k / 3 % 3], "
            f"(o.k % 3) * 5000, (o.k % 3) * 5000, 0 {ids}")
        timings["fees+payments"] = timings.get("fees+payments", 0.0) + \
            time.perf_counter() - t
        t = time.perf_counter()
        conn.execute(f"""
            INSERT INTO shift (uid, hall_id, counter_id, staff_id, business_date, status,
                opened_at, closed_at, checklist)
            SELECT '00000000-0000-4000-b000-' || lpad(to_hex({d} * {h * c} + g), 12, '0'),
                {HALL_ID0} + g / {c}, {COUNTER_ID0} + g, {STAFF_ID0} + g, %(day)s, 'closed',
                %(start)s - interval '30 minutes', %(start)s + interval '9 hours', '{{}}'::json
            FROM generate_series(0, {h * c} - 1) g""", {"day": day, "start": start})
        timings["shifts"] = timings.get("shifts", 0.0) + time.perf_counter() - t
        t = time.perf_counter()
        _day_extras(conn, area, d, day, start, base)
        timings["voids, follow-ups, intake"] = timings.get("voids, follow-ups, intake", 0.0) \
            + time.perf_counter() - t
        print(f"  day {d + 1}/{area.days}: {(d + 1) * per_day:,} orders, "
              f"{sum(timings.values()):.0f} s", flush=True)
    for table in ("service_order", "shift", "staff", "counter", "hall", "order_void",
                  "follow_up", "intake_entry"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"(SELECT max(id) FROM {table}))")
    t = time.perf_counter()
    conn.execute("VACUUM ANALYZE")
    timings["vacuum analyze"] = time.perf_counter() - t
    return timings


def _day_extras(conn: Any, area: Area, d: int, day: date, start: datetime, base: int) -> None:
    """The voids of the voided orders (one in a hundred), a follow-up for one order in fifty
    (open for the last three days, done before), a refused request for one order in a hundred."""
    h, c, per_day = area.halls, area.counters, area.halls * area.per_day
    params = {"day": day, "start": start}
    conn.execute(f"""
        INSERT INTO order_void (uid, order_id, order_no, business_date, voided_on, staff_id,
            reason, returned_fen, at)
        SELECT '00000000-0000-4000-c000-' || lpad(to_hex(id), 12, '0'), id, order_no,
            business_date, business_date, staff_id, '客户取消', total_fen,
            created_at + interval '10 minutes'
        FROM service_order WHERE id > {base} AND id <= {base + per_day} AND status = 'voided'
        """)
    status = "open" if d >= area.days - 3 else "done"
    conn.execute(f"""
        INSERT INTO follow_up (uid, order_id, task, name, due_at, status, owner_staff_id,
            created_at)
        SELECT '00000000-0000-4000-d000-' || lpad(to_hex(id), 12, '0'), id, 'callback',
            '回访客户', %(start)s + interval '3 days', '{status}',
            {STAFF_ID0} + ((id - 1 - {base}) %% {h}) * {c}, %(start)s
        FROM generate_series({base} + 1, {base + per_day}) id
        WHERE (id - 1 - {base}) / {h} %% 50 = 1""", params)
    conn.execute(f"""
        INSERT INTO intake_entry (uid, hall_id, counter_id, staff_id, channel, service,
            business_date, decision, violations, missing, created_at)
        SELECT '00000000-0000-4000-e000-' || lpad(to_hex(id), 12, '0'),
            {HALL_ID0} + (id - 1 - {base}) %% {h}, {COUNTER_ID0} + ((id - 1 - {base}) %% {h}) * {c},
            {STAFF_ID0} + ((id - 1 - {base}) %% {h}) * {c}, 'counter', 'sim_replacement',
            %(day)s, 'rejected', '[]'::json, '["resident_id"]'::json, %(start)s
        FROM generate_series({base} + 1, {base + per_day}) id
        WHERE (id - 1 - {base}) / {h} %% 100 = 7""", params)


def _columns(conn: Any, table: str) -> set[str]:
    return {r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,))}


# -- the views ------------------------------------------------------------------------------------

@dataclass
class Captured:
    statements: list[tuple[str, Any]] = field(default_factory=list)
    on: bool = False


def supervisor(db: Any, hall_id: int) -> Any:
    from sqlalchemy import select

    from app.models import Counter, Staff
    from app.services.hall.registry import Actor

    with db.read() as s:
        staff = s.execute(select(Staff).where(Staff.hall_id == hall_id,
                                              Staff.role == "supervisor")).scalars().first()
        counter = s.execute(select(Counter).where(Counter.hall_id == hall_id)
                            .order_by(Counter.code)).scalars().first()
        return Actor(staff.id, staff.staff_no, staff.name, staff.role, hall_id, counter.id,
                     counter.code)


def views(db: Any, actor: Any, day: date, now: datetime) -> dict[str, Any]:
    from app.services.day.reports import build_daily_report
    from app.services.day.review import overview

    return {
        "overview": lambda: overview(db, actor, day, now=now),
        "report": lambda: build_daily_report(db, day, now=now, hall_id=actor.hall_id),
    }


def measure(db: Any, actor: Any, day: date, now: datetime, rounds: int,
            captured: Captured) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, view in views(db, actor, day, now).items():
        times = []
        captured.on, captured.statements = True, []
        result = None
        for i in range(rounds):
            t = time.perf_counter()
            result = view()
            times.append(time.perf_counter() - t)
            if i == 0:
                captured.on = False
        out[name] = {"first": times[0], "median": statistics.median(times), "times": times,
                     "statements": list(captured.statements), "result": result}
    return out


def explain(db: Any, statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    plans = []
    with db.engine.connect() as conn:
        big = {t for t, n in conn.exec_driver_sql(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%(t)s)",
            {"t": list(BIG_TABLES)}) if n > 10_000}  # an empty table is read whole, rightly
        for sql, params in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).all()
            text = "\n".join(r[0] for r in rows)
            seq = sorted({t for t in big if f"Seq Scan on {t} " in text.replace("\n", " ")})
            took = next((r[0] for r in rows if r[0].startswith("Execution Time")), "")
            plans.append({"sql": sql, "params": params, "plan": text, "seq": seq,
                          "took": took})
        conn.rollback()
    return plans


def write_plans(path: Path, area: Area, gen: dict[str, float] | None, hall: str, day: date,
                figures: dict[str, dict[str, Any]], plans: dict[str, list[dict[str, Any]]]
                ) -> None:
    lines = [
        "# Query plans of the area view",
        "",
        "Written by `python bench/bench_area.py` (do not edit by hand; run it again).",
        "",
        f"Area: {area.halls} halls × {area.days} days × {area.per_day:,} orders = "
        f"{area.orders:,} orders (a fee and a payment for two orders in three, "
        f"{area.counters} counters per hall, one closed shift per counter and day), on "
        f"PostgreSQL with `{AREA_SETTINGS.strip().replace(chr(10), '`, `')}`. "
        f"Machine: {platform.system()} {platform.machine()}, written "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; other work was running on it.",
        "",
    ]
    if gen:
        lines += ["Generation: " + ", ".join(f"{k} {v:.0f} s" for k, v in gen.items())
                  + f"; total {sum(gen.values()):.0f} s.", ""]
    lines += [f"Hall {hall}, business date {day}. *first*: the first of the rounds (a cold "
              "cache only if nothing read that hall's day before); *sequential scans*: of a "
              "table with more than 10,000 rows. Tables the bench leaves empty (complaints, "
              "cash entries, stock, queue tickets, sign-offs, corrections) show a sequential "
              "scan of nothing in their plans.", "",
              "| view | first | median | target | queries | sequential scans |",
              "|---|---|---|---|---|---|"]
    for name, target in (("overview", OVERVIEW_TARGET), ("report", REPORT_TARGET)):
        f = figures[name]
        seqs = sorted({t for p in plans[name] for t in p["seq"]})
        lines.append(f"| {name} | {f['first'] * 1000:.0f} ms | {f['median'] * 1000:.0f} ms | "
                     f"≤ {target * 1000:.0f} ms | {len(plans[name])} | "
                     f"{', '.join(seqs) or 'none'} |")
    for name, title in (("overview", "The supervisor's day view (`review.overview`)"),
                        ("report", "The daily report (`reports.build_daily_report`)")):
        lines += ["", f"## {title}", ""]
        for i, p in enumerate(plans[name], 1):
            flag = f" — **sequential scan of {', '.join(p['seq'])}**" if p["seq"] else ""
            lines += [f"### {name} {i}: {p['took']}{flag}", "", "```sql", p["sql"].strip(),
                      "```", "", f"Parameters: `{_short(p['params'])}`", "", "```",
                      p["plan"], "```", ""]
    path.write_text("\n".join(lines))


def _short(params: Any) -> str:
    text = repr(params)
    return text if len(text) < 300 else text[:300] + " …"


# -- the command ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--halls", type=int, default=200)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--per-day", type=int, default=2000)
    p.add_argument("--counters", type=int, default=10, help="per hall")
    p.add_argument("--url", help="an existing PostgreSQL database (SQLAlchemy URL)")
    p.add_argument("--keep", action="store_true", help="leave the started server running")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--hall", type=int, help="which hall (0-based; default the middle one)")
    p.add_argument("--day", type=int, help="which day (0-based; default the middle one)")
    p.add_argument("--work", type=Path, default=Path("/tmp/bench-area"))
    p.add_argument("--plans", type=Path, default=ROOT / "docs" / "area_plans.md")
    p.add_argument("--no-plans", action="store_true", help="do not write the plans")
    args = p.parse_args(argv)
    area = Area(args.halls, args.days, args.per_day, args.counters)
    ensure_key(args.work)
    server = None
    url = args.url
    if url is None:
        server = start_area_server()
        url = server.url(server.create_database("area"))
        print(f"server: {url} (data in {server.root})", flush=True)
    ok = False
    try:
        ok = run(area, url, args, Path(server.root) if server else args.work)
    finally:
        if server is not None and not args.keep:
            server.remove()
    return 0 if ok else 1


def run(area: Area, url: str, args: argparse.Namespace, data_dir: Path) -> bool:
    from sqlalchemy import event

    from app.clock import FixedClock
    from app.db import open_database

    open_database(url).dispose()  # the app's schema, every migration and index
    gen = None
    record = args.work / f"area-{area.halls}x{area.days}x{area.per_day}.json"
    with _raw(url) as conn:
        if has_area(conn, area):
            if record.exists():  # how long this area took to make, for the plans' header
                gen = json.loads(record.read_text())
        else:
            check_disk(data_dir, area)
            print(f"generating {area.orders:,} orders ({area.halls} halls × {area.days} days "
                  f"× {area.per_day})", flush=True)
            gen = generate(conn, area)
            record.write_text(json.dumps(gen))
            print(f"generated in {sum(gen.values()):.1f} s: "
                  + ", ".join(f"{k} {v:.1f} s" for k, v in gen.items()), flush=True)
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))"
                            ).fetchone()[0]
        print(f"database size: {size}", flush=True)
    hall_no = area.halls // 2 if args.hall is None else args.hall
    day = area.day(area.days // 2 if args.day is None else args.day)
    now = datetime.combine(day, datetime.min.time().replace(hour=20), ZONE)
    db = open_database(url, clock=FixedClock(now), migrate=False)
    captured = Captured()

    @event.listens_for(db.engine, "before_cursor_execute")
    def _capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        if captured.on:
            captured.statements.append((statement, parameters))

    try:
        actor = supervisor(db, HALL_ID0 + hall_no)
        figures = measure(db, actor, day, now, args.rounds, captured)
        orders = sum(line.orders for line in figures["report"]["result"].services)
        for name, target in (("overview", OVERVIEW_TARGET), ("report", REPORT_TARGET)):
            f = figures[name]
            print(f"{name} of hall {area.hall_code(hall_no)} on {day}: first "
                  f"{f['first'] * 1000:.0f} ms, median {f['median'] * 1000:.0f} ms of "
                  f"{len(f['times'])} (target ≤ {target * 1000:.0f} ms), "
                  f"{len(f['statements'])} statements", flush=True)
        print(f"the report counted {orders} orders (voided ones left out)", flush=True)
        plans = {name: explain(db, figures[name]["statements"]) for name in figures}
        for name, found in plans.items():
            for p in found:
                if p["seq"]:
                    print(f"  {name}: sequential scan of {', '.join(p['seq'])}: "
                          f"{' '.join(p['sql'].split())[:120]}", flush=True)
        if not args.no_plans:
            write_plans(args.plans, area, gen, area.hall_code(hall_no), day, figures, plans)
            print(f"plans written to {args.plans}", flush=True)
        return (figures["overview"]["median"] <= OVERVIEW_TARGET
                and figures["report"]["median"] <= REPORT_TARGET)
    finally:
        db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
