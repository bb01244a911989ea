"""Recording service requests: the one path from a request to a stored order.

`OrderService.submit()` evaluates with the pure engine and then, in a single transaction,
writes either the accepted order (customer, line change, documents, fees, payments,
signature, follow-ups, audit event) or an intake-log entry for a rejected or incomplete
request. Either all of it is stored or none of it is. A request already recorded under the
same key (`app.services.orders.idempotency`) records nothing: the order it made is returned.
The customer and line parts are in `app.services.orders.customer_line`, the order's child
rows in `app.services.orders.order_rows`, what the order says in `order_content`.

The write transaction starts with one read (the settings revision the evaluation was made
under, an order under the request's key, a conflict holding the line), writes with plain SQL
statements run on the driver's cursor (`app.services.audit.driver_sql`), and seals the order
and its line from the values written (`app.services.audit.written_forms`): no row is read
back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.clock import business_date, local_now
from app.core.catalog import Catalog, get_catalog
from app.core.config import HallConfig
from app.core.engine import Evaluation, RuleMessage, evaluate
from app.core.request import Request
from app.db import Database
from app.models import (
    IntakeEntry,
    Line,
    ServiceOrder,
)
from app.models.base import new_uid
from app.security import Permission
from app.services.audit import events as audit
from app.services.audit.driver_sql import run
from app.services.audit.written_forms import natural_key_query, written_form
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.hall.registry import Actor, get_hall
from app.services.hall.settings import REVISION, current_config, settings_revision
from app.services.orders.customer_line import change_line, customer_of
from app.services.orders.idempotency import (
    ID_UNDER,
    recorded_id,
    recorded_outcome,
    recorded_under,
    request_key,
    workstation_name,
)
from app.services.orders.numbering import next_order_no
from app.services.orders.order_content import content_hash, outcome_json, public_details
from app.services.orders.order_rows import insert_into, write_order_rows
from app.services.staff.auth import require, staff_id_of
from app.services.sync.conflicts.hold import (
    OPEN_CONFLICT,
    conflict_hold,
    held_by_conflict,
    held_number,
    hold_of,
)


class _EvaluateAgain(Exception):
    """What the request was evaluated under moved before its write transaction (the hall's
    settings; a conflict's hold that spared a refund its approval): evaluate it again."""


# The first statement of a recording's write transaction (built once): the hall's settings
# revision, the order recorded under the request's key (`key`), the open conflict on the line
# (`number`), and the natural keys the order's seal names its hall, counter and clerk by; a
# NULL parameter matches nothing.
_BEFORE_WRITE = select(REVISION.scalar_subquery(), ID_UNDER.scalar_subquery(),
                       OPEN_CONFLICT.scalar_subquery(), natural_key_query("hall", "hall_id"),
                       natural_key_query("counter", "counter_id"),
                       natural_key_query("staff", "staff_id"))


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
    # An ID document's last day of validity, when the GUI has it for this paper (the card
    # reader); else the request's own `IdDocument.valid_until` of this type is recorded.
    valid_until: date | None = None


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
    # One request, one order (`idempotency`): a caller's own request id, and which of the
    # identical requests of a batch this is.
    request_id: str | None = None
    occurrence: int = 0


class RecordedOrder:
    """An order as just written (its id and columns): what the hall's day hooks read of it,
    without the ORM object (its instrumented attributes cost more than the INSERT)."""

    __slots__ = ("business_date", "counter_id", "created_at", "details", "hall_id", "id",
                 "line_number", "order_no", "presenter_name", "service", "staff_id")

    def __init__(self, order_id: int, values: dict[str, Any]) -> None:
        self.id = order_id
        self.order_no: str = values["order_no"]
        self.hall_id: int = values["hall_id"]
        self.counter_id: int = values["counter_id"]
        self.staff_id: int | None = values["staff_id"]
        self.service: str = values["service"]
        self.business_date: date = values["business_date"]
        self.details: dict[str, Any] | None = values["details"]
        self.created_at: datetime | None = values["created_at"]
        self.presenter_name: str | None = values["presenter_name"]
        self.line_number: str | None = values["line_number"]


@dataclass
class SubmitResult:
    evaluation: Evaluation
    order_no: str | None = None
    order_id: int | None = None
    intake_id: int | None = None
    documents_printed: list[str] = field(default_factory=list)
    replay: bool = False  # the order was recorded before, under the same request key
    recorded: dict[str, Any] | None = None  # a replay's outcome as it was recorded

    def outcome(self) -> dict[str, Any]:
        if self.recorded is not None:
            return {**self.recorded, "documents_printed": list(self.documents_printed)}
        return outcome_json(self.evaluation, self.order_no, self.documents_printed)


def refunds_money(ev: Evaluation) -> bool:
    """Whether recording this evaluation pays money out to the customer (a negative fee, e.g.
    `prepayment_refund`, a cancellation's `balance_refund`): that needs `refund.approve`."""
    return ev.decision == "accepted" and any(f.amount_fen < 0 for f in ev.fees)


class OrderService:
    def __init__(self, db: Database, *, catalog: Catalog | None = None,
                 personal_data: PersonalData | None = None) -> None:
        self.db = db
        self.catalog = catalog or get_catalog()
        self.pd = personal_data or default_personal_data()
        self._config: HallConfig | None = None
        self._config_rev: int | None = None
        self._workstation: str | None = None

    # -- configuration ---------------------------------------------------------------------
    def hall_config(self) -> HallConfig:
        """The configuration as last read: no database read once loaded (the GUI thread asks
        for it); `refresh_config` reads it again when the hall's settings changed."""
        return self._config if self._config is not None else self.refresh_config()

    def refresh_config(self) -> HallConfig:
        """The hall's configuration, reloaded when its settings revision moved (a change made
        by `app.services.hall.settings`, here or in another program on this database)."""
        with self.db.read() as s:
            return self._refresh_in(s)

    def _refresh_in(self, s: Session) -> HallConfig:
        rev = settings_revision(s)
        if rev is None:
            raise OrderError("数据库中没有营业厅，请先完成初始设置",
                             "no hall in the database: run the first-start set-up")
        if self._config is None or rev != self._config_rev:
            hall = get_hall(s)
            assert hall is not None
            self._config, self._config_rev = current_config(s, hall), rev
        return self._config

    # -- evaluation (pure, for the wizard's live verdict) ----------------------------------
    def evaluate(self, req: Request, lang: str = "zh") -> Evaluation:
        ev = self._evaluate(self.refresh_config(), req, lang)
        with self.db.read() as s:
            return held_by_conflict(ev, conflict_hold(s, req), lang)

    def _evaluate(self, cfg: HallConfig, req: Request, lang: str) -> Evaluation:
        now = local_now(self.db.clock, cfg.timezone)
        # Priced by the tariff of the request's business date: a change waits for its date.
        return evaluate(req, self.catalog, cfg.as_of(req.business_date or now.date()),
                        now=now, lang=lang)

    def current_business_date(self) -> date:
        """The hall's business date now (for a request that names none)."""
        return business_date(self.db.clock, self.hall_config().timezone)

    # -- recording -------------------------------------------------------------------------
    def submit(self, sub: Submission, actor: Actor, lang: str = "zh") -> SubmitResult:
        """Record the request: an order, or an intake entry for a rejected or incomplete one.

        A request recorded before under the same key (`idempotency`) records nothing: the
        order already made is returned, flagged `replay`."""
        if actor.channel != "batch" and actor.staff_id is None:
            raise OrderError("请先登录", "log in first")
        require(self.db, actor, Permission.ORDER_CREATE)  # checked in the core, refusal audited
        for _ in range(3):  # again only when the evaluation's grounds moved (`_EvaluateAgain`)
            try:
                return self._submit(sub, actor, lang)
            except _EvaluateAgain:
                continue
        raise OrderError("营业厅设置正在变更，请稍后重新提交",
                         "the hall's settings keep changing: submit again in a moment")

    def _submit(self, sub: Submission, actor: Actor, lang: str) -> SubmitResult:
        req = sub.request
        key = self._request_key(sub, actor, name=False)
        # Evaluated (pure) with the configuration as last read; the write transaction reads
        # the settings revision first and starts again when it moved (`_EvaluateAgain`).
        cfg = self.hall_config()
        rev = self._config_rev
        ev = self._evaluate(cfg, req, lang)
        refund_checked = False
        if refunds_money(ev):
            # Money back to the customer is a supervisor's exception on every channel: at a
            # counter a supervisor authorizes it there (`auth.authorize`), for a batch run at its
            # start (`batch_approval`). Checked before anything is written, so a refusal
            # stores nothing but its own audit event; a replay or a held line answers first.
            with self.db.read() as s:
                replay = self._replay_in(s, key, req, lang)
                hold = conflict_hold(s, req)
            if replay is not None:
                return replay
            if hold is None:
                require(self.db, actor, Permission.REFUND_APPROVE)
                refund_checked = True
        if key is None:
            key = self._request_key(sub, actor, name=True)
        try:
            # A request recorded meanwhile under the same key (by another program) breaks the
            # key's unique index: the whole transaction rolls back and the order is returned.
            return self._record(sub, ev, rev, actor, key, lang, refund_checked=refund_checked)
        except IntegrityError:
            replay = self._replay(key, req, lang)  # the same request, recorded meanwhile
            if replay is None:
                raise
            return replay

    def _request_key(self, sub: Submission, actor: Actor, *, name: bool) -> str | None:
        """The request's key; with `name` False, None while this workstation has no name yet
        (nothing was recorded under a key of it then, and naming it writes)."""
        if self._workstation is None:
            self._workstation = workstation_name(self.db, create=name)
            if self._workstation is None:
                return None
        day = sub.request.business_date or self.current_business_date()
        return request_key(sub.request, channel=actor.channel, workstation=self._workstation,
                           counter=actor.counter_code, day=day, occurrence=sub.occurrence,
                           started_at=sub.started_at, request_id=sub.request_id)

    def _replay(self, key: str | None, req: Request, lang: str) -> SubmitResult | None:
        with self.db.read() as s:
            return self._replay_in(s, key, req, lang)

    def _replay_in(self, s: Session, key: str | None, req: Request,
                   lang: str) -> SubmitResult | None:
        if key is None or not recorded_id(s, key):
            return None
        order = recorded_under(s, key)
        if order is None:
            return None
        return SubmitResult(self._evaluate(self._refresh_in(s), req, lang),
                            order_no=order.order_no, order_id=order.id, replay=True,
                            recorded=recorded_outcome(order))

    def _record(self, sub: Submission, ev: Evaluation, rev: int | None, actor: Actor,
                key: str | None, lang: str, *, refund_checked: bool) -> SubmitResult:
        req = sub.request
        with self.db.session() as s:
            # One read, under the write lock: is the configuration `ev` was made with current,
            # was the request recorded before, does an open conflict hold its line.
            number = held_number(req)
            now_rev, recorded, conflict, *natural = run(s, _BEFORE_WRITE, {
                "key": key, "number": number, "hall_id": actor.hall_id,
                "counter_id": actor.counter_id, "staff_id": actor.staff_id}).one()
            if now_rev is None or now_rev != rev:
                self._refresh_in(s)  # no hall: `OrderError`; else the new configuration
                raise _EvaluateAgain
            if recorded is not None:
                replay = self._replay_in(s, key, req, lang)
                if replay is not None:
                    return replay
            ev = held_by_conflict(ev, hold_of(conflict, number), lang)
            if refunds_money(ev) and not refund_checked:  # its hold was lifted meanwhile
                raise _EvaluateAgain
            shift = None
            if actor.channel == "counter":  # the hall's day: no business before the shift opens
                from app.services.day.hooks import require_open_shift
                shift = require_open_shift(s, actor)
            if ev.decision == "accepted":
                extra = self._database_checks(s, req, ev)
                if extra:
                    ev.violations.extend(extra)
                    ev.decision = "rejected"
                    ev.fees, ev.follow_ups, ev.effective, ev.line_changes = [], [], None, {}
            if ev.decision != "accepted":
                intake = self._record_intake(s, req, ev, actor)
                return SubmitResult(ev, intake_id=intake.id)
            refs = dict(zip(("hall_id", "counter_id", "staff_id"), natural, strict=True))
            order, paid = self._record_order(s, sub, ev, actor, key, refs)
            from app.services.day.hooks import on_order_recorded  # the hall's day: stock, cash
            on_order_recorded(s, actor, order, shift=shift, payments=paid)
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
            business_date=ev.business_date or self.current_business_date(), decision=ev.decision,
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

    def _record_order(self, s: Session, sub: Submission, ev: Evaluation,
                      actor: Actor, key: str | None, refs: dict[str, str | None]
                      ) -> tuple[RecordedOrder, list[tuple[str, int]]]:
        """The accepted order and its rows, with the (method, amount) of its payments; `refs`:
        the natural keys of its hall, counter and clerk (as `_BEFORE_WRITE` read them), for its
        seal."""
        req = sub.request
        hall_code = self.hall_config().code
        day = ev.business_date or self.current_business_date()
        order_no = next_order_no(s, hall_code, actor.counter_id, actor.counter_code, day)
        customer_id, customer_uid = customer_of(s, self.pd, req, actor)
        line, before, after = change_line(s, self.pd, req, ev, customer_id, actor, order_no)
        digest = content_hash(req, ev)
        if sub.signature and sub.signature.content_hash != digest:
            raise OrderError("订单内容在客户签字后发生了变化，请让客户重新签字",
                             "the order changed after the customer signed: sign again")
        p = req.presenter
        presenter_prot = self.pd.conceal_id(p.id_document.number, "order.presenter_id") \
            if p and p.id_document else None
        values: dict[str, Any] = dict(
            uid=new_uid(), order_no=order_no, hall_id=actor.hall_id, counter_id=actor.counter_id,
            staff_id=actor.staff_id, channel=actor.channel, service=req.service,
            carrier=ev.carrier, business_date=day, customer_id=customer_id,
            line_id=line.id if line else None, line_number=line.number if line else None,
            presenter_role=p.role if p else "owner", presenter_name=(p.name if p else "")[:100],
            presenter_id_type=p.id_document.type if p and p.id_document else None,
            presenter_id_enc=presenter_prot.enc if presenter_prot else None,
            presenter_id_masked=presenter_prot.masked if presenter_prot else None,
            details=public_details(ev.details), line_before=before, line_after=after,
            total_fen=ev.total_fen, effective=ev.effective.code() if ev.effective else None,
            content_hash=digest, started_at=sub.started_at,
            authorized_by=staff_id_of(s, actor.authorized_by),  # the supervisor, if any
            idempotency_key=key, status="accepted", created_at=self.db.clock.now())
        # The stored outcome also keeps the notices the slip must print, and the campaign's
        # terms as taken (the catalog may change later; the order keeps what was agreed).
        outcome = {**outcome_json(ev, order_no), "notices": [n.zh for n in ev.notices]}
        if ev.campaign is not None:
            outcome["campaign"] = ev.campaign.to_json()
        values["outcome"] = outcome
        values["queue_ticket_id"] = None
        if actor.channel == "counter":  # a batch has no queue (nor loads the caller's HTTP)
            from app.services.day.queue_visits import serving_ticket_id  # the visit's ticket
            values["queue_ticket_id"] = serving_ticket_id(s, actor)
        # One INSERT on the driver's cursor (`driver_sql`: no unit of work, no execution
        # machinery): its id for the rows below. The audit event seals the order and the
        # line by name (both written with plain SQL).
        inserted = run(s, insert_into(ServiceOrder.__table__), values).lastrowid
        assert inserted is not None
        order = RecordedOrder(inserted, values)
        children = write_order_rows(s, sub, ev, actor, order.id, digest,
                                    self._payments(sub, ev), pd=self.pd, catalog=self.catalog)
        # Sealed from the values just written where they read back unchanged (no reads).
        natural = {k: v for k, v in refs.items() if v is not None}
        natural.update(customer_id=customer_uid, **({"line_id": line.uid} if line else {}))
        forms = {("service_order", order.id): written_form("service_order", values, natural,
                                                           children)}
        if line is not None:
            forms[("line", line.id)] = line.form
        audit.record(s, "order.accept", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=order_no,
                     authorized_by=actor.authorized_by,
                     data={"service": req.service, "total_fen": ev.total_fen,
                           "line": line.number if line else None, "hash": digest},
                     seal=list(forms), forms={k: f for k, f in forms.items() if f is not None})
        return order, [(p["method"], p["amount_fen"]) for p in children["order_payment"]]

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

