"""The masked CSV orders file on SQLite, now written line by line by SQLite itself
(`export_csv_lines`), is byte for byte what the Python rows and `csv` writer made, also for
the texts that need care: commas, quotes and line ends (quoted, quotes doubled), texts that
would start a formula (an apostrophe first), names already masked, compound surnames and
separators, a unit's name (not masked), phone numbers that are not mobile numbers, details
holding names and phone numbers, a void's reason."""

from __future__ import annotations

import csv
import random
import sqlite3
from pathlib import Path
from typing import Any, Final

import pytest
from sqlalchemy import select, update

from app.db import Database
from app.models import Customer, ServiceOrder
from app.security.masking import _COMPOUND_SURNAMES
from app.services.exchange import export as export_module
from app.services.exchange import export_csv_lines, export_records
from app.services.exchange.export import ExportRequest, export_data
from app.services.exchange.export_columns import masked_name, masked_phone, utc_text
from app.services.exchange.export_csv_lines import FUNCTIONS, _masked_line, _masked_name
from app.services.exchange.export_sql import utc_text_sql_text
from tests.builders import DAY
from tests.test_export import record_day, supervisor

NAMES = ["=HYPERLINK(\"x\")", "王,小\"明\"", "欧阳娜娜", "阿依古丽·买买提", "张*", "+86 李四",
         "-负号", "@at", "\t制表", "JOHN SMITH", "多行\r\n名字", ""]
LINES = ["020-12345678", "+8613812345678", "138****1234", "13812345678", "=1+2", "10086",
         "", None]
REASONS = ["客户要求, 撤销", "说\"不要了\"", "=cmd|' /C calc'!A0", "行一\n行二", None, "-"]
DETAILS: list[dict[str, Any]] = [
    {}, {"new_owner": {"name": "赵六", "id_type": "resident_id"}, "agent_phone": "13900001111"},
    {"note": "a,b \"q\"\n尾", "new_number": "13700002222", "list": [{"name": "钱七"}]},
    {"contact_phone": "0755-88889999", "amount": 30}]


def tricky(db: Database) -> None:
    """Every order and customer given some of the texts above."""
    with db.session() as s:
        orders = s.scalars(select(ServiceOrder.id).order_by(ServiceOrder.id)).all()
        for i, oid in enumerate(orders):
            s.execute(update(ServiceOrder).where(ServiceOrder.id == oid).values(
                presenter_name=NAMES[(i * 5) % len(NAMES)],
                line_number=LINES[i % len(LINES)], void_reason=REASONS[i % len(REASONS)],
                effective=["=SUM(A1)", "immediately", None][i % 3],
                details=DETAILS[i % len(DETAILS)],
                presenter_id_masked=["+44****", "1101**********1234", None][i % 3]))
        customers = s.scalars(select(Customer.id).order_by(Customer.id)).all()
        for i, cid in enumerate(customers):
            s.execute(update(Customer).where(Customer.id == cid).values(
                name=NAMES[i % len(NAMES)],
                unit_name=["=单位,有限公司", "某某公司", None][i % 3],
                id_masked=["-1****", "1101**********1234"][i % 2]))


def export_orders(db: Database, out: Path) -> bytes:
    result = export_data(db, supervisor(db), ExportRequest(DAY, DAY, "csv", out))
    return (result.directory / "orders.csv").read_bytes()


def test_finished_lines_are_the_python_rows_byte_for_byte(
        demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not demo_db.is_sqlite:
        pytest.skip("the finished lines are SQLite's (PostgreSQL builds rows in Python)")
    record_day(demo_db)
    tricky(demo_db)
    used = []
    real = export_records.csv_lines
    monkeypatch.setattr(export_records, "csv_lines",
                        lambda *a: used.append(1) or real(*a))  # type: ignore[func-returns-value]
    fast = export_orders(demo_db, tmp_path / "fast")
    assert used, "the masked CSV on SQLite takes the finished lines"
    monkeypatch.setattr(export_module, "finished_lines", lambda db, req: False)
    slow = export_orders(demo_db, tmp_path / "slow")
    assert fast == slow
    rows = list(csv.DictReader(fast.decode("utf-8-sig").splitlines(keepends=True)))
    assert len(rows) >= 6
    text = fast.decode("utf-8-sig")
    assert "'=cmd" in text and "'=SUM(A1)" in text and '"\'=单位,有限公司"' in text
    assert any(r["presenter_name"].startswith("'=") for r in rows)  # masked, still inert
    assert "赵六" not in text and "13900001111" not in text  # masked in the details
    assert any(r["void_reason"] == "行一\n行二" for r in rows)  # quoted, read back whole
    assert any(r["void_reason"] == "说\"不要了\"" for r in rows)


# Names SQL masks itself (CJK ideographs only) and names it leaves to Python, side by side.
CJK_NAMES = ["张", "张三", "张三丰", "欧阳", "欧阳娜", "欧阳娜娜", "司马相如之", "一" * 25, "鿿一",
             "＝张三", "\u3000张三", "张三 ", "豈三", "张*", "Ｊohn", "䷿三", "ꀀ三", "*"]


def _sql(conn: sqlite3.Connection, expr: str, value: Any) -> Any:
    return conn.execute(f"SELECT {expr}", (value,)).fetchone()[0]


def test_sql_masks_are_the_python_masks() -> None:
    """Names, line numbers and stored times as SQLite writes them in the finished lines are
    what Python's masks and `utc_text` give, also for values only Python can mask."""
    conn = sqlite3.connect(":memory:")
    for name, function in FUNCTIONS.items():
        conn.create_function(name, 1, function, deterministic=True)
    rnd = random.Random(17)
    names: list[str | None] = [None, "", *NAMES, *CJK_NAMES]
    for _ in range(400):  # ideographs, compound surnames and a few other characters
        head = rnd.choice(sorted(_COMPOUND_SURNAMES)) if rnd.random() < 0.3 else ""
        names.append(head + "".join(
            chr(rnd.randint(0x4E00, 0x9FFF)) if rnd.random() < 0.8
            else rnd.choice("·* aＡ＝䷿ꀀ豈-") for _ in range(rnd.randint(1, 5))))
    for name in names:
        assert _sql(conn, _masked_name("?1"), name) == masked_name(name), name
    for line in [*LINES, "１３８１２３４５６７８", "138123456789", "23812345678", "+86 138-1234-5678"]:
        want = line if not line or "*" in line else masked_phone(line)
        assert _sql(conn, _masked_line("?1"), line) == want, line
    for stamp in ["2026-11-22 02:00:00.000000", "2026-11-22 02:00:00.123456",
                  "2026-11-22 02:00:00", "2026-11-22 02:.000000", "２026-11-22 02:00:00",
                  "2026-11-2张 02:00:00.000000", "2026-11-22  02:00", "x .000000", "x", ""]:
        assert _sql(conn, utc_text_sql_text("?1"), stamp) == utc_text(stamp), stamp


# Per free-text column, values that start like a formula (or may, after NFKC): each in a row
# whose other columns are plain, so that each column's own test is what catches it.
STARTS: dict[str, list[Any]] = {
    "name": ["=张三", "＝张三", "\u3000=三", "+李四", "-王五", "@赵", "张三", "Ｊohn"],
    "id_masked": ["-1****", "+44****", "=1", "@x", "\tx", "1101**"],
    "unit_name": ["=单位", "+公司", "-x", "@x", "某公司"],
    "reg_masked": ["-9****", "=1", "9131****"],
    "line_number": ["+8613812345678", "=1+2", "-1", "@1", "１３８１２３４５６７８", "\t138"],
    "presenter_id_masked": ["+44****", "-1", "1101**"],
    "void_reason": ["=cmd", "-", "+1", "@a", "撤销"],
    "effective": ["=SUM(A1)", "-1", "+x", "@x", "immediately"],
    "details": [{"a": 1}, {"note": "=x", "name": "=张"}, {"contact_phone": "+8613900001111"},
                [1], "=x"],
}
ON_CUSTOMER: Final = {"id_masked", "unit_name", "reg_masked"}


def test_lines_follow_the_order_numbers_across_chunks(
        demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Orders numbered against the order of their rows, chunks of two lines (plain lines,
    lines built field by field, both in one chunk), one free text per row starting like a
    formula: the same bytes as the Python rows, in the order of the order numbers."""
    if not demo_db.is_sqlite:
        pytest.skip("the finished lines are SQLite's")
    record_day(demo_db)
    with demo_db.session() as s:  # the last row gets the first number, and so on
        rows = s.execute(select(ServiceOrder.id, ServiceOrder.order_no, ServiceOrder.customer_id)
                         .order_by(ServiceOrder.id)).all()
        for oid, no, _ in rows:
            s.execute(update(ServiceOrder).where(ServiceOrder.id == oid).values(order_no=no + "x"))
        for (oid, _, _), (_, no, _) in zip(rows, reversed(rows), strict=True):
            s.execute(update(ServiceOrder).where(ServiceOrder.id == oid).values(order_no=no))
    monkeypatch.setattr(export_csv_lines, "LINES_PER_FETCH", 2)
    for column, starts in STARTS.items():
        for turn in range(0, len(starts), len(rows)):
            with demo_db.session() as s:
                for i, (oid, _, cid) in enumerate(rows):
                    value = starts[(turn + i) % len(starts)]
                    if column in ON_CUSTOMER or column == "name":
                        s.execute(update(Customer).where(Customer.id == cid)
                                  .values({column: value}))
                    if column not in ON_CUSTOMER:
                        key = "presenter_name" if column == "name" else column
                        s.execute(update(ServiceOrder).where(ServiceOrder.id == oid)
                                  .values({key: value}))
            fast = export_orders(demo_db, tmp_path / f"fast-{column}{turn}")
            with monkeypatch.context() as m:
                m.setattr(export_module, "finished_lines", lambda db, req: False)
                slow = export_orders(demo_db, tmp_path / f"slow-{column}{turn}")
            assert fast == slow, column
            numbers = [r["order_no"] for r in csv.DictReader(
                fast.decode("utf-8-sig").splitlines(keepends=True))]
            assert numbers == sorted(numbers) and len(numbers) == len(rows)
        with demo_db.session() as s:  # plain again before the next column
            for oid, _, cid in rows:
                if column in ON_CUSTOMER or column == "name":
                    s.execute(update(Customer).where(Customer.id == cid)
                              .values({column: "张三" if column == "name" else None}))
                if column not in ON_CUSTOMER:
                    key = "presenter_name" if column == "name" else column
                    s.execute(update(ServiceOrder).where(ServiceOrder.id == oid)
                              .values({key: {} if column == "details" else
                                       "张三" if column == "name" else None}))
