"""Hostile and broken input: requests, hall configuration, the catalog.

Thousands of malformed requests (wrong types, huge and control-character strings, SQL-like
text, impossible dates, deep nesting, unknown fields, NaN and Infinity) go through
`parse_request` and `OrderService.evaluate`: each gives a `RequestError` naming a field or a
proper `Evaluation`, never another exception. A sample goes through the `counter process`
command: exit 2 with one line naming the field and nothing written, or exit 0 with a decision.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.clock import FixedClock
from app.core.catalog import CatalogError, default_catalog_dir
from app.core.catalog_loader import load_catalog
from app.core.config import ConfigError, HallConfig, load_hall_config
from app.core.engine import Evaluation
from app.core.request import RequestError, load_json, parse_request
from app.services.orders.service import OrderService, content_hash, outcome_json
from tests.builders import NOW, as_agent, group, line, personal
from tests.fuzz_inputs import deep, places
from tests.security_fixtures import row_counts

# --------------------------------------------------------------------------- material

SQL = ["'; DROP TABLE service_order; --", "1 OR 1=1", "\" OR \"\"=\"", "Robert'); DELETE "
       "FROM staff;--", "%' AND 1=0 UNION SELECT password_hash FROM staff --", "NULL", "\\x00"]
DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "9999-99-99", "2026-1-1", "20261122",
         "2026-11-22T10:00", "-2026-01-01", "２０２６-１１-２２", ""]
NUMBERS = [float("nan"), float("inf"), float("-inf"), -1, -0.001, 0.001, 1e308, 10**30,
           Decimal("1e999999"), Decimal("-1e999999"), Decimal("1e-999999"), Decimal("NaN"),
           2**63, -(2**63), 0.1 + 0.2, True, False]

control_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=40)
hostile_text = st.one_of(
    control_text,
    st.sampled_from(SQL + DATES),
    st.integers(0, 200_000).map(lambda n: "营" * n),  # huge strings
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=20),
    st.just("\ud800"),  # a lone surrogate, as JSON "\ud800" decodes to
    st.just("A" * 70),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.sampled_from(NUMBERS), hostile_text,
                    st.decimals(allow_nan=True, allow_infinity=True))



json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(hostile_text, inner, max_size=5)),
    max_leaves=15)
hostile = st.one_of(scalars, json_values,
                    st.builds(deep, st.integers(1, 3000), st.booleans()))


def bases() -> list[dict[str, Any]]:
    return [
        personal("report_loss"),
        personal("sim_replacement", documents=["sim_card"]),
        personal("new_activation", line=None, details={"package": "畅爽套餐"}),
        personal("ownership_transfer", documents=["new_owner_id"], details={
            "new_owner_name": "王五", "new_owner_id": {"type": "resident_id",
                                                       "number": "310104199002154578"}}),
        personal("bill_payment", details={"amount": 50}),
        personal("cancellation", details={"reason": "出国", "retention": "attempted_failed"}),
        as_agent(personal("realname_registration", line=line(realname="incomplete")),
                 ["resident_id", "authorization_letter"]),
        group("new_activation", line=None, details={"package": "畅爽套餐"},
              documents=["introduction_letter", "business_license", "access_agreement",
                         "subuser_list", "authorization_letter"]),
        personal("intl_roaming_open", details={"destination": "日本"}),
        personal("number_change", details={"new_number": "13099998888"}),
    ]


BASES = bases()



def mutate(base: dict[str, Any], rnd: random.Random, replacement: Any, how: int) -> Any:
    """Replace, delete or add at a random place (or replace the whole request)."""
    data = copy.deepcopy(base)
    where = rnd.choice(places(data))
    if not where:
        return replacement if how == 0 else data
    *parent_path, last = where
    parent: Any = data
    for step in parent_path:
        parent = parent[step]
    if how == 1 and isinstance(parent, dict):
        del parent[last]
    elif how == 2 and isinstance(parent, dict):
        parent[rnd.choice(["unknown", "__proto__", "id", "password_hash", "service ",
                           "details", last])] = replacement
    elif how == 2 and isinstance(parent, list):
        parent.append(replacement)
    else:
        parent[last] = replacement
    return data


mutated = st.builds(lambda i, seed, repl, how: mutate(BASES[i], random.Random(seed), repl, how),
                    st.integers(0, len(BASES) - 1), st.integers(), hostile, st.integers(0, 3))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> OrderService:
    from app.db import open_database
    from app.services.hall.registry import ensure_hall

    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}",
                       clock=FixedClock(NOW))  # module-wide: a clock of its own
    with db.session() as s:
        ensure_hall(s)
    return OrderService(db)


def check(service: OrderService, data: Any) -> str:
    """The contract: a RequestError naming a field, or a proper evaluation. Returns which."""
    try:
        request = parse_request(data)
        evaluation = service.evaluate(request)
    except RequestError as exc:
        assert exc.field and isinstance(exc.field, str) and len(exc.field) < 200
        assert exc.problem and exc.problem_zh
        return "error"
    assert isinstance(evaluation, Evaluation)
    assert evaluation.decision in ("accepted", "rejected", "incomplete")
    # What would be printed and stored must be plain JSON text.
    json.dumps(outcome_json(evaluation), ensure_ascii=False, allow_nan=False).encode()
    assert len(content_hash(request, evaluation)) == 64
    return evaluation.decision


FUZZ = settings(max_examples=2000, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


@settings(FUZZ, max_examples=4000)
@given(data=mutated)
def test_mutated_requests_get_an_error_or_an_evaluation(service, data):
    check(service, data)


@FUZZ
@given(data=hostile)
def test_arbitrary_values_get_an_error_or_an_evaluation(service, data):
    check(service, data)


@settings(FUZZ, max_examples=1000)
@given(text=st.one_of(st.binary(max_size=300), control_text.map(str.encode),
                      json_values.map(lambda v: json.dumps(v, default=str).encode())))
def test_raw_bytes_are_json_or_a_request_error(service, text):
    try:
        data = load_json(text)
    except RequestError as exc:
        assert exc.field == "request"
        return
    check(service, data)


@pytest.mark.parametrize("value", [Decimal("1e999999"), Decimal("9e999998"), 10**4000,
                                   Decimal("-1e999999")])
@pytest.mark.parametrize("where", ["points", "arrears"])
def test_a_huge_number_is_refused_at_once(service, value, where):
    """int(Decimal("1e999999")) takes a quarter of a second: a few such numbers in a batch
    would hold the counter up. They are refused before any conversion. (Measured in this
    process's CPU time: other processes on a busy machine do not count.)"""
    started = time.process_time()
    with pytest.raises(RequestError, match=f"line.{where}"):
        parse_request(personal("report_loss", line={where: value}))
    assert time.process_time() - started < 0.1


def test_the_mutations_do_reach_every_outcome(service):
    """A fuzzer that only ever produced errors would prove little."""
    seen: dict[str, int] = {}
    rnd = random.Random(7)
    for i in range(600):
        value = rnd.choice([None, "", "x", 0, -1, True, [], {}, "2026-02-30", "13012345678"])
        outcome = check(service, mutate(BASES[i % len(BASES)], rnd, value, rnd.randrange(4)))
        seen[outcome] = seen.get(outcome, 0) + 1
    assert set(seen) == {"error", "accepted", "rejected", "incomplete"}, seen


# --------------------------------------------------------------------------- the command


def sample_requests() -> list[tuple[str, bytes]]:
    """~30 hostile inputs as files: (name, bytes)."""
    rnd = random.Random(20261122)
    out: list[tuple[str, bytes]] = [
        ("nan", json.dumps(personal("report_loss", line={"arrears": float("nan")})).encode()),
        ("infinity", b'{"service": "report_loss", "customer": Infinity}'),
        ("huge-number", json.dumps(personal("report_loss")).replace(
            '"arrears": 0', '"arrears": 1e999999').encode()),
        ("deep", b"[" * 50_000 + b"]" * 50_000),
        ("deep-object", json.dumps(deep(100, False)).encode()),
        ("huge-string", json.dumps(personal("report_loss", customer={
            "kind": "personal", "name": "张" * 1_000_000, "id_document": None})).encode()),
        ("control", json.dumps(personal("report_loss", customer={
            "kind": "personal", "name": "张\x00三", "id_document": None})).encode()),
        ("surrogate", json.dumps(personal("report_loss")).replace("张三", "\\ud800").encode()),
        ("sql", json.dumps(personal(SQL[0])).encode()),
        ("sql-name", json.dumps(personal("report_loss", presenter={
            "role": "owner", "name": SQL[3], "id_document": {"type": "resident_id",
                                                           "number": SQL[1]}})).encode()),
        ("bad-date", json.dumps(personal("report_loss", business_date="2026-02-30")).encode()),
        ("unknown-field", json.dumps({**personal("report_loss"), "password": "x"}).encode()),
        ("wrong-type", json.dumps(personal("report_loss", signature="yes")).encode()),
        ("detail-type", json.dumps(personal("bill_payment", details={"amount": "50"})).encode()),
        ("unknown-detail", json.dumps(personal("report_loss", details={"x": 1})).encode()),
        ("not-json", b"{service: report_loss}"),
        ("latin1", "{\"service\": \"é\"}".encode("latin-1")),
        ("empty", b""),
        ("empty-list", b"[]"),
        ("string", b'"report_loss"'),
        ("list-with-bad", json.dumps([personal("report_loss"),
                                      personal("report_loss", line={"points": -5})]).encode()),
        ("fine", json.dumps(personal("report_loss")).encode()),
        ("fine-rejected", json.dumps(personal(
            "number_change", details={"new_number": "13099998888"},
            line={"arrears": 58})).encode()),
    ]
    while len(out) < 32:
        base = BASES[rnd.randrange(len(BASES))]
        value = rnd.choice([None, -1, "", "\x07", SQL[rnd.randrange(len(SQL))], [[[]]], {"a": {}},
                            "2026-02-30", 1e400, True, "营" * 600])
        data = mutate(base, rnd, value, rnd.randrange(4))
        out.append((f"random-{len(out)}", json.dumps(data, ensure_ascii=False).encode()))
    return out


def expected_field(service: OrderService, raw: bytes) -> str | None:
    """The field `counter process` must name for this input, or None if it is valid."""
    try:
        data = load_json(raw)
        if isinstance(data, list):
            if not data:
                return "request"
            for i, item in enumerate(data):
                try:
                    service.evaluate(parse_request(item))
                except RequestError as exc:
                    return f"[{i}].{exc.field}"
            return None
        service.evaluate(parse_request(data))
    except RequestError as exc:
        return exc.field
    return None


@pytest.mark.slow
def test_hostile_requests_through_the_command(service, tmp_path, clock):
    db_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    from app.db import open_database
    from app.services.hall.registry import batch_actor

    db = open_database(db_url, clock=clock)
    batch_actor(db)  # the hall and the batch counter exist, as after any first run
    errors = decisions = 0
    for name, raw in sample_requests():
        source = tmp_path / f"{name}.json"
        source.write_bytes(raw)
        want = expected_field(service, raw)
        before = row_counts(db)
        result = subprocess.run([sys.executable, "-m", "app", "process", str(source), "--db",
                                 db_url], capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stderr, (name, result.stderr)
        if want is not None:
            assert result.returncode == 2, (name, result.returncode, result.stderr)
            message = result.stderr.strip()
            assert "\n" not in message, (name, message)
            assert message.startswith(f"counter: {want}: "), (name, want, message)
            assert result.stdout == ""
            assert row_counts(db) == before, name  # nothing written for a bad request
            errors += 1
        else:
            assert result.returncode == 0, (name, result.stderr)
            outcome = json.loads(result.stdout)
            for item in outcome if isinstance(outcome, list) else [outcome]:
                assert item["decision"] in ("accepted", "rejected", "incomplete")
            decisions += 1
    db.dispose()
    assert errors >= 20 and decisions >= 2


# --------------------------------------------------------------------------- configuration

BAD_SETTINGS: list[dict[Any, Any]] = [
    {"tariff": 5}, {"tariff": {"sim_card_fee": "abc"}}, {"tariff": {"sim_card_fee": None}},
    {"tariff": {"sim_card_fee": float("nan")}}, {"tariff": {"sim_card_fee": "Infinity"}},
    {"tariff": {"sim_card_fee": "1e999999"}}, {"tariff": {"sim_card_fee": -1}},
    {"tariff": {1: 2}}, {"tariff": {"sim_card_fee": True}},
    {"star": "x"}, {"star": 99}, {"own_hall": "yes"}, {"timezone": "Mars/Base"},
    {"timezone": 8}, {"suspend_barred_statuses": 5}, {"suspend_barred_statuses": "active"},
    {"late_fee_rate_per_day": "abc"}, {"late_fee_rate_per_day": [1]},
    {"late_fee_rate_per_day": "NaN"}, {"late_fee_rate_per_day": -0.1},
    {"non_local_advance_fen": "x"}, {"non_local_advance_fen": -5},
    {"carrier": "x"}, {"carrier": ["unicom"]}, {"nope": 1}, {"roaming_no_service": 5},
    {"roaming_no_service": [1, 2]}, {"complaint_answer_hours": "48"}, {"code": 5},
    {"code": "x" * 40}, {"name": None}, {"resume_billing": {}}, {"refund_tolerance_fen": "x"},
    {1: 2}, {"max_failed_logins": 0}, {"lockout_minutes": "15"}, {"idle_lock_minutes": -1},
]


@pytest.mark.parametrize("bad", BAD_SETTINGS, ids=[repr(b)[:40] for b in BAD_SETTINGS])
def test_bad_hall_settings_are_a_config_error(bad):
    with pytest.raises(ConfigError) as err:
        HallConfig().with_overrides(bad, "hall.config")
    assert str(err.value).startswith("hall.config: ")


def test_good_hall_settings_still_load():
    cfg = HallConfig().with_overrides({
        "tariff": {"sim_card_fee": "12.50", "relocation_fee": 50, "x_note": "备注"},
        "star": 5, "own_hall": False, "timezone": "Asia/Urumqi", "late_fee_rate_per_day": "0.003",
        "max_failed_logins": 3, "lockout_minutes": 30, "idle_lock_minutes": 2},
        "hall.config")
    assert cfg.tariff_fen == {"sim_card_fee": 1250, "relocation_fee": 5000}
    assert (cfg.star, cfg.own_hall, cfg.timezone) == (5, False, "Asia/Urumqi")
    assert (cfg.max_failed_logins, cfg.lockout_minutes, cfg.idle_lock_minutes) == (3, 30, 2)


@pytest.mark.parametrize("text", [
    "code = ", "[tariff\nsim_card_fee = 1", "tariff = 5", "star = \"five\"",
    "timezone = \"Nowhere/Else\"", "late_fee_rate_per_day = \"lots\"", "\x00",
])
def test_a_broken_hall_toml_is_a_config_error(tmp_path, text):
    path = tmp_path / "hall.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_hall_config(path)
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError):
        load_hall_config(path)
    with pytest.raises(ConfigError):
        load_hall_config(tmp_path / "missing.toml")


def test_a_broken_hall_setting_in_the_database_stops_the_command_clearly(tmp_path, clock):
    from app.db import open_database
    from app.services.hall.registry import batch_actor, ensure_hall

    url = f"sqlite:///{tmp_path / 'cfg.sqlite3'}"
    db = open_database(url, clock=clock)
    batch_actor(db)
    with db.session() as s:
        ensure_hall(s).config = {"tariff": {"sim_card_fee": "ten yuan"}}
    before = row_counts(db)
    source = tmp_path / "one.json"
    source.write_text(json.dumps(personal("report_loss")), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "app", "process", str(source), "--db", url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip() == ("counter: hall.config: tariff.sim_card_fee: not an amount "
                                     "in yuan")
    assert row_counts(db) == before
    db.dispose()


CATALOG_DAMAGE = [
    ("services/report_loss.toml", lambda t: t + "\n[[[broken"),
    ("services/report_loss.toml", lambda t: t.replace("kinds = [", "kinds = 5 #[", 1)),
    ("services/report_loss.toml", lambda t: "code = 5\n" + t.split("\n", 1)[1]),
    ("services/report_loss.toml", lambda t: ""),
    ("documents.toml", lambda t: t + '\n[document.x]\nname = 5\n'),
    ("rules.toml", lambda t: t.replace("message", "messag", 1)),
    ("campaigns.toml", lambda t: t + '\n[[campaign]]\ncode = "bad"\ntier = "none"\n'),
    ("services/bill_payment.toml", lambda t: t.replace("type = \"money\"", "type = \"cash\"")),
    ("services/report_loss.toml", lambda t: t + "\n\x00"),
]


@pytest.mark.parametrize(("file", "damage"), CATALOG_DAMAGE,
                         ids=[f"{f}-{i}" for i, (f, _d) in enumerate(CATALOG_DAMAGE)])
def test_a_damaged_catalog_is_a_catalog_error(tmp_path, file, damage):
    catalog = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), catalog)
    target = catalog / file
    target.write_text(damage(target.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(catalog)
