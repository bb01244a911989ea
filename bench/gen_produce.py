"""Where the generator's rows are computed: in a process of their own, beside the one writing.

The rows' Python (values, lookup hashes, seals, the events' chain) and the database's work
(binding, B-trees, pages) take about as long each; a forked producer computes batch k+1 while
the writing process writes batch k, so on a machine with two cores a run takes about the longer
of the two rather than their sum. The producer sends each batch through a queue of two (memory
stays flat) and, at the end, what it checked and counted; its own memory (what it allocated
beyond the pages it shares with the writer after the fork) is reported with the run's peak.

Without `fork` (Windows, macOS' default), without a spare core, or for small runs the same
batches are made inline.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.gen_batches import Context, CustomerBatches, OrderBatches, Plan, chunks
from bench.gen_seals import EventChain

FORK_FROM = 50_000  # customers and orders below this are made inline (a few batches only)

Batch = list[tuple[str, list[tuple[Any, ...]]]]  # (table name of `gen_batches.tables`, rows)


@dataclass
class Summary:
    checks: dict[str, dict[int, str]] = field(default_factory=dict)
    events: int = 0
    serials: dict[int, int] = field(default_factory=dict)
    producer_mb: float = 0.0  # the producer's own peak memory (0 inline)


class Producer:
    """The batches of a plan, in order: customers with lines, then orders."""

    def __init__(self, plan: Plan) -> None:
        from app.services.customers.pii import default_personal_data

        self.plan = plan
        self.ctx = Context(key=plan.key, chain=EventChain(plan.key, plan.chain_prev,
                                                          plan.chain_seq),
                           nonce=plan.nonce, at=plan.at, staff_id=plan.staff_id,
                           staff_no=plan.staff_no, audit=plan.audit,
                           lookup=default_personal_data().lookup_id)
        self.serials = dict(plan.serials)

    def batches(self) -> Iterator[Batch]:
        import random

        from bench.generate import _OrderNumbers

        plan, ctx = self.plan, self.ctx
        made = CustomerBatches(ctx, plan.base_c, plan.base_l, plan.opened_on)
        for part in chunks(plan.customers, plan.batch):
            crow, lrow, seals = made.rows(part)
            yield [("customer", crow), ("line", lrow), ("seal", ctx.seal_rows(seals))]
        placed = OrderBatches(ctx, base_c=plan.base_c, base_l=plan.base_l,
                              base_o=plan.base_o, customers=plan.customers,
                              counters=plan.counters, hall_code=plan.hall_code, day=plan.day,
                              now=plan.now, number_of=_OrderNumbers(plan.hall_code, plan.day),
                              serials=self.serials, rng=random.Random(plan.seed))
        for part in chunks(plan.orders, plan.batch):
            rows = placed.rows(part)
            yield [("service_order", rows.orders), ("order_fee", rows.fees),
                   ("order_payment", rows.payments), ("accept", rows.accepts),
                   ("seal", ctx.seal_rows(rows.seals))]

    def summary(self, producer_mb: float = 0.0) -> Summary:
        return Summary(self.ctx.checks, self.ctx.events, self.serials, producer_mb)


def produce(plan: Plan, summary: Summary) -> Iterator[Batch]:
    """The plan's batches, from a forked producer when possible; `summary` is filled in once
    the last batch has been given."""
    if plan.customers + plan.orders < FORK_FROM or not spare_core() or \
            "fork" not in multiprocessing.get_all_start_methods():
        inline = Producer(plan)
        yield from inline.batches()
        _copy(inline.summary(), summary)
        return
    mp = multiprocessing.get_context("fork")
    channel: Any = mp.Queue(maxsize=2)
    child = mp.Process(target=_child, args=(plan, channel), name="generate-rows", daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload = channel.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError("the generator's producer ended without its rows "
                                       f"(exit code {child.exitcode})") from None
                continue
            if kind == "batch":
                yield payload
            elif kind == "done":
                _copy(payload, summary)
                break
            else:
                raise RuntimeError(f"the generator's producer failed:\n{payload}")
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
            child.join()
        channel.close()


def spare_core() -> bool:
    """Whether a core is free for the producer. Pickling the rows to the writer costs about a
    tenth of making them: on a machine busy on every core (the kernel's autogroup shares one
    session's processes out of one slice) the two processes take turns, and inline is cheaper."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return cores > 1
    return cores > 1 and load <= cores - 1


def _child(plan: Plan, channel: Any) -> None:
    start = _status_mb("VmRSS")
    try:
        producer = Producer(plan)
        for batch in producer.batches():
            channel.put(("batch", batch))
        channel.put(("done", producer.summary(max(0.0, _status_mb("VmHWM") - start))))
    except BaseException:
        channel.put(("error", traceback.format_exc()))
    channel.close()
    channel.join_thread()


def _status_mb(field_name: str) -> float:
    """A field of /proc/self/status in MB (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _copy(source: Summary, target: Summary) -> None:
    target.checks, target.events = source.checks, source.events
    target.serials, target.producer_mb = source.serials, source.producer_mb
