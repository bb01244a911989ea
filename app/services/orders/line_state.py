"""A line's service state as the engine reads it and as orders and the history keep it.

`LINE_FIELDS` are the columns of `Line` that make up `app.core.request.LineState`; an order
stores the state before and after its change (`line_before` / `line_after`) in the JSON form
of `line_state_json`, and so do `line_history` and sync's copies of it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.request import LineState
from app.models import Line

LINE_FIELDS = ("payment", "status", "arrears_fen", "balance_fen", "points", "contract_end",
               "nice_number_until", "subsidy_until", "campaign_until", "relocated_keep_number",
               "prepaid_phase", "lock_expired", "blacklisted", "vip", "collection_exempt",
               "roaming_open", "roaming_prepayment_fen", "realname")


def line_state_of(line: Line) -> LineState:
    return LineState(number=line.number, **{f: getattr(line, f) for f in LINE_FIELDS})


def line_state_json(state: LineState) -> dict[str, Any]:
    return {"number": state.number, **{
        f: (v.isoformat() if isinstance(v, date) else v)
        for f in LINE_FIELDS for v in [getattr(state, f)]}}
