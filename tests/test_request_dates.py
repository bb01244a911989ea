"""Dates in a request: only the calendar form YYYY-MM-DD, and only plausible years.

`date.fromisoformat` (Python 3.11+) also reads week dates (2026-W47-7) and basic forms
(20261122); a far date (9999-12-31) breaks date arithmetic later. Each is refused at parse time
as a `RequestError` naming the field, so `counter process` exits 2 and writes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.core.catalog import get_catalog
from app.core.config import load_hall_config
from app.core.engine import coerce_details, evaluate
from app.core.request import RequestError, parse_business_date, parse_request
from tests.builders import line, personal

BAD_FORMS = ["2026-W47-7", "2026-330", "20261122", "2026-11-22T10:00", "2026-11-22 ",
             " 2026-11-22", "2026-1-22", "+2026-11-2", "２０２６-11-22", "", 20261122, True]
OUT_OF_RANGE = ["9999-12-31", "1999-12-31", "2100-01-01", "0001-01-01"]


def problem(req: dict[str, Any]) -> RequestError:
    with pytest.raises(RequestError) as caught:
        parse_request(req)
    return caught.value


# --- the business date --------------------------------------------------------------------

@pytest.mark.parametrize("value", BAD_FORMS)
def test_business_date_only_in_calendar_form(value: Any) -> None:
    exc = problem(personal("report_loss", business_date=value))
    assert exc.field == "business_date"
    assert exc.problem == "expected a date YYYY-MM-DD" and exc.problem_zh == "应为日期 YYYY-MM-DD"


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_business_date_within_this_century(value: str) -> None:
    exc = problem(personal("report_loss", business_date=value))
    assert exc.field == "business_date"
    assert exc.problem == "must be between 2000-01-01 and 2099-12-31"
    assert exc.problem_zh == "应在 2000-01-01 至 2099-12-31 之间"


def test_business_date_that_does_not_exist() -> None:
    exc = problem(personal("report_loss", business_date="2026-02-30"))
    assert str(exc) == "business_date: not a real date (2026-02-30)"
    assert "日期不存在" in exc.problem_zh


@pytest.mark.parametrize("value, expected", [
    ("2000-01-01", date(2000, 1, 1)),
    ("2099-12-31", date(2099, 12, 31)),
    ("2028-02-29", date(2028, 2, 29)),
    (None, None),  # null: the business date of the hall when it is decided
])
def test_business_date_accepted(value: str | None, expected: date | None) -> None:
    assert parse_request(personal("report_loss", business_date=value)).business_date == expected


def test_business_date_may_be_left_out() -> None:
    req = personal("report_loss")
    del req["business_date"]
    assert parse_request(req).business_date is None


def test_business_date_of_a_command_line() -> None:
    assert parse_business_date("2026-11-22", "--date") == date(2026, 11, 22)
    for text in ("2026-W47-7", "9999-12-31", ""):
        with pytest.raises(RequestError) as caught:
            parse_business_date(text, "--date")
        assert caught.value.field == "--date"


# --- the line's dates -----------------------------------------------------------------------

LINE_DATES = ["contract_end", "nice_number_until", "subsidy_until", "campaign_until"]


@pytest.mark.parametrize("key", LINE_DATES)
@pytest.mark.parametrize("value", ["2026-W47-7", "20261122", "2026-11-22T10:00", ""])
def test_line_dates_only_in_calendar_form(key: str, value: str) -> None:
    exc = problem(personal("report_loss", line=line(**{key: value})))
    assert exc.field == f"line.{key}" and exc.problem == "expected a date YYYY-MM-DD"


@pytest.mark.parametrize("key", LINE_DATES)
@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31", "2200-01-01"])
def test_line_dates_far_from_the_ends_of_the_calendar(key: str, value: str) -> None:
    exc = problem(personal("report_loss", line=line(**{key: value})))
    assert exc.field == f"line.{key}"
    assert exc.problem == "must be between 1900-01-01 and 2199-12-31"


@pytest.mark.parametrize("value", ["1999-12-31", "2150-06-30", None])
def test_line_dates_wider_than_the_business_date(value: str | None) -> None:
    parsed = parse_request(personal("report_loss", line=line(contract_end=value)))
    assert parsed.line is not None
    assert parsed.line.contract_end == (date.fromisoformat(value) if value else None)


# --- dates and months among the details ----------------------------------------------------

CATALOG = get_catalog()


@pytest.mark.parametrize("value, problem_text", [
    ("2026-W47-7", "expected a date YYYY-MM-DD"),
    ("20261201", "expected a date YYYY-MM-DD"),
    ("9999-12-31", "must be between 1900-01-01 and 2199-12-31"),
    ("2026-02-30", "not a real date (2026-02-30)"),
])
def test_detail_dates(value: str, problem_text: str) -> None:
    service = CATALOG.services["product_reservation"]
    with pytest.raises(RequestError) as caught:
        coerce_details(service, {"effective_date": value})
    assert caught.value.field == "details.effective_date"
    assert caught.value.problem == problem_text
    assert coerce_details(service, {"effective_date": "2026-12-01"})["effective_date"] == \
        date(2026, 12, 1)


@pytest.mark.parametrize("value", ["2026-W4", "202611", "2026-13", "2026-1", "9999-12", ""])
def test_detail_months(value: str) -> None:
    service = CATALOG.services["bill_detail_query"]
    with pytest.raises(RequestError) as caught:
        coerce_details(service, {"month": value})
    assert caught.value.field == "details.month"
    assert coerce_details(service, {"month": "2026-10"})["month"] == "2026-10"


# --- the business date of a decision ---------------------------------------------------------

HALL = load_hall_config()


def test_decision_dated_by_the_hall_not_by_utc() -> None:
    """At 2026-12-31 23:59:30 UTC the hall (Asia/Shanghai) is already on 2027-01-01."""
    req = parse_request(personal("report_loss", business_date=None))
    ev = evaluate(req, CATALOG, HALL, now=datetime(2026, 12, 31, 23, 59, 30, tzinfo=UTC))
    assert ev.business_date == date(2027, 1, 1)


def test_the_request_business_date_wins_and_needs_no_clock() -> None:
    req = parse_request(personal("report_loss", business_date="2028-02-29"))
    assert evaluate(req, CATALOG, HALL).business_date == date(2028, 2, 29)
    ev = evaluate(req, CATALOG, HALL, now=datetime(2030, 6, 15, 8, 0, tzinfo=UTC))
    assert ev.business_date == date(2028, 2, 29)


def test_no_date_and_no_clock_is_a_programming_error() -> None:
    req = parse_request(personal("report_loss", business_date=None))
    with pytest.raises(ValueError, match="now="):
        evaluate(req, CATALOG, HALL)
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(req, CATALOG, HALL, now=datetime(2026, 11, 22, 10, 0))


# --- through `counter process` ---------------------------------------------------------------

def counter(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy())


@pytest.mark.parametrize("payload, field", [
    (personal("report_loss", business_date="9999-12-31"), "business_date"),
    (personal("report_loss", business_date="2026-W47-7"), "business_date"),
    ([personal("report_loss"), personal("report_loss", business_date="2100-01-01")],
     "[1].business_date"),
    (personal("report_loss", line=line(contract_end="20261122")), "line.contract_end"),
])
def test_process_refuses_the_file_before_opening_the_database(
        tmp_path: Path, payload: Any, field: str) -> None:
    request = tmp_path / "req.json"
    request.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    db_file = tmp_path / "counter.sqlite3"
    proc = counter("process", str(request), "--db", f"sqlite:///{db_file}")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stderr.startswith(f"counter: {field}: ")
    assert not db_file.exists()  # refused before the database was opened: nothing written


def test_daily_report_refuses_a_week_date(tmp_path: Path) -> None:
    db_file = tmp_path / "counter.sqlite3"
    proc = counter("report", "daily", "--date", "2026-W47-7", "--db", f"sqlite:///{db_file}",
                   "--out", str(tmp_path / "daily.pdf"))
    assert proc.returncode == 2 and "--date" in proc.stderr and "YYYY-MM-DD" in proc.stderr
    assert "Traceback" not in proc.stderr and not db_file.exists()
