"""Recording service requests: the one path from a request to a stored order.

`OrderService.submit()` evaluates with the pure engine and then, in a single transaction,
writes either the accepted order (customer, line change, documents, fees, payments,
signature, follow-ups, audit event) or an intake-log entry for a rejected or incomplete
request. Either all of it is stored or none of it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.catalog import Catalog, get_catalog
from app.core.config import HallConfig
from app.core.engine import Evaluation, RuleMessage, evaluate
from app.core.money import fen_to_json
from app.core.request import IdDocument, LineState, Request
from app.db import Database
from app.models import (
    Customer,
    FollowUpTask,
    IntakeEntry,
    Line,
    LineHistory,
    OrderDocument,
    OrderFee,
    OrderPayment,
    ServiceOrder,
    SignatureRecord,
)
from app.models.base import new_uid
from app.security import Permission, mask_address
from app.services.audit import events as audit
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.hall.registry import Actor, get_hall, hall_config
from app.services.orders.numbering import next_order_no
from app.services.staff.auth import require, staff_id_of

LINE_FIELDS = ("payment", "status", "arrears_fen", "balance_fen", "points", "contract_end",
               "nice_number_until", "subsidy_until", "campaign_until", "relocated_keep_number",
               "prepaid_phase", "lock_expired", "blacklisted", "vip", "collection_exempt",
               "roaming_open", "roaming_prepayment_fen", "realname")


class OrderError(RuntimeError):
    """A request that cannot be recorded, told in the clerk's language."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(f"{zh} / {en}" if en else zh)
        self.zh, self.en = zh, en or zh


@dataclass(frozen=True)
class PaymentIn:
    method: str
    amount_fen: int
    tendered_fen: int | None = None
    reference: str | None = None


@dataclass(frozen=True)
class DocumentIn:
    code: str
    original_seen: bool = True
    copy_retained: bool = True
    scan: bytes | None = None
    scan_name: str | None = None


@dataclass(frozen=True)
class SignatureIn:
    content_hash: str  # the hash shown when the customer signed
    png: bytes | None = None
    strokes_json: str | None = None
    on_paper: bool = False
    scan: bytes | None = None


@dataclass
class Submission:
    request: Request
    payments: list[PaymentIn] = field(default_factory=list)
    documents: list[DocumentIn] = field(default_factory=list)  # extra facts per paper
    signature: SignatureIn | None = None
    started_at: datetime | None = None


@dataclass
class SubmitResult:
    evaluation: Evaluation
    order_no: str | None = None
    order_id: int | None = None
    intake_id: int | None = None
    documents_printed: list[str] = field(default_factory=list)

    def outcome(self) -> dict[str, Any]:
        return outcome_json(self.evaluation, self.order_no, self.documents_printed)


def outcome_json(ev: Evaluation, order_no: str | None = None,
                 printed: list[str] | None = None) -> dict[str, Any]:
    """The outcome exactly as request-format.md describes it."""
    show_fees = ev.decision != "rejected"
    return {
        "decision": ev.decision,
        "order_no": order_no,
        "violations": [{"rule": v.rule, "message": v.message} for v in ev.violations],
        "missing": list(ev.missing),
        "fees": [{"item": f.item, "amount": fen_to_json(f.amount_fen)}
                 for f in ev.fees] if show_fees else [],
        "follow_ups": [{"task": f.task, "due": f.due.isoformat(timespec="minutes")}
                       for f in ev.follow_ups],
        "effective": ev.effective.code() if ev.effective else None,
        "documents_printed": list(printed or []),
    }


def refunds_money(ev: Evaluation) -> bool:
    """Whether recording this evaluation pays money out to the customer (a negative fee, e.g.
    `prepayment_refund`, a cancellation's `balance_refund`): that needs `refund.approve`."""
    return ev.decision == "accepted" and any(f.amount_fen < 0 for f in ev.fees)


def _masked_doc(doc: IdDocument | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    from app.security import mask_id

    return {"type": doc.type, "number": mask_id(doc.number)}


def content_hash(req: Request, ev: Evaluation) -> str:
    """SHA-256 of what the customer signs: bound to the order at signing (never a full ID)."""
    c, p = req.customer, req.presenter
    body = {
        "service": req.service, "carrier": ev.carrier,
        "business_date": ev.business_date.isoformat() if ev.business_date else None,
        "customer": {"kind": c.kind, "name": c.name, "id": _masked_doc(c.id_document),
                     "unit": c.unit.name if c.unit else None},
        "presenter": {"role": p.role, "name": p.name,
                      "id": _masked_doc(p.id_document)} if p else None,
        "line": req.line.number if req.line else None,
        "documents": sorted(req.documents),
        "details": _public_details(ev.details),
        "fees": [[f.item, f.amount_fen] for f in ev.fees],
    }
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                     default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _public_details(details: dict[str, Any]) -> dict[str, Any]:
    """Details as stored and printed: ID numbers and addresses masked."""
    out: dict[str, Any] = {}
    for key, value in details.items():
        if key.startswith("_"):
            continue
        if isinstance(value, IdDocument):
            out[key] = _masked_doc(value)
        elif isinstance(value, str) and "address" in key:
            out[key] = mask_address(value)
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def line_state_of(line: Line) -> LineState:
    return LineState(number=line.number, **{f: getattr(line, f) for f in LINE_FIELDS})


def _state_json(state: LineState) -> dict[str, Any]:
    return {"number": state.number, **{
        f: (v.isoformat() if isinstance(v, date) else v)
        for f in LINE_FIELDS for v in [getattr(state, f)]}}


class OrderService:
    def __init__(self, db: Database, *, catalog: Catalog | None = None,
                 personal_data: PersonalData | None = None) -> None:
        self.db = db
        self.catalog = catalog or get_catalog()
        self.pd = personal_data or default_personal_data()
        self._config: HallConfig | None = None

    # -- configuration ---------------------------------------------------------------------
    def hall_config(self) -> HallConfig:
        if self._config is None:
            with self.db.read() as s:
                hall = get_hall(s)
                if hall is None:
                    raise OrderError("数据库中没有营业厅，请先完成初始设置",
                                     "no hall in the database: run the first-start set-up")
                self._config = hall_config(hall)
        return self._config

    # -- evaluation (pure, for the wizard's live verdict) ----------------------------------
    def evaluate(self, req: Request, lang: str = "zh") -> Evaluation:
        return evaluate(req, self.catalog, self.hall_config(), lang=lang)

    # -- recording -------------------------------------------------------------------------
    def submit(self, sub: Submission, actor: Actor, lang: str = "zh") -> SubmitResult:
        if actor.channel != "batch" and actor.staff_id is None:
            raise OrderError("请先登录", "log in first")
        require(self.db, actor, Permission.ORDER_CREATE)  # checked in the core, refusal audited
        req = sub.request
        ev = self.evaluate(req, lang)
        if actor.channel == "counter" and refunds_money(ev):
            # Money back to the customer is a supervisor's exception: a clerk needs a
            # supervisor's authorization at the counter (`auth.authorize`). Checked before the
            # write transaction, so a refusal stores nothing but its own audit event. The batch
            # channel is exempt: its orders are reviewed separately.
            require(self.db, actor, Permission.REFUND_APPROVE)
        with self.db.session() as s:
            if actor.channel == "counter":  # the hall's day: no business before the shift opens
                from app.services.day.hooks import require_open_shift
                require_open_shift(s, actor)
            if ev.decision == "accepted":
                extra = self._database_checks(s, req, ev)
                if extra:
                    ev.violations.extend(extra)
                    ev.decision = "rejected"
                    ev.fees, ev.follow_ups, ev.effective, ev.line_changes = [], [], None, {}
            if ev.decision != "accepted":
                intake = self._record_intake(s, req, ev, actor)
                return SubmitResult(ev, intake_id=intake.id)
            order = self._record_order(s, sub, ev, actor)
            from app.services.day.hooks import on_order_recorded  # the hall's day: stock, cash
            on_order_recorded(s, actor, order)
            return SubmitResult(ev, order_no=order.order_no, order_id=order.id)

    def _database_checks(self, s: Session, req: Request, ev: Evaluation) -> list[RuleMessage]:
        new_number = ev.line_changes.get("number") or (
            ev.details.get("number") if req.service == "new_activation" else None)
        if new_number and s.execute(select(Line.id).where(Line.number == new_number)).first():
            text = self.catalog.rule_texts["not_eligible"]
            return [RuleMessage("not_eligible",
                                text.message.zh.format(reason=f"号码 {new_number} 已被使用"),
                                text.next_step.zh)]
        return []

    def _record_intake(self, s: Session, req: Request, ev: Evaluation,
                       actor: Actor) -> IntakeEntry:
        c = req.customer
        doc = c.id_document or (c.unit.registration if c.unit else None)
        entry = IntakeEntry(
            uid=new_uid(), hall_id=actor.hall_id, counter_id=actor.counter_id,
            staff_id=actor.staff_id, channel=actor.channel, service=req.service[:60],
            business_date=ev.business_date or date.today(), decision=ev.decision,
            customer_name=c.name[:100],
            customer_id_masked=self.pd.protect_id(doc.number).masked if doc else None,
            line_number=req.line.number if req.line else None,
            violations=[{"rule": v.rule, "message": v.message} for v in ev.violations],
            missing=list(ev.missing))
        s.add(entry)
        s.flush()
        audit.record(s, f"intake.{ev.decision}", actor=actor.staff_no,
                     actor_staff_id=actor.staff_id, counter=actor.counter_code,
                     target=req.service[:60], authorized_by=actor.authorized_by,
                     data={"intake": entry.uid,
                           "rules": [v.rule for v in ev.violations], "missing": ev.missing})
        return entry

    def _customer(self, s: Session, req: Request, actor: Actor) -> Customer:
        c = req.customer
        found: Customer | None = None
        if c.kind == "group" and c.unit and c.unit.registration:
            lookup = self.pd.lookup_unit(c.unit.registration.number)
            found = s.execute(select(Customer).where(Customer.reg_lookup == lookup)).scalars().first()
        elif c.id_document is not None:
            lookup = self.pd.lookup_id(c.id_document.number)
            found = s.execute(select(Customer).where(Customer.id_lookup == lookup)).scalars().first()
        if found is not None:
            return found
        cust = Customer(uid=new_uid(), kind=c.kind, name=c.name, origin=actor.counter_code)
        if c.id_document is not None:
            prot = self.pd.protect_id(c.id_document.number)
            cust.id_type, cust.id_enc, cust.id_lookup, cust.id_masked = (
                c.id_document.type, prot.enc, prot.lookup, prot.masked)
        if c.unit is not None:
            cust.unit_name = c.unit.name
            if c.unit.registration is not None:
                prot = self.pd.protect_unit(c.unit.registration.number)
                cust.reg_type, cust.reg_enc, cust.reg_lookup, cust.reg_masked = (
                    c.unit.registration.type, prot.enc, prot.lookup, prot.masked)
        address = req.details.get("address")
        if isinstance(address, str) and address:
            cust.address_enc = self.pd.encrypt(address, "customer.address")
        s.add(cust)
        s.flush()
        return cust

    def _new_owner(self, s: Session, ev: Evaluation, actor: Actor) -> Customer:
        doc: IdDocument = ev.details["new_owner_id"]
        lookup = self.pd.lookup_id(doc.number)
        found = s.execute(select(Customer).where(Customer.id_lookup == lookup)).scalars().first()
        if found:
            return found
        prot = self.pd.protect_id(doc.number)
        cust = Customer(uid=new_uid(), kind="personal", name=ev.details["new_owner_name"],
                        id_type=doc.type, id_enc=prot.enc, id_lookup=prot.lookup,
                        id_masked=prot.masked, origin=actor.counter_code)
        s.add(cust)
        s.flush()
        return cust

    def _line(self, s: Session, req: Request, ev: Evaluation, customer: Customer,
              actor: Actor, order_no: str) -> tuple[Line | None, dict | None, dict | None]:
        if req.service == "new_activation":
            number = ev.details.get("number") or self._free_number(s, order_no)
            line = Line(uid=new_uid(), number=number, customer_id=customer.id,
                        kind=ev.details.get("line_kind", "mobile"),
                        payment="prepaid" if ev.details.get("payment") == "prepaid" else "postpaid",
                        prepaid_phase="unactivated" if ev.details.get("payment") == "prepaid"
                        else None, package=ev.details.get("package"),
                        opened_on=ev.business_date, origin=actor.counter_code)
            s.add(line)
            s.flush()
            after = _state_json(line_state_of(line))
            self._history(s, line, order_no, actor)
            return line, None, after
        if req.line is None:
            return None, None, None
        stored = s.execute(select(Line).where(Line.number == req.line.number)
                           ).scalar_one_or_none()
        if stored is None:
            stored = Line(uid=new_uid(), number=req.line.number, customer_id=customer.id,
                          origin=actor.counter_code, version=0)
            s.add(stored)
        line = stored
        before_state = req.line
        before = _state_json(before_state)
        for f in LINE_FIELDS:
            setattr(line, f, getattr(before_state, f))
        changes = dict(ev.line_changes)
        if changes.get("status") == "loss_reported":
            line.status_before_loss = before_state.status
        if req.service == "cancel_loss" and line.status_before_loss:
            changes["status"] = line.status_before_loss
            line.status_before_loss = None
        for key, value in changes.items():
            setattr(line, key, value)
        if req.service == "ownership_transfer":
            line.customer_id = self._new_owner(s, ev, actor).id
        if req.service == "sim_replacement" and ev.details.get("new_sim_serial"):
            line.sim_serial = ev.details["new_sim_serial"]
        line.version = (line.version or 0) + 1
        line.updated_at = datetime.now(UTC)
        line.origin = actor.counter_code
        s.flush()
        after = _state_json(line_state_of(line))
        self._history(s, line, order_no, actor)
        return line, before, after

    def _history(self, s: Session, line: Line, order_no: str, actor: Actor) -> None:
        s.add(LineHistory(line_uid=line.uid, version=line.version,
                          state=_state_json(line_state_of(line)), order_no=order_no,
                          origin=actor.counter_code))

    def _free_number(self, s: Session, order_no: str) -> str:
        """A number from the hall's pool when the clerk did not pick one (demo pool: 186…)."""
        digest = int(hashlib.sha256(order_no.encode()).hexdigest(), 16)
        for i in range(100):
            number = f"186{(digest + i) % 10**8:08d}"
            if not s.execute(select(Line.id).where(Line.number == number)).first():
                return number
        raise OrderError("号码池中没有可用号码", "no free number in the pool")

    def _record_order(self, s: Session, sub: Submission, ev: Evaluation,
                      actor: Actor) -> ServiceOrder:
        req = sub.request
        hall_code = self.hall_config().code
        day = ev.business_date or date.today()
        order_no = next_order_no(s, hall_code, actor.counter_id, actor.counter_code, day)
        customer = self._customer(s, req, actor)
        line, before, after = self._line(s, req, ev, customer, actor, order_no)
        digest = content_hash(req, ev)
        if sub.signature and sub.signature.content_hash != digest:
            raise OrderError("订单内容在客户签字后发生了变化，请让客户重新签字",
                             "the order changed after the customer signed: sign again")
        p = req.presenter
        presenter_prot = self.pd.protect_id(p.id_document.number, "order.presenter_id") \
            if p and p.id_document else None
        order = ServiceOrder(
            uid=new_uid(), order_no=order_no, hall_id=actor.hall_id, counter_id=actor.counter_id,
            staff_id=actor.staff_id, channel=actor.channel, service=req.service,
            carrier=ev.carrier, business_date=day, customer_id=customer.id,
            line_id=line.id if line else None, line_number=line.number if line else None,
            presenter_role=p.role if p else "owner", presenter_name=(p.name if p else "")[:100],
            presenter_id_type=p.id_document.type if p and p.id_document else None,
            presenter_id_enc=presenter_prot.enc if presenter_prot else None,
            presenter_id_masked=presenter_prot.masked if presenter_prot else None,
            details=_public_details(ev.details), line_before=before, line_after=after,
            total_fen=ev.total_fen, effective=ev.effective.code() if ev.effective else None,
            content_hash=digest, started_at=sub.started_at,
            authorized_by=staff_id_of(s, actor.authorized_by))  # the supervisor, if any
        # The stored outcome also keeps the notices the slip must print.
        order.outcome = {**outcome_json(ev, order_no), "notices": [n.zh for n in ev.notices]}
        s.add(order)
        s.flush()
        extra = {d.code: d for d in sub.documents}
        for code in dict.fromkeys(req.documents):
            d = extra.get(code, DocumentIn(code))
            s.add(OrderDocument(
                order_id=order.id, code=code, original_seen=d.original_seen,
                copy_retained=d.copy_retained,
                scan_enc=self.pd.encrypt_bytes(d.scan, "order_document.scan") if d.scan else None,
                scan_sha256=hashlib.sha256(d.scan).hexdigest() if d.scan else None,
                scan_name=d.scan_name))
        for f in ev.fees:
            s.add(OrderFee(order_id=order.id, item=f.item, name=f.name.zh, amount_fen=f.amount_fen))
        for pay in self._payments(sub, ev):
            s.add(OrderPayment(order_id=order.id, method=pay.method, amount_fen=pay.amount_fen,
                               tendered_fen=pay.tendered_fen,
                               change_fen=max(0, (pay.tendered_fen or pay.amount_fen)
                                              - pay.amount_fen),
                               reference=pay.reference))
        if sub.signature is not None:
            sig = sub.signature
            s.add(SignatureRecord(order_id=order.id, on_paper=sig.on_paper, png=sig.png,
                                  strokes=sig.strokes_json, content_hash=digest,
                                  scan_enc=self.pd.encrypt_bytes(sig.scan, "signature.scan")
                                  if sig.scan else None))
        elif req.signature:
            s.add(SignatureRecord(order_id=order.id, on_paper=True, content_hash=digest))
        for fu in ev.follow_ups:
            s.add(FollowUpTask(uid=new_uid(), order_id=order.id, task=fu.task, name=fu.name.zh,
                               due_at=fu.due.astimezone(UTC), owner_staff_id=actor.staff_id))
        audit.record(s, "order.accept", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=order_no,
                     authorized_by=actor.authorized_by,
                     data={"service": req.service, "total_fen": ev.total_fen,
                           "line": line.number if line else None, "hash": digest})
        s.flush()
        return order

    def _payments(self, sub: Submission, ev: Evaluation) -> list[PaymentIn]:
        total = ev.total_fen
        if sub.payments:
            paid = sum(p.amount_fen for p in sub.payments)
            if paid != total:
                raise OrderError(f"收款合计 {paid / 100:.2f} 元与应收 {total / 100:.2f} 元不符",
                                 "payments do not add up to the amount due")
            return sub.payments
        if total == 0:
            return []
        # Batch intake: settled the way the request says, cash by default.
        return [PaymentIn(ev.details.get("payment_method") or "cash", total)]


def void_order(db: Database, actor: Actor, order_no: str, reason: str) -> ServiceOrder:
    """Void an accepted order: supervisor only (checked here), reason required, recorded.

    The line goes back to its state before the order when nothing changed it since.
    """
    from app.security import Permission
    from app.services.staff.auth import require

    reason = reason.strip()
    if not reason:
        raise OrderError("作废订单必须填写原因", "a reason is required to void an order")
    require(db, actor, Permission.ORDER_VOID)
    with db.session() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                          ).scalar_one_or_none()
        if order is None:
            raise OrderError(f"订单 {order_no} 不存在", f"no order {order_no}")
        if order.status == "voided":
            raise OrderError(f"订单 {order_no} 已作废", f"order {order_no} is already void")
        order.status = "voided"
        order.voided_at = datetime.now(UTC)
        order.voided_by = actor.staff_id
        order.void_reason = reason[:500]
        restored = False
        if order.line_id and order.line_before:
            line = s.get(Line, order.line_id)
            if line is not None and order.line_after and _state_json(line_state_of(line)) == \
                    order.line_after:
                for f in LINE_FIELDS:
                    value = order.line_before.get(f)
                    if f in ("contract_end", "nice_number_until", "subsidy_until",
                             "campaign_until") and value:
                        value = date.fromisoformat(value)
                    setattr(line, f, value)
                line.number = order.line_before.get("number", line.number)
                line.version += 1
                restored = True
        for task in s.execute(select(FollowUpTask).where(FollowUpTask.order_id == order.id,
                                                         FollowUpTask.status == "open")).scalars():
            task.status = "cancelled"
        from app.services.day.hooks import on_order_voided  # the void as its own entry
        on_order_voided(s, actor, order, reason)
        audit.record(s, "order.void", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=order_no,
                     authorized_by=actor.authorized_by,
                     data={"reason": reason[:500], "line_restored": restored})
        return order
