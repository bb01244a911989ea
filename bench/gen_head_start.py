"""The first customers of a new file, made by the writing process while a forked process runs
the migrations (`generate._open_migrated`).

That process would otherwise wait there about 0.18 s (its own start, SQLAlchemy's mappers,
takes 0.05 s of the migrations' 0.25 s): it makes customers, their lines and their row seals
in parts of `PART` until the migrations are done (10k customers of a 10k run). Nothing of that depends on the database of a
new file (ids from 1, uids from the run's nonce); the `data.generate` events sealing them are
chained once the head of the audit chain is known (`chain`), and the forked producer goes on
from the next customer (`Plan.first_customer`) while the writer writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bench.gen_batches import Context, CustomerBatches, Plan
from bench.gen_write import Table

PART = 500  # customers: 1000 seals, one whole `data.generate` event
LIMIT = 20_000  # customers at most (memory stays flat however slow the migrations are)
Rows = list[tuple[Any, ...]]


@dataclass
class HeadStart:
    ctx: Context
    parts: list[tuple[Rows, Rows, list[tuple[str, str]]]] = field(default_factory=list)
    made: int = 0  # customers 0 .. made - 1


def make(customers: int, *, day: date, nonce: bytes, audit: bool,
         busy: Callable[[], bool]) -> HeadStart:
    """Customers from 0 in parts of `PART` while `busy()` (at least one part, at most
    `LIMIT` customers)."""
    from app.services.audit.events import chain_key
    from app.services.customers.pii import default_personal_data
    from bench.gen_seals import EventChain, fast_id_lookup

    app_lookup = default_personal_data().lookup_id
    key = chain_key() if audit else b""
    # The chain's head and the events' time are set by `chain`, when they are known.
    ctx = Context(key=key, chain=EventChain(key, "", 0), nonce=nonce, at=datetime.min,
                  staff_id=None, staff_no=None, audit=audit, lookup=fast_id_lookup(app_lookup),
                  app_lookup=app_lookup)
    head = HeadStart(ctx)
    rows = CustomerBatches(ctx, 0, 0, Plan.opened_on_for(day))
    while head.made < min(customers, LIMIT) and (busy() or not head.parts):
        part = range(head.made, min(customers, head.made + PART))
        head.parts.append(rows.rows(part))
        head.made = part.stop
    return head


def chain(head: HeadStart, plan: Plan, spec: dict[str, Table]
          ) -> tuple[Plan, list[list[tuple[Table, Rows]]]]:
    """The head start's batches, their seal events chained on from `plan`'s head, and the plan
    the producer goes on with."""
    ctx = head.ctx
    ctx.chain.prev, ctx.chain.seq, ctx.at = plan.chain_prev, plan.chain_seq, plan.at
    batches = [[(spec["customer"], crow), (spec["line"], lrow),
                (spec["seal"], ctx.seal_rows(seals))] for crow, lrow, seals in head.parts]
    return replace(plan, first_customer=head.made, chain_seq=ctx.chain.seq,
                   chain_prev=ctx.chain.prev), batches
