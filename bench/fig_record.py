"""Recording one request, and finding a customer by ID number, against their floors.

    python -m bench.fig_record BASE.sqlite3 WORK ROUNDS RUNS

* record: `OrderService.submit` of a SIM replacement (a fee, a cash payment, a document, the
  signature record, the line's change and history, stock and cash entries, the audit event
  with its seals) on a copy of the database (A), and the very statements it sent, captured
  with their parameters, replayed in the same transactions on a twin copy through bare
  `sqlite3` with the same pragmas (B). Request by request, A B A B.
* search: `search_customers` with an 18-character ID number of a generated customer (A),
  against the same two keyed hashes (`lookup_id`, `lookup_unit`) and the same SQL on a bare
  sqlite3 connection (B).

Prints one JSON line: both figures' samples, and the steps of one recorded request
(pickled beside the databases, for the `counter process` floor).
"""

from __future__ import annotations

import json
import pickle
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import NOW, copy_db, peak_mb, remove_db
from bench.replay import capture, connect, replay, statements


def process_floor(work: Path, base: Path) -> Path:
    """The twin `counter process`'s floor starts from: one per generated size."""
    return work / f"process-floor-{base.stem}.sqlite3"


def record_steps(work: Path, base: Path) -> Path:
    """The statements of the last recorded request on `base`, for that floor."""
    return work / f"record-steps-{base.stem}.pickle"


def _request(number: str) -> dict[str, Any]:
    from tests.builders import personal

    req = personal("sim_replacement", documents=["sim_card"])
    req["line"]["number"] = number
    return req


def record(base: Path, work: Path, rounds: int, runs: int) -> dict[str, Any]:
    from sqlalchemy import text

    from app.clock import FixedClock
    from app.core.request import parse_request
    from app.db import open_database
    from app.services.hall.registry import batch_actor
    from app.services.orders.service import OrderService, Submission

    a_path = copy_db(base, work / "record-a.sqlite3")
    b_path = copy_db(base, work / "record-b.sqlite3")
    db = open_database(f"sqlite:///{a_path}", clock=FixedClock(NOW))
    service = OrderService(db)
    actor = batch_actor(db)
    with db.read() as s:
        numbers = list(s.execute(text("SELECT number FROM line ORDER BY id LIMIT 2000")).scalars())
    # The same warm-up on both sides: the workstation is named, caches are filled.
    con = connect(b_path)
    setup: list[Any] = []
    with capture(db.engine) as steps:
        actor = batch_actor(db)
    setup += steps
    replay(con, setup)
    app_ms: list[float] = []
    floor_ms: list[float] = []
    kept: list[Any] = []
    total = rounds * runs + 5
    for i in range(total):
        parsed = parse_request(_request(numbers[i % len(numbers)]))
        with capture(db.engine) as steps:
            t0 = time.perf_counter()
            result = service.submit(Submission(parsed, occurrence=i), actor)
            a = time.perf_counter() - t0
        if result.order_id is None:
            raise RuntimeError(f"the bench's request was not accepted: {result.outcome()}")
        if i == total - 1:  # the twin as it was before this request: `counter process`'s floor
            _snapshot(con, process_floor(work, base))
        t0 = time.perf_counter()
        replay(con, steps)
        b = time.perf_counter() - t0
        if i >= 5:  # the first few warm both sides up
            app_ms.append(a)
            floor_ms.append(b)
        kept = steps
    con.close()
    db.dispose()
    remove_db(a_path)  # 2.4 GB each at 1M: not left in the page cache for the next figures
    remove_db(b_path)
    with record_steps(work, base).open("wb") as fh:
        pickle.dump([(k, sql, _plain(params), many) for k, sql, params, many in kept], fh)
    return {"app": _medians(app_ms, rounds), "floor": _medians(floor_ms, rounds),
            "statements": statements(kept), "peak_mb": peak_mb()}


def _plain(params: Any) -> Any:
    """Parameters as picklable values (a blob may be a memoryview)."""
    if isinstance(params, memoryview):
        return params.tobytes()
    if isinstance(params, list | tuple):
        return type(params)(_plain(p) for p in params)
    if isinstance(params, dict):
        return {k: _plain(v) for k, v in params.items()}
    return params


def _snapshot(con: Any, path: Path) -> None:
    import sqlite3

    remove_db(path)
    target = sqlite3.connect(path)
    con.backup(target)
    target.close()


def _medians(xs: list[float], rounds: int) -> list[float]:
    """Per round, the median of its requests (each round is `len(xs) // rounds` of them)."""
    per = max(1, len(xs) // rounds)
    return [statistics.median(xs[i:i + per]) for i in range(0, per * rounds, per)]


def search(base: Path, rounds: int, runs: int) -> dict[str, Any]:
    import sqlite3

    from app.db import open_database
    from app.services.customers.pii import default_personal_data
    from app.services.customers.queries import customer_search_stmt, search_customers
    from bench.generate import customer_id_number

    db = open_database(f"sqlite:///{base}", migrate=False)
    pd = default_personal_data()
    with db.read() as s:
        from sqlalchemy import text

        n = int(s.execute(text("SELECT count(*) FROM customer WHERE origin = 'gen'")).scalar()
                or 0)
    rng = random.Random(7)
    ids = [customer_id_number(rng.randrange(n)) for _ in range(rounds * runs + 20)]
    stmt = customer_search_stmt(ids[0], pd)
    assert stmt is not None
    compiled = stmt.compile(db.engine)
    sql = str(compiled)
    order = list(compiled.positiontup or [])
    fixed = dict(compiled.params)  # the limit; the two hashes are made per lookup below
    if not {"id_lookup_1", "reg_lookup_1"} <= set(fixed):
        raise RuntimeError(f"the search statement changed: {sorted(fixed)}")
    con = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    found = 0
    app_s: list[float] = []
    floor_s: list[float] = []
    for i, number in enumerate(ids):
        t0 = time.perf_counter()
        hits = search_customers(db, number, pd)
        a = time.perf_counter() - t0
        t0 = time.perf_counter()
        params = dict(fixed, id_lookup_1=pd.lookup_id(number),
                      reg_lookup_1=pd.lookup_unit(number))
        rows = con.execute(sql, [params[k] for k in order]).fetchall()
        b = time.perf_counter() - t0
        if len(rows) != len(hits):
            raise RuntimeError("the floor's query does not find what the app finds")
        found += bool(hits)
        if i >= 20:
            app_s.append(a)
            floor_s.append(b)
    con.close()
    db.dispose()
    if found < len(ids) * 0.99:
        raise RuntimeError(f"only {found} of {len(ids)} ID numbers were found: wrong IDs")
    return {"app": _medians(app_s, rounds), "floor": _medians(floor_s, rounds),
            "found": found, "lookups": len(ids)}


def main() -> int:
    base, work, rounds, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(
        sys.argv[4])
    out = {"record": record(base, work, rounds, runs), "search": search(base, rounds, runs * 3)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
