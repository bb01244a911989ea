"""Money paid out on the batch channel: a supervisor authorizes the run.

`counter process` records under the batch channel, with no clerk logged in. Paying money out (a
prepayment refund, a cancellation's balance refund) is a supervisor's exception there as at a
counter: the core refuses it (`OrderService.submit`) unless the batch actor carries a
supervisor's authorization. The supervisor gives it for one run with their own staff number
and password -- `COUNTER_STAFF` / `COUNTER_STAFF_PASSWORD`, or typed at the terminal -- checked
like a log-in (failures count toward the lockout) and recorded as an `exception.authorize`
event naming them; each refund order then records them (`ServiceOrder.authorized_by`).

A batch that pays money out with no supervisor to authorize it is refused, the refusal
audited, before any of its orders is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from app.core.request import Request
from app.db import Database
from app.security import Permission, PermissionDenied, SecurityError
from app.services.hall.registry import Actor, batch_actor
from app.services.orders.service import OrderService, refunds_money
from app.services.staff.auth import authorize, deny

ENV_STAFF: Final = "COUNTER_STAFF"
ENV_PASSWORD: Final = "COUNTER_STAFF_PASSWORD"
REASON: Final = "counter process：批量受理中的退款 / refunds in a batch run"

Credentials = tuple[str, str]


class RefundNeedsSupervisor(SecurityError):
    """A batch that pays money out, and no supervisor to authorize it (exit status 2 on the
    command line, as for the other commands that need a supervisor's credentials)."""

    code = 2

    def __init__(self, positions: Sequence[int]) -> None:
        shown = "、".join(str(i + 1) for i in positions[:10])
        more = "…" if len(positions) > 10 else ""
        super().__init__(
            f"本批第 {shown}{more} 条请求要退款给客户，需要值班长授权：请设置 {ENV_STAFF} 和 "
            f"{ENV_PASSWORD}（值班长的工号和密码），或在终端上运行并按提示输入；本批未记录任何订单",
            f"requests {', '.join(str(i + 1) for i in positions[:10])}{more} pay money out and "
            f"need a supervisor: set {ENV_STAFF} and {ENV_PASSWORD} (a supervisor's staff "
            "number and password) or run on a terminal to be asked; nothing was recorded")


def supervisor_from_env(environ: Mapping[str, str] | None = None) -> Credentials | None:
    """`COUNTER_STAFF` / `COUNTER_STAFF_PASSWORD`, when both are set."""
    env = os.environ if environ is None else environ
    staff_no, password = env.get(ENV_STAFF, "").strip(), env.get(ENV_PASSWORD, "")
    return (staff_no, password) if staff_no and password else None


def batch_actor_with_supervisor(db: Database, staff_no: str, password: str) -> Actor:
    """The batch channel, authorized by this supervisor to pay money out in this run.

    `AuthError` for wrong credentials (the ordinary log-in answer), `PermissionDenied` when
    the staff may not authorize refunds; either is audited."""
    return authorize(db, batch_actor(db), staff_no, password, Permission.REFUND_APPROVE, REASON)


def refunds_in(service: OrderService, requests: Sequence[Request]) -> list[int]:
    """Positions of the requests that would pay money out (evaluated, nothing written)."""
    return [i for i, req in enumerate(requests) if refunds_money(service.evaluate(req))]


def batch_actor_for_run(db: Database, service: OrderService, requests: Sequence[Request], *,
                        credentials: Credentials | None = None,
                        ask: Callable[[], Credentials | None] | None = None) -> Actor:
    """The actor of one `counter process` run.

    Given credentials are always checked (and the run authorized). Without them, a batch that
    pays money out asks `ask` (a terminal prompt) for a supervisor, and is refused --
    `RefundNeedsSupervisor`, audited -- when there is none; other batches need nobody."""
    actor = batch_actor(db)  # also sets up the hall of a new database
    if credentials is None:
        refunds = refunds_in(service, requests)
        if not refunds:
            return actor
        credentials = ask() if ask is not None else None
        if credentials is None:
            try:
                deny(db, actor, Permission.REFUND_APPROVE)
            except PermissionDenied:
                raise RefundNeedsSupervisor(refunds) from None
    assert credentials is not None
    return batch_actor_with_supervisor(db, *credentials)
