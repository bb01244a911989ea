"""Rule implementations, one per rule code of `request-format.md`.

The catalog says which rules apply to a service (and with which parameters); each function
here decides whether the request breaks that rule and returns the facts its message needs.
Universal checks of the documents (`invalid_document_number`, `document_not_accepted`) and
`unknown_service` are made by the engine for every request; they are registered here so the
catalog's rule table must give them messages too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core import campaigns, domain
from app.core.context import EvalContext, Violation
from app.core.fees import value_card_problem
from app.core.money import format_yuan

Check = Callable[[EvalContext, Mapping[str, Any]], Violation | None]


@dataclass(frozen=True)
class RuleImpl:
    params: frozenset[str]
    check: Check | None  # None: applied by the engine itself


RULES: dict[str, RuleImpl] = {}


def rule(code: str, *params: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        RULES[code] = RuleImpl(frozenset(params), fn)
        return fn

    return register


for _engine_rule in ("invalid_document_number", "document_not_accepted", "unknown_service"):
    RULES[_engine_rule] = RuleImpl(frozenset(), None)


def _v(code: str, **params: Any) -> Violation:
    return Violation(code, params)


def _payment_ok(ctx: EvalContext, params: Mapping[str, Any]) -> bool:
    wanted = params.get("payment")
    return ctx.line is not None and (wanted is None or ctx.line.payment in wanted)


@rule("arrears_outstanding")
def arrears_outstanding(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    ln = ctx.line
    if ln is None:
        return None
    if ln.arrears_fen > 0:
        return _v("arrears_outstanding", amount=format_yuan(ln.arrears_fen))
    if ln.status == "arrears_stop":
        return _v("arrears_outstanding", amount=format_yuan(0))
    return None


@rule("blacklisted")
def blacklisted(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    return _v("blacklisted") if ctx.line is not None and ctx.line.blacklisted else None


@rule("in_contract", "include_agreements")
def in_contract(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    ln = ctx.line
    if ln is None:
        return None
    ends = [("contract", ln.contract_end)]
    if params.get("include_agreements"):
        ends += [("nice_number", ln.nice_number_until), ("subsidy", ln.subsidy_until),
                 ("campaign", ln.campaign_until)]
    running = [(k, d) for k, d in ends if d is not None and d >= ctx.business_date]
    if not running:
        return None
    latest = max(d for _, d in running)
    return _v("in_contract", until=latest.isoformat())


_LOCK_FIELDS = ("nice_number_until", "subsidy_until", "campaign_until")


@rule("number_locked", "fields")
def number_locked(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    ln = ctx.line
    if ln is None:
        return None
    names = params.get("fields", _LOCK_FIELDS)
    ends = [getattr(ln, f) for f in names if getattr(ln, f) is not None]
    running = [d for d in ends if d >= ctx.business_date]
    return _v("number_locked", until=max(running).isoformat()) if running else None


@rule("relocated_keep_number")
def relocated(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    ln = ctx.line
    if ln is not None and ln.relocated_keep_number in ("new", "old"):
        return _v("relocated_keep_number",
                  which="新移机不改号号码" if ln.relocated_keep_number == "new" else "移机前旧号码")
    return None


def _status_rule(code: str, status: str) -> Check:
    def check(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
        if _payment_ok(ctx, params) and ctx.line is not None and ctx.line.status == status:
            return _v(code)
        return None

    return check


rule("line_suspended", "payment")(_status_rule("line_suspended", "suspended_keep_number"))
rule("line_loss_reported", "payment")(_status_rule("line_loss_reported", "loss_reported"))
rule("line_cancelled")(_status_rule("line_cancelled", "cancelled"))


def _phase_rule(code: str, phase: str) -> Check:
    def check(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
        ln = ctx.line
        if ln is not None and ln.payment == "prepaid" and ln.prepaid_phase == phase:
            return _v(code)
        return None

    return check


rule("prepaid_recharge_phase")(_phase_rule("prepaid_recharge_phase", "recharge"))
rule("prepaid_locked_phase")(_phase_rule("prepaid_locked_phase", "locked"))


@rule("lock_expired")
def lock_expired(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    return _v("lock_expired") if ctx.line is not None and ctx.line.lock_expired else None


@rule("not_prepaid")
def not_prepaid(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    return _v("not_prepaid") if ctx.line is not None and ctx.line.payment != "prepaid" else None


@rule("proxy_not_allowed", "carriers")
def proxy_not_allowed(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    """An agent for a personal customer is accepted only by the carriers listed."""
    p = ctx.request.presenter
    if p is None or p.role != "agent" or ctx.request.customer.kind != "personal":
        return None
    allowed = params.get("carriers", domain.CARRIERS)
    if ctx.carrier in allowed:
        return None
    return _v("proxy_not_allowed", carrier=domain.CARRIER_ZH.get(ctx.carrier, ctx.carrier))


@rule("advance_required")
def advance_required(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    if not ctx.request.customer.non_local_id:
        return None
    if ctx.details.get("payment") == "prepaid":
        return None
    advance = ctx.details.get("advance") or 0
    if advance >= ctx.hall.non_local_advance_fen:
        return None
    return _v("advance_required", amount=format_yuan(ctx.hall.non_local_advance_fen))


# --- not_eligible: one code, several checks named by the catalog ---------------------------

def _eligibility(ctx: EvalContext, params: Mapping[str, Any]) -> str | None:
    """The reason (Chinese) a request is not eligible, or None."""
    check = params.get("check")
    ln = ctx.line
    match check:
        case "status_is":
            wanted = params.get("statuses", [])
            if ln is not None and ln.status not in wanted:
                names = "、".join(domain.STATUS_ZH[s] for s in wanted)
                return f"该号码当前状态为“{domain.STATUS_ZH[ln.status]}”，仅“{names}”状态可办理"
        case "status_not_barred":
            if ln is not None and ln.status in ctx.hall.suspend_barred_statuses:
                return f"该号码当前状态为“{domain.STATUS_ZH[ln.status]}”，不能办理"
        case "roaming_open":
            if ln is not None and not ln.roaming_open:
                return "该号码未开通国际漫游"
        case "roaming_closed":
            if ln is not None and ln.roaming_open:
                return "该号码已开通国际漫游"
        case "phase_is":
            wanted = params.get("phases", [])
            if ln is not None and ln.prepaid_phase not in wanted:
                have = domain.PHASE_ZH.get(ln.prepaid_phase or "", "无")
                return f"该号码处于“{have}”，不能办理"
        case "points_enough":
            asked = ctx.details.get("points") or 0
            if ln is not None and asked > ln.points:
                return f"积分不足：可用 {ln.points}，申请 {asked}"
        case "within_balance":
            asked = ctx.details.get("amount") or 0
            if ln is not None and asked > ln.balance_fen:
                return f"退款金额超过可退余额 {format_yuan(ln.balance_fen)} 元"
        case "own_hall":
            if not ctx.hall.own_hall:
                return "仅自有营业厅可办理"
        case "realname_incomplete":
            if ln is not None and ln.realname == "complete" and ln.status not in (
                    "single_stop", "double_stop"):
                return "该号码已完成实名登记"
        case "new_number_differs":
            if ln is not None and ctx.details.get("new_number") == ln.number:
                return "新号码与原号码相同"
        case "min_users":
            minimum = int(params.get("minimum", 0))
            users = ctx.details.get("users")
            if users is not None and users < minimum:
                return f"合同约定用户数不少于 {minimum} 户"
        case "nice_number_deposit":
            return "预付费靓号保证金尚未退还，不能过户"
        case "value_card_serials":
            return value_card_problem(ctx.details)
    return None


@rule("not_eligible", "check", "statuses", "phases", "minimum")
def not_eligible(ctx: EvalContext, params: Mapping[str, Any]) -> Violation | None:
    if params.get("check") == "campaign":  # told in both languages (`app.core.campaigns`)
        why = campaigns.problem(ctx.catalog, ctx.service.code, ctx.business_date, ctx.details,
                                ctx.facts)
        return _v("not_eligible", reason=why.zh, reason_en=why.en) if why else None
    reason = _eligibility(ctx, params)
    return _v("not_eligible", reason=reason) if reason else None
