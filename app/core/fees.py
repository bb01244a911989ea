"""Fee computations the catalog may name (`compute = "..."`); amounts in fen, refunds negative."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from app.core.context import EvalContext
from app.core.money import percent_of

Computation = Callable[[EvalContext], int]
COMPUTED: dict[str, Computation] = {}


def computed(name: str) -> Callable[[Computation], Computation]:
    def register(fn: Computation) -> Computation:
        COMPUTED[name] = fn
        return fn

    return register


@computed("late_fee")
def late_fee(ctx: EvalContext) -> int:
    """Overdue bills: the hall's daily rate on the arrears for each overdue day; not waivable."""
    days = ctx.details.get("overdue_days") or 0
    if ctx.line is None or days <= 0:
        return 0
    return percent_of(ctx.line.arrears_fen * days, ctx.hall.late_fee_rate_per_day)


@computed("balance_refund")
def balance_refund(ctx: EvalContext) -> int:
    if ctx.line is None or ctx.details.get("retention") == "retained":
        return 0
    return -ctx.line.balance_fen


@computed("refund_amount")
def refund_amount(ctx: EvalContext) -> int:
    return -int(ctx.details.get("amount") or 0)


@computed("campaign_prepayment")
def campaign_prepayment(ctx: EvalContext) -> int:
    campaign = ctx.catalog.campaigns.get(ctx.details.get("campaign") or "")
    tier = campaign.tier(ctx.details.get("tier") or "") if campaign else None
    return tier.prepayment_fen if tier else 0


# --- value cards (有价卡): sold at face value, one serial per card -------------------------

VALUE_CARD_SERIAL = re.compile(r"[A-Z0-9]{6,24}")
MAX_VALUE_CARDS = 50  # per order: a bigger sale is a wholesale, not a counter's


def value_card_serials(text: object) -> list[str]:
    """The serials typed for a value-card sale: separated by spaces, commas or semicolons
    (full-width ones too), upper case. Order kept; checking them is `value_card_problem`."""
    if not isinstance(text, str):
        return []
    text = unicodedata.normalize("NFKC", text).upper()
    return [s for s in re.split(r"[\s,;、]+", text) if s]


def value_card_problem(details: Mapping[str, Any]) -> str | None:
    """Why the serials of a sale cannot be sold (Chinese), or None."""
    serials = value_card_serials(details.get("serials"))
    if not serials:
        return None  # missing: the engine asks for the detail
    bad = [s for s in serials if not VALUE_CARD_SERIAL.fullmatch(s)]
    if bad:
        return f"卡号格式错误：{bad[0]}（应为6至24位字母或数字）"
    if len(serials) > MAX_VALUE_CARDS:
        return f"一次最多出售 {MAX_VALUE_CARDS} 张有价卡"
    twice = sorted({s for s in serials if serials.count(s) > 1})
    if twice:
        return f"卡号重复：{'、'.join(twice)}"
    return None


def value_card_face_fen(details: Mapping[str, Any]) -> int:
    """The face value of the cards sold, in fen (the catalog's choice is in yuan)."""
    face = str(details.get("face") or "0")
    return int(face) * 100 if face.isdigit() else 0


@computed("value_cards")
def value_cards(ctx: EvalContext) -> int:
    return value_card_face_fen(ctx.details) * len(value_card_serials(ctx.details.get("serials")))
