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

import gc
import marshal
import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.gen_batches import Context, CustomerBatches, OrderBatches, Plan
from bench.gen_seals import EventChain, fast_id_lookup

# Customers and orders below this are made inline. Above it the first batches are small
# (`ramp`), so the writer starts after a thousand rows rather than after a whole batch.
FORK_FROM = 4_000
FIRST_BATCH = 1000  # a multiple of 500: a customer batch's seals fill whole seal events

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
        app_lookup = default_personal_data().lookup_id
        self.ctx = Context(key=plan.key, chain=EventChain(plan.key, plan.chain_prev,
                                                          plan.chain_seq),
                           nonce=plan.nonce, at=plan.at, staff_id=plan.staff_id,
                           staff_no=plan.staff_no, audit=plan.audit,
                           lookup=fast_id_lookup(app_lookup), app_lookup=app_lookup)
        self.serials = dict(plan.serials)

    def batches(self) -> Iterator[Batch]:
        import random

        from bench.generate import _OrderNumbers

        plan, ctx = self.plan, self.ctx
        made = CustomerBatches(ctx, plan.base_c, plan.base_l, plan.opened_on)
        first = plan.first_customer
        for part in ramp(plan.customers - first, plan.batch):
            crow, lrow, seals = made.rows(range(part.start + first, part.stop + first))
            yield [("customer", crow), ("line", lrow), ("seal", ctx.seal_rows(seals))]
        placed = OrderBatches(ctx, base_c=plan.base_c, base_l=plan.base_l,
                              base_o=plan.base_o, customers=plan.customers,
                              counters=plan.counters, hall_code=plan.hall_code, day=plan.day,
                              now=plan.now, number_of=_OrderNumbers(plan.hall_code, plan.day),
                              serials=self.serials, rng=random.Random(plan.seed))
        for part in ramp(plan.orders, plan.batch):
            rows = placed.rows(part)
            yield [("service_order", rows.orders), ("order_fee", rows.fees),
                   ("order_payment", rows.payments), ("accept", rows.accepts),
                   ("seal", ctx.seal_rows(rows.seals))]

    def summary(self, producer_mb: float = 0.0) -> Summary:
        return Summary(self.ctx.checks, self.ctx.events, self.serials, producer_mb)


def produce(plan: Plan, summary: Summary,
            meanwhile: Callable[[], None] | None = None) -> Iterator[Batch]:
    """The plan's batches, from a forked producer when possible; `summary` is filled in once
    the last batch has been given. `meanwhile` runs before the first batch is given, while
    the producer makes it."""
    if plan.customers + plan.orders < FORK_FROM or not spare_core() or \
            "fork" not in multiprocessing.get_all_start_methods():
        if meanwhile is not None:
            meanwhile()
        inline = Producer(plan)
        yield from inline.batches()
        _copy(inline.summary(), summary)
        return
    mp = multiprocessing.get_context("fork")
    channel: Any = mp.Queue(maxsize=2)
    child = mp.Process(target=_child, args=(plan, channel), name="generate-rows", daemon=True)
    # The objects there are now stay out of the child's garbage collections: a collection
    # writes to every object it visits, copying the page it is on (fork shares pages until
    # written), and so would copy most of the writer's heap into the child.
    gc.freeze()
    child.start()
    gc.unfreeze()
    try:
        if meanwhile is not None:
            meanwhile()
        while True:
            try:
                kind, payload = channel.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError("the generator's producer ended without its rows "
                                       f"(exit code {child.exitcode})") from None
                continue
            if kind == "batch":
                yield marshal.loads(payload)
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
    """Whether a core is free for the producer: more than one, and the one-minute load below
    their number. The load counts the bench's own previous child (the floor's copy keeps a
    core busy for as long as it runs), so "at most cores - 1" could send a run on an
    otherwise idle two-core machine inline. With other sessions busy (load 2-3.5 on two
    cores) 100k orders took 5.1-11.2 s forked and 7.1-11.0 s inline: no worse; only with
    every core taken all the time do the two processes merely take turns (the kernel's
    autogroup shares one session's processes out of one slice) and pay the marshalling."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return cores > 1
    return cores > 1 and load < cores


def ramp(n: int, size: int) -> Iterator[range]:
    """`range(n)` in parts of `FIRST_BATCH`, doubling up to `size` rows."""
    start, step = 0, min(size, FIRST_BATCH)
    while start < n:
        yield range(start, min(n, start + step))
        start += step
        step = min(size, step * 2)


def _child(plan: Plan, channel: Any) -> None:
    start = _status_mb("VmRSS")
    try:
        producer = Producer(plan)
        for batch in producer.batches():
            # marshal: half pickle's cost to make for these rows of str, int, bytes and None,
            # and the queue then only copies bytes
            channel.put(("batch", marshal.dumps(batch)))
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
