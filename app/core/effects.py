"""How an accepted order changes its line (domain.md section 3), as pure functions.

Each returns the fields of `LineState` that change; the order service applies them to the
stored line in the same transaction as the order. `activate` and `transfer_owner` also have a
database side (a new line, a new owner) that the order service carries out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.context import EvalContext

Effect = Callable[[EvalContext], dict[str, Any]]
EFFECTS: dict[str, Effect] = {}


def effect(name: str) -> Callable[[Effect], Effect]:
    def register(fn: Effect) -> Effect:
        EFFECTS[name] = fn
        return fn

    return register


def _set(**fields: Any) -> Effect:
    return lambda ctx: dict(fields)


EFFECTS["report_loss"] = _set(status="loss_reported")
EFFECTS["cancel_loss"] = _set(status="active")
EFFECTS["suspend"] = _set(status="suspended_keep_number")
EFFECTS["resume"] = _set(status="active")
EFFECTS["activate"] = _set()
EFFECTS["transfer_owner"] = _set()
EFFECTS["none"] = _set()


@effect("pay")
def pay(ctx: EvalContext) -> dict[str, Any]:
    ln = ctx.line
    assert ln is not None
    amount = int(ctx.details.get("amount") or 0)
    late = int(ctx.details.get("_late_fee") or 0)
    to_arrears = min(amount, ln.arrears_fen + late)
    rest = amount - to_arrears
    arrears = max(0, ln.arrears_fen - max(0, to_arrears - late))
    out: dict[str, Any] = {"arrears_fen": arrears, "balance_fen": ln.balance_fen + rest}
    if arrears == 0 and ln.status == "arrears_stop":
        out["status"] = "active"
    if ln.payment == "prepaid" and out["balance_fen"] > 0 and ln.prepaid_phase == "recharge":
        out["prepaid_phase"] = "valid"
    return out


@effect("cancel")
def cancel(ctx: EvalContext) -> dict[str, Any]:
    if ctx.details.get("retention") == "retained":
        return {}  # the customer stayed: recorded, nothing closed
    return {"status": "cancelled", "balance_fen": 0, "roaming_open": False}


@effect("roaming_open")
def roaming_open(ctx: EvalContext) -> dict[str, Any]:
    ln = ctx.line
    assert ln is not None
    paid = ctx.hall.tariff_fen.get("roaming_prepayment", 0)
    return {"roaming_open": True, "roaming_prepayment_fen": ln.roaming_prepayment_fen + paid}


@effect("roaming_close")
def roaming_close(ctx: EvalContext) -> dict[str, Any]:
    # The prepayment becomes a deposit refunded within two months (a follow-up).
    return {"roaming_open": False, "roaming_prepayment_fen": 0}


@effect("change_number")
def change_number(ctx: EvalContext) -> dict[str, Any]:
    return {"number": ctx.details["new_number"]}


@effect("relocate")
def relocate(ctx: EvalContext) -> dict[str, Any]:
    return {"relocated_keep_number": "new"} if ctx.details.get("keep_number", True) else {}


@effect("register_realname")
def register_realname(ctx: EvalContext) -> dict[str, Any]:
    ln = ctx.line
    assert ln is not None
    out: dict[str, Any] = {"realname": "complete"}
    if ln.status in ("single_stop", "double_stop"):
        out["status"] = "active"  # registering lifts the real-name suspension
    return out


@effect("redeem_points")
def redeem_points(ctx: EvalContext) -> dict[str, Any]:
    ln = ctx.line
    assert ln is not None
    return {"points": ln.points - int(ctx.details.get("points") or 0)}


@effect("refund_prepayment")
def refund_prepayment(ctx: EvalContext) -> dict[str, Any]:
    ln = ctx.line
    assert ln is not None
    return {"balance_fen": max(0, ln.balance_fen - int(ctx.details.get("amount") or 0))}


@effect("unlock_account")
def unlock_account(ctx: EvalContext) -> dict[str, Any]:
    ln = ctx.line
    assert ln is not None
    return {"prepaid_phase": "valid" if ln.balance_fen > 0 else "recharge"}
