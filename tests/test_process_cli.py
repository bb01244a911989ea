"""`counter process` through a real subprocess: outcomes, the intake log, malformed input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.builders import examples, personal


def counter(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=os.environ.copy())


def rows(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
    finally:
        engine.dispose()


def write(tmp_path: Path, data: Any, name: str = "req.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_examples_as_a_list(tmp_path: Path, db_url: str) -> None:
    cases = examples()
    proc = counter("process", write(tmp_path, [e["request"] for e in cases]), "--db", db_url)
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout)
    for case, o in zip(cases, outcomes, strict=True):
        want = case["outcome"]
        assert set(o) == {"decision", "order_no", "violations", "missing", "fees",
                          "follow_ups", "effective", "documents_printed"}
        assert (o["decision"], [v["rule"] for v in o["violations"]], o["missing"], o["fees"]) \
            == (want["decision"], [v["rule"] for v in want["violations"]], want["missing"],
                want["fees"]), case["title"]
        assert (o["order_no"] is not None) == (o["decision"] == "accepted")
    decisions = [o["decision"] for o in outcomes]
    assert rows(db_url, "service_order") == decisions.count("accepted")
    assert rows(db_url, "intake_entry") == len(decisions) - decisions.count("accepted")


def test_single_request_prints_one_object(tmp_path: Path, db_url: str) -> None:
    proc = counter("process", write(tmp_path, personal("sim_replacement", line={"arrears": 58})),
                   "--db", db_url)
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    assert out["decision"] == "rejected"
    assert out["violations"] == [{"rule": "arrears_outstanding",
                                  "message": "该号码欠费 58.00 元，须先缴清欠费"}]
    assert out["fees"] == [] and out["effective"] is None


def test_fees_and_english(tmp_path: Path, db_url: str) -> None:
    proc = counter("process", write(tmp_path, personal("sim_replacement")), "--db", db_url,
                   "--lang", "en")
    out = json.loads(proc.stdout)
    assert out["fees"] == [{"item": "sim_card_fee", "amount": 10.0}]


def test_stdin(db_url: str) -> None:
    proc = counter("process", "-", "--db", db_url,
                   stdin=json.dumps(personal("report_loss")))
    assert proc.returncode == 0 and json.loads(proc.stdout)["decision"] == "accepted"


@pytest.mark.parametrize("payload, message", [
    ("{not json", "request: not valid JSON"),
    (json.dumps(personal("report_loss", line={"arrears": "58"})), "line.arrears: expected a number"),
    (json.dumps(personal("report_loss", line={"contract_end": "2026-02-30"})),
     "line.contract_end: not a real date (2026-02-30)"),
    (json.dumps({**personal("report_loss"), "colour": "red"}), "colour: unknown field"),
    (json.dumps([personal("report_loss"), personal("report_loss", signature="yes")]),
     "[1].signature: expected true or false"),
    (json.dumps(personal("number_change", details={"new_number": "99"})),
     "details.new_number: expected a mainland mobile number"),
    (json.dumps(personal("report_loss", line=None)), "line: required for service report_loss"),
    ("[]", "request: the list is empty"),
    ("NaN", "NaN is not a number"),
])
def test_malformed_input_exits_2_and_writes_nothing(tmp_path: Path, payload: str,
                                                    message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(payload, encoding="utf-8")
    db_file = tmp_path / "counter.sqlite3"  # the input is refused before any database
    proc = counter("process", str(path), "--db", f"sqlite:///{db_file}")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    if db_file.exists():
        for table in ("service_order", "intake_entry", "customer", "line", "audit_event"):
            assert rows(f"sqlite:///{db_file}", table) == 0


def test_missing_file_and_bad_db(tmp_path: Path) -> None:
    proc = counter("process", str(tmp_path / "nope.json"), "--db",
                   f"sqlite:///{tmp_path / 'counter.sqlite3'}")
    assert proc.returncode == 2 and "cannot read" in proc.stderr
    proc = counter("process", write(tmp_path, personal("report_loss")), "--db", "nonsense://x")
    assert proc.returncode == 1 and "invalid database URL" in proc.stderr


def test_demo_fills_once(db_url: str) -> None:
    first = counter("demo", "--db", db_url, "--customers", "30")
    assert first.returncode == 0 and "S001" in first.stdout
    assert rows(db_url, "customer") == 30
    again = counter("demo", "--db", db_url)
    assert again.returncode == 1 and "empty" in again.stderr


def test_version() -> None:
    proc = counter("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("counter ")
