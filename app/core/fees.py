"""Fee computations the catalog may name (`compute = "..."`); amounts in fen, refunds negative."""

from __future__ import annotations

from collections.abc import Callable

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
