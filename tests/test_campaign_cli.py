"""A campaign through the batch interface (`counter process`, a real subprocess): the example
requests of tests/examples, the follow-up for the term's end in the outcome, the terms on the
stored order and on the printed slip, a run again replays without a second order."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlalchemy import create_engine, text

from tests.builders import examples

CAMPAIGN_EXAMPLES = [e for e in examples() if "tenure reward" in e["title"]]


def counter(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy())


def stored_outcomes(db_url: str) -> list[Any]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [json.loads(o) if isinstance(o, str) else o for o in conn.execute(
                text("SELECT outcome FROM service_order ORDER BY id")).scalars()]
    finally:
        engine.dispose()


def test_campaign_requests_through_counter_process(tmp_path: Path, db_url: str) -> None:
    assert len(CAMPAIGN_EXAMPLES) == 2
    source = tmp_path / "campaigns.json"
    source.write_text(json.dumps([e["request"] for e in CAMPAIGN_EXAMPLES], ensure_ascii=False),
                      encoding="utf-8")
    out = tmp_path / "papers"
    proc = counter("process", str(source), "--db", db_url, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    taken, refused = json.loads(proc.stdout)

    assert taken["decision"] == "accepted" and taken["order_no"]
    assert taken["fees"] == [{"item": "campaign_prepayment", "amount": 139.0}]
    assert [(f["task"], f["due"][:10]) for f in taken["follow_ups"]] == [
        ("campaign_term_end", "2027-09-21")]
    assert refused["decision"] == "rejected"
    assert "入网日期为 2015-03-01，须早于 2011-01-01" in refused["violations"][0]["message"]

    [recorded] = stored_outcomes(db_url)
    terms = recorded["campaign"]
    assert (terms["tier"], terms["gift"], terms["ends_on"]) == ("tier1_new", "rice_5kg",
                                                                 "2027-09-21")
    slip = next(Path(p) for p in taken["documents_printed"] if "slip" in Path(p).name)
    slip = slip if slip.is_absolute() else Path.cwd() / slip
    words = "".join("".join(page.extract_text() or "" for page in
                            PdfReader(io.BytesIO(slip.read_bytes())).pages).split())
    assert "政企集团成员网龄回馈" in words and "5kg大米一袋" in words
    assert "最低消费每月19元，合约期10个月" in words and "每月返还12元，预存款可退" in words
    assert "group_tenure_reward" not in words and "tier1_new" not in words

    again = counter("process", str(source), "--db", db_url)
    assert again.returncode == 0, again.stderr
    replayed = json.loads(again.stdout)[0]
    assert replayed.get("replay") is True and replayed["order_no"] == taken["order_no"]
    assert "campaign" not in replayed and replayed["follow_ups"] == taken["follow_ups"]
    assert len(stored_outcomes(db_url)) == 1
