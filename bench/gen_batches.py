"""The generator's batches: customers with their lines, and orders with their fees, payments
and `order.accept` events, each batch sealed by `data.generate` events in its transaction.

Per row the work is what cannot be shared: the row's values, the keyed lookup hash of its ID
number, its seal (an HMAC over its canonical bytes) and, for an order, its event's link in the
chain. The canonical bytes come from templates made by the app's own encoder
(`app.security.canonical_event_bytes`) with the row's values put in: the first row of every
kind is checked against the encoder itself, the values are of alphabets JSON writes as they
are (`check_alphabets`), and `generate` checks the first seals against what
`counter audit verify` reads back.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bench import gen_rows as gr
from bench.gen_seals import (
    CHAIN_DOMAIN,
    SEAL_DOMAIN,
    EventChain,
    Template,
    is_plain,
    seal_event_body,
    seal_event_fields,
)
from bench.gen_write import Table, stored_day, stored_time

SEAL_EVERY = 1000  # rows sealed per `data.generate` event
_SEAL_PREFIX = SEAL_DOMAIN.decode()


def check_alphabets() -> None:
    """Every character a generated text value can hold is one JSON writes as it is."""
    texts = (gr.SURNAMES, gr.GIVEN, "0123456789abcdefX-*", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if not all(is_plain(t) for t in texts):
        raise RuntimeError("a generated value would need JSON escaping")


@dataclass
class Plan:
    """Everything a run's rows follow from (read from the database before the first row)."""

    customers: int
    orders: int
    batch: int
    seed: int
    audit: bool
    key: bytes  # the audit chain's key (seals and events)
    nonce: bytes  # the run's uid prefixes
    sqlite: bool
    now: datetime
    day: date
    hall_id: int
    hall_code: str
    counters: list[tuple[int, str]]  # (id, code)
    staff_id: int | None
    staff_no: str | None
    base_c: int  # the highest customer, line and order ids before the run
    base_l: int
    base_o: int
    chain_seq: int  # the chain's head before the run
    chain_prev: str
    serials: dict[int, int]  # each counter's last order serial of `day`
    first_customer: int = 0  # the customers before it were made by the writer (`gen_head_start`)

    @property
    def at(self) -> datetime:  # the events' time
        return self.now.replace(microsecond=0)

    @property
    def opened_on(self) -> date:
        return self.opened_on_for(self.day)

    @staticmethod
    def opened_on_for(day: date) -> date:
        return day - timedelta(days=400)


@dataclass
class Context:
    """What every batch of a run shares, and what it has checked and counted."""

    key: bytes
    chain: EventChain
    nonce: bytes
    at: datetime  # the events' time (whole seconds)
    staff_id: int | None
    staff_no: str | None
    audit: bool
    lookup: Callable[[str], str]  # the keyed lookup hash of an ID number (`fast_id_lookup`)
    app_lookup: Callable[[str], str]  # the app's own, to check it against
    checks: dict[str, dict[int, str]] = field(default_factory=dict)  # first seals, per table
    events: int = 0

    def prefix(self, table: str) -> str:
        return gr.uid_prefix(self.nonce, table)

    def seal_rows(self, seals: list[tuple[str, str]]) -> list[tuple[Any, ...]]:
        """`data.generate` events for these (row key, seal) pairs, `SEAL_EVERY` an event."""
        out: list[tuple[Any, ...]] = []
        prefix = self.prefix("audit_event")
        for start in range(0, len(seals), SEAL_EVERY):
            rows = dict(seals[start:start + SEAL_EVERY])
            seq = self.chain.seq + 1
            uid = f"{prefix}{seq:012x}"

            def fields(values: dict[str, Any], n: int = len(rows)) -> dict[str, Any]:
                form = seal_event_fields(values["uid"], values["seq"], self.at, {})
                form["data"]["sealed"] = n
                return form

            seq, prev, digest = self.chain.append(
                ("seal", len(rows)), lambda fields=fields: Template(fields, ("uid",), ("seq",)),
                {"uid": uid},
                lambda seq, uid=uid, rows=rows: seal_event_fields(uid, seq, self.at, rows),
                post=lambda body, rows=rows: seal_event_body(body, rows))
            out.append((uid, seq, json.dumps({"sealed": len(rows), "rows": rows}), prev,
                        digest))
            self.events += 1
        return out

def tables(plan: Plan) -> dict[str, Table]:
    """The generated tables' columns, bound and constant, by the producer's names."""
    sq = plan.sqlite
    stamp, at = stored_time(plan.now, sq), stored_time(plan.at, sq)
    return {
        "customer": Table("customer", ("id", "uid", "name", "id_lookup", "id_masked", "phone"), {
            "kind": "personal", "id_type": "resident_id", "id_enc": gr.DUMMY_BLOB,
            "version": 1, "updated_at": stamp, "origin": "gen"}),
        "line": Table("line", ("id", "uid", "number", "customer_id", "points"), {
            "kind": "mobile", "payment": "postpaid", "status": "active", "arrears_fen": 0,
            "balance_fen": 0, "relocated_keep_number": "none", "lock_expired": False,
            "blacklisted": False, "vip": False, "collection_exempt": False,
            "roaming_open": False, "roaming_prepayment_fen": 0, "realname": "complete",
            "package": gr.PACKAGE, "opened_on": stored_day(plan.opened_on, sq), "version": 1,
            "updated_at": stamp, "origin": "gen"}),
        "service_order": Table("service_order", (
            "id", "uid", "order_no", "counter_id", "service", "customer_id", "line_id",
            "line_number", "presenter_name", "presenter_id_masked", "outcome", "total_fen",
            "content_hash"), {
            "hall_id": plan.hall_id, "staff_id": plan.staff_id, "channel": "counter",
            "carrier": "unicom", "business_date": stored_day(plan.day, sq),
            "status": "accepted", "presenter_role": "owner", "presenter_id_type": "resident_id",
            "presenter_id_enc": gr.DUMMY_BLOB, "details": "{}", "line_before": gr.LINE_STATE,
            "line_after": gr.LINE_STATE, "effective": "immediate", "started_at": stamp,
            "created_at": stamp}),
        "order_fee": Table("order_fee", ("order_id", "item", "name", "amount_fen")),
        "order_payment": Table("order_payment", ("order_id", "amount_fen", "tendered_fen"),
                               {"method": "cash", "change_fen": 0}),
        "accept": Table("audit_event", ("uid", "seq", "counter", "target", "data",
                                        "prev_hash", "hash"), {
            "at": at, "actor_staff_id": plan.staff_id, "actor": "S001",
            "action": "order.accept"}),
        "seal": Table("audit_event", ("uid", "seq", "data", "prev_hash", "hash"), {
            "at": at, "actor_staff_id": None, "actor": "gen", "counter": "",
            "action": "data.generate", "target": ""}),
    }


class CustomerBatches:
    """Customers `base_c + i + 1` with one line each (`base_l + i + 1`)."""

    C_NAMES = ("uid", "name", "id_lookup", "id_masked")
    L_NAMES = ("uid", "number", "customer", "points")

    def __init__(self, ctx: Context, base_c: int, base_l: int, opened_on: date) -> None:
        self.ctx, self.base_c, self.base_l = ctx, base_c, base_l
        self.c_tpl = Template(gr.customer_form, ("uid", "name", "id_lookup", "id_masked"))
        self.l_tpl = Template(lambda v: gr.line_form(v, opened_on),
                              ("uid", "number", "customer"), ("points",))
        self.c_fill = self.c_tpl.plain(self.C_NAMES, _SEAL_PREFIX)
        self.l_fill = self.l_tpl.plain(self.L_NAMES, _SEAL_PREFIX)

    def _check_first(self, cid: int, lid: int, c: tuple[Any, ...], line: tuple[Any, ...]
                     ) -> None:
        from app.security import mask_id
        from bench.gen_seals import seal

        ctx = self.ctx
        if c[3] != mask_id(gr.customer_id_number(0)) or c[2] != ctx.lookup(
                gr.customer_id_number(0)):
            raise RuntimeError("the generator's ID mask or lookup does not match the app's")
        c_body = self.c_tpl.check(dict(zip(self.C_NAMES, c, strict=True)))
        l_body = self.l_tpl.check(dict(zip(self.L_NAMES, line, strict=True)))
        if (SEAL_DOMAIN + c_body != self.c_fill(c)
                or SEAL_DOMAIN + l_body != self.l_fill(line)):
            raise RuntimeError("the plain templates do not match the canonical encoder")
        ctx.checks["customer"] = {cid: seal(ctx.key, c_body)}
        ctx.checks["line"] = {lid: seal(ctx.key, l_body)}
        if (ctx.chain.mac(self.c_fill(c)) != ctx.checks["customer"][cid]
                or ctx.chain.mac(self.l_fill(line)) != ctx.checks["line"][lid]):
            raise RuntimeError("the generator's seals do not match the app's HMAC")

    def rows(self, part: range) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]],
                                         list[tuple[str, str]]]:
        ctx = self.ctx
        audit, lookup, mac = ctx.audit, ctx.lookup, ctx.chain.mac
        c_fill, l_fill = self.c_fill, self.l_fill
        cpre, lpre = ctx.prefix("customer"), ctx.prefix("line")
        id_parts, name_of = gr.id_parts, gr.customer_name
        crow: list[tuple[Any, ...]] = []
        lrow: list[tuple[Any, ...]] = []
        seals: list[tuple[str, str]] = []
        first = gr.customer_id_number(part.start)
        if lookup(first) != ctx.app_lookup(first):
            raise RuntimeError("the generator's lookup hash does not match the app's")
        for i in part:
            region, born, serial, check = id_parts(i)
            cid, lid = self.base_c + i + 1, self.base_l + i + 1
            cu, lu = f"{cpre}{cid:012x}", f"{lpre}{lid:012x}"
            name = name_of(i)
            number = f"17{(lid - 1) % 1_000_000_000:09d}"
            c = (cu, name, lookup(f"{region}{born}{serial}{check}"),
                 f"{region}********{serial}{check}")
            line = (lu, number, cu, i % 5000)
            crow.append((cid, cu, name, c[2], c[3], f"139{i % 100_000_000:08d}"))
            lrow.append((lid, lu, number, cid, line[3]))
            if audit:
                if i == 0:
                    self._check_first(cid, lid, c, line)
                seals.append((f"customer:{cu}", mac(c_fill(c))))
                seals.append((f"line:{lu}", mac(l_fill(line))))
        return crow, lrow, seals


@dataclass
class OrderRows:
    orders: list[tuple[Any, ...]]
    fees: list[tuple[Any, ...]]
    payments: list[tuple[Any, ...]]
    accepts: list[tuple[Any, ...]]
    seals: list[tuple[str, str]]


@dataclass
class _Kind:
    """One counter and service: its seal and event templates, checked on first use."""

    o_fill: Callable[[Sequence[Any]], bytes]
    a_fill: Callable[[Sequence[Any]], bytes]
    data: str
    outcome: str  # %-form of the outcome JSON, the order number left open


class OrderBatches:
    """Orders `base_o + i + 1` on random generated customers, round-robin over the counters."""

    O_NAMES = ("uid", "order_no", "customer", "line", "line_number", "presenter_name",
               "presenter_id_masked", "content_hash")
    A_NAMES = ("uid", "seq", "target")

    def __init__(self, ctx: Context, *, base_c: int, base_l: int, base_o: int,
                 customers: int, counters: Sequence[tuple[int, str]], hall_code: str,
                 day: date, now: datetime, number_of: Callable[[str, int], str],
                 serials: dict[int, int], rng: Any) -> None:
        self.ctx, self.base_c, self.base_l, self.base_o = ctx, base_c, base_l, base_o
        self.customers, self.counters, self.hall_code = customers, counters, hall_code
        self.day, self.now, self.number_of, self.serials = day, now, number_of, serials
        self.rng = rng
        self.kinds: dict[tuple[int, int], _Kind] = {}

    def _kind(self, slot: int, s: int, order: tuple[Any, ...], oid: int, seq: int) -> _Kind:
        """Make and check the templates of this counter and service (its first order)."""
        from app.security import chain_hash

        ctx, code = self.ctx, self.counters[slot][1]
        service, fee = gr.SERVICES[s]
        o_tpl = Template(lambda v: gr.order_form(
            v, hall=self.hall_code, counter=code, staff=ctx.staff_no, service=service, fee=fee,
            day=self.day, stamp=self.now), self.O_NAMES)
        data = {"service": service, "total_fen": fee}

        def event(v: Mapping[str, Any]) -> dict[str, Any]:
            return {"uid": v["uid"], "seq": v["seq"], "at": ctx.at, "actor": "S001",
                    "actor_staff_id": ctx.staff_id, "authorized_by": None, "counter": code,
                    "action": "order.accept", "target": v["target"], "data": data}

        a_tpl = Template(event, ("uid", "target"), ("seq",))
        kind = _Kind(o_tpl.plain(self.O_NAMES, _SEAL_PREFIX), a_tpl.plain(self.A_NAMES),
                     f'{{"service": "{service}", "total_fen": {fee}}}',
                     gr.outcome_json("\x00", service, fee).replace("%", "%%")
                     .replace("\x00", "%s"))
        o_body = o_tpl.check(dict(zip(self.O_NAMES, order, strict=True)))
        a_values = (f"{ctx.prefix('audit_event')}{seq:012x}", seq, order[1])
        a_body = a_tpl.check(dict(zip(self.A_NAMES, a_values, strict=True)))
        chained = CHAIN_DOMAIN + ctx.chain.prev.encode() + b"\x00" + a_body
        if (SEAL_DOMAIN + o_body != kind.o_fill(order) or a_body != kind.a_fill(a_values)
                or hmac.digest(ctx.key, chained, "sha256").hex()
                != chain_hash(ctx.chain.prev, event(dict(zip(self.A_NAMES, a_values,
                                                                 strict=True))), key=ctx.key)
                or kind.outcome % order[1] != gr.outcome_json(order[1], service, fee)):
            raise RuntimeError("the plain templates do not match the canonical encoder")
        from bench.gen_seals import seal

        ctx.checks.setdefault("service_order", {})[oid] = seal(ctx.key, o_body)
        if ctx.chain.mac(kind.o_fill(order)) != seal(ctx.key, o_body):
            raise RuntimeError("the generator's seals do not match the app's HMAC")
        self.kinds[(slot, s)] = kind
        return kind

    def rows(self, part: range) -> OrderRows:
        ctx = self.ctx
        audit, chain, mac = ctx.audit, ctx.chain, ctx.chain.mac
        cpre, lpre = ctx.prefix("customer"), ctx.prefix("line")
        opre, epre = ctx.prefix("service_order"), ctx.prefix("audit_event")
        randrange, bits = self.rng.randrange, self.rng.getrandbits
        id_parts, name_of, number_of = gr.id_parts, gr.customer_name, self.number_of
        counters, serials, kinds = self.counters, self.serials, self.kinds
        ncounters, customers = len(counters), self.customers
        orow: list[tuple[Any, ...]] = []
        frow: list[tuple[Any, ...]] = []
        prow: list[tuple[Any, ...]] = []
        arow: list[tuple[Any, ...]] = []
        seals: list[tuple[str, str]] = []
        for i in part:
            k = randrange(customers)
            cid, lid, oid = self.base_c + k + 1, self.base_l + k + 1, self.base_o + i + 1
            slot = i % ncounters
            counter_id, code = counters[slot]
            serial = serials[counter_id] = serials[counter_id] + 1
            order_no = number_of(code, serial)
            s = i % 3
            service, fee = gr.SERVICES[s]
            region, _born, kserial, check = id_parts(k)
            ou = f"{opre}{oid:012x}"
            order = (ou, order_no, f"{cpre}{cid:012x}", f"{lpre}{lid:012x}",
                     f"17{(lid - 1) % 1_000_000_000:09d}", name_of(k),
                     f"{region}********{kserial}{check}", f"{bits(256):064x}")
            kind = kinds.get((slot, s))
            if audit:
                seq = chain.seq + 1
                if kind is None:
                    kind = self._kind(slot, s, order, oid, seq)
                seals.append((f"service_order:{ou}", mac(kind.o_fill(order))))
                eu = f"{epre}{seq:012x}"
                prev = chain.prev
                arow.append((eu, seq, code, order_no, kind.data, prev,
                             chain.link(kind.a_fill((eu, seq, order_no)))))
            elif kind is None:
                kind = kinds[(slot, s)] = _Kind(
                    lambda v: b"", lambda v: b"", "",
                    gr.outcome_json("\x00", service, fee).replace("%", "%%")
                    .replace("\x00", "%s"))
            orow.append((oid, ou, order_no, counter_id, service, cid, lid, order[4], order[5],
                         order[6], kind.outcome % order_no, fee, order[7]))
            if fee:
                frow.append((oid, service, gr.FEE_NAMES[service], fee))
                prow.append((oid, fee, fee))
        ctx.events += len(arow)
        return OrderRows(orow, frow, prow, arow, seals)
