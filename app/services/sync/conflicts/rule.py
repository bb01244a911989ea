"""The rule for two changes of one line made from the same version at two counters.

A line is changed only by orders. When a workstation pushes a line whose version was made on
a version the server has since replaced (two counters changed it from the same base), the
server compares each side to that common version and decides by the *kind* of change, i.e.
by the service of the order that made it:

============  ==========  =========  ==========  ==========  =============
this \\ other  lifecycle   plan       payment     attribute   record only
============  ==========  =========  ==========  ==========  =============
lifecycle     conflict¹   conflict¹  fields²     fields²     merge
plan          conflict¹   conflict¹  fields²     fields²     merge
payment       fields²     fields²    add³        fields²     merge
attribute     fields²     fields²    fields²     fields²     merge
record only   merge       merge      merge       merge       same
============  ==========  =========  ==========  ==========  =============

* lifecycle: 挂失 report_loss, 解挂 cancel_loss, 补卡 sim_replacement, 停机保号
  suspend_keep_number, 复机 resume, 销户 cancellation, 过户 ownership_transfer, 改号
  number_change, 移机 relocation, 账户解锁 account_unlock; plan: 产品预约 product_reservation.
  Two of them made from the same version cannot both hold (a SIM replaced on a line reported
  lost at another counter; a line cancelled and transferred): ¹ a **conflict**, unless both
  reach exactly the same line (the same loss reported twice: *same*, nothing to do).
* payment: 缴费 bill_payment, 退预付款 prepayment_refund, 积分回馈 points_redeem. Their
  fields are counters: ³ two payments add up (the result is the common version plus both
  differences), other fields as ².
* attribute: 国际漫游 intl_roaming_open/close, 实名补登 realname_registration (fields of their
  own).
* record only (queries, bill detail, password reset, complaint, fault report, info change,
  card sale): they leave the line's state as it was; the other change stands.
* ² fields: the changes touch disjoint fields → **merge** both into a new version; a field
  both changed to the same value is fine; a field both changed to different values →
  **conflict**.

Both sides reaching the same state is never a conflict (*same*). A conflict keeps the server's
version (first arrival wins provisionally) and waits for a supervisor (`conflicts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from app.services.orders.line_state import LINE_FIELDS

# The fields compared with the common version (those its history record holds) ...
FIELDS: Final = ("number", *LINE_FIELDS)
# ... and those it does not hold: they follow the side whose change is a lifecycle or plan
# change (a replaced SIM, a new owner), else the server's.
EXTRA: Final = ("status_before_loss", "package", "sim_serial", "customer")
COUNTERS: Final = frozenset({"arrears_fen", "balance_fen", "points"})

LIFECYCLE: Final = frozenset({
    "report_loss", "cancel_loss", "sim_replacement", "suspend_keep_number", "resume",
    "cancellation", "ownership_transfer", "number_change", "relocation", "account_unlock",
    "new_activation"})
PLAN: Final = frozenset({"product_reservation"})
PAYMENT: Final = frozenset({"bill_payment", "prepayment_refund", "points_redeem"})
ATTRIBUTE: Final = frozenset({"intl_roaming_open", "intl_roaming_close",
                              "realname_registration"})

Kind = Literal["lifecycle", "plan", "payment", "attribute", "record"]
Outcome = Literal["same", "merge", "conflict"]


def kind_of(services: tuple[str, ...] | list[str]) -> Kind:
    """The kind of a side's change: its most binding order's (several orders on one side
    are one change from the common version)."""
    found = set(services)
    if found & LIFECYCLE:
        return "lifecycle"
    if found & PLAN:
        return "plan"
    if found & ATTRIBUTE:
        return "attribute"
    if found & PAYMENT:
        return "payment"
    if not found:
        return "attribute"  # a change without an order: judged field by field
    return "record"


@dataclass
class Decision:
    outcome: Outcome
    state: dict[str, Any] = field(default_factory=dict)  # the merged line (merge only)
    server_changed: tuple[str, ...] = ()
    other_changed: tuple[str, ...] = ()
    reason_zh: str = ""
    reason_en: str = ""

    @property
    def reason(self) -> str:
        return f"{self.reason_zh} / {self.reason_en}" if self.reason_zh else ""


def changed(base: Mapping[str, Any], state: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(f for f in FIELDS if f in base and state.get(f) != base.get(f))


def _extras(server: Mapping[str, Any], other: Mapping[str, Any],
            other_kind: Kind) -> dict[str, Any]:
    source = other if other_kind in ("lifecycle", "plan") else server
    return {f: source[f] for f in EXTRA if f in source}


def decide(base: Mapping[str, Any], server: Mapping[str, Any], other: Mapping[str, Any],
           server_kind: Kind, other_kind: Kind,
           other_base: Mapping[str, Any] | None = None) -> Decision:
    """Same, merge or conflict for two line states made from `base` (see the table above).

    Each side's change is what its orders did: its state against the line its first order
    started from (`base` for the server's side, `other_base` for the other, when the two
    orders saw the line differently; e.g. a batch request carries the line's state)."""
    o_base = base if other_base is None else other_base
    s_changed, o_changed = changed(base, server), changed(o_base, other)
    d = Decision("same", server_changed=s_changed, other_changed=o_changed)
    if all(server.get(f) == other.get(f) for f in (*FIELDS, *EXTRA)):
        return d
    exclusive = ("lifecycle", "plan")
    if server_kind in exclusive and other_kind in exclusive:
        d.outcome = "conflict"
        d.reason_zh = "两个柜台基于同一版本对该线路办理了不能同时成立的业务"
        d.reason_en = ("two counters made changes to this line from the same version that "
                       "cannot both hold")
        return d
    if "record" in (server_kind, other_kind):
        # A record-only order left the line's state as it was: the other side's stands.
        d.outcome = "merge"
        d.state = {**server, **{f: other[f] for f in o_changed},
                   **_extras(server, other, other_kind)}
        return d
    merged = dict(server)
    clashes: list[str] = []
    for f in o_changed:
        if f not in s_changed or server.get(f) == other.get(f):
            merged[f] = other.get(f)
        elif f in COUNTERS and server_kind == other_kind == "payment":
            merged[f] = int(server.get(f) or 0) + int(other.get(f) or 0) - int(o_base.get(f) or 0)
        else:
            clashes.append(f)
    if clashes:
        d.outcome = "conflict"
        d.reason_zh = f"两个柜台基于同一版本把 {', '.join(clashes)} 改成了不同的值"
        d.reason_en = f"two counters changed {', '.join(clashes)} to different values"
        return d
    d.outcome = "merge"
    d.state = {**merged, **_extras(server, other, other_kind)}
    return d
