"""The orders file of a CSV export against `sqlite3 -csv` of the same rows.

    python -m bench.fig_export DB OUT      # A: export_data (masked CSV); prints one JSON line

A: `export_data` of the generated business date as CSV, masked (the default); the figure is
the orders file's own time (`ExportedFile.seconds`), the whole export beside it in the note.
B (`floor_argv`): the sqlite3 command-line shell writing the same orders with the same
columns (codes and staff numbers joined in, fees, payments, documents and the signature
aggregated per order) as CSV to a file: one SELECT, no Python. It does not mask names.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import DAY, peak_mb

RAW_SQL = """
SELECT o.order_no, o.uid, o.business_date, h.code, c.code, st.staff_no, o.channel, o.service,
       o.carrier, o.status, cu.uid, cu.kind, cu.name, cu.id_type, cu.id_masked, cu.unit_name,
       cu.reg_type, cu.reg_masked, o.line_number, o.presenter_role, o.presenter_name,
       o.presenter_id_type, o.presenter_id_masked, o.total_fen,
       (SELECT group_concat(item || ':' || printf('%.2f', amount_fen / 100.0), '; ')
          FROM order_fee WHERE order_id = o.id),
       (SELECT group_concat(method || ':' || printf('%.2f', amount_fen / 100.0), '; ')
          FROM order_payment WHERE order_id = o.id),
       (SELECT group_concat(code, ' ') FROM order_document WHERE order_id = o.id),
       (SELECT CASE WHEN on_paper THEN 'paper' ELSE 'pad' END FROM signature_record
          WHERE order_id = o.id),
       o.effective, o.details, o.created_at, o.voided_at, vb.staff_no, o.void_reason,
       ab.staff_no, o.content_hash
FROM service_order o
JOIN hall h ON h.id = o.hall_id
LEFT JOIN counter c ON c.id = o.counter_id
LEFT JOIN staff st ON st.id = o.staff_id
LEFT JOIN customer cu ON cu.id = o.customer_id
LEFT JOIN staff vb ON vb.id = o.voided_by
LEFT JOIN staff ab ON ab.id = o.authorized_by
WHERE o.business_date >= '{day}' AND o.business_date <= '{day}'
ORDER BY o.business_date, o.order_no;
"""


def floor_argv(db: Path, out: Path) -> list[str]:
    sql = RAW_SQL.format(day=DAY.isoformat())
    return ["sqlite3", "-readonly", "-csv", "-header", str(db), f".once {out}", sql]


def export_child(db: Path, out: Path) -> dict[str, Any]:
    from app.db import open_database
    from app.services.exchange.export import ExportRequest, export_data
    from app.services.hall.registry import batch_actor

    shutil.rmtree(out, ignore_errors=True)
    database = open_database(f"sqlite:///{db}")
    actor = batch_actor(database)
    started = time.perf_counter()
    result = export_data(database, actor, ExportRequest(DAY, DAY, "csv", out))
    total = time.perf_counter() - started
    orders = next(f for f in result.files if f.dataset == "orders")
    database.dispose()
    return {"seconds": orders.seconds, "whole": total, "rows": orders.rows,
            "peak_mb": peak_mb(), "files": {f.name: round(f.seconds, 3) for f in result.files}}


def main() -> int:
    print(json.dumps(export_child(Path(sys.argv[1]), Path(sys.argv[2]))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
