"""What the daily report (营业日报) shows: plain figures, already computed by the core.

Only strings and ints (amounts in integer fen): the printing package does no arithmetic
beyond column totals, and never reads the database. Rows are printed in the order given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ClerkLine",
    "DailyReport",
    "DifferenceLine",
    "FollowUpLine",
    "PaymentLine",
    "QueueTimeLine",
    "RejectionLine",
    "RevenueLine",
    "ServiceLine",
    "StockLine",
]


@dataclass(frozen=True)
class ClerkLine:
    clerk_no: str
    clerk_name: str
    orders: int  # orders completed
    voided: int = 0
    rejected: int = 0
    amount_fen: int = 0  # money taken by this clerk (net of refunds)


@dataclass(frozen=True)
class ServiceLine:
    service_name: str  # Chinese
    orders: int
    amount_fen: int = 0
    service_code: str = ""


@dataclass(frozen=True)
class PaymentLine:
    method: str  # e.g. "现金", "银行卡"
    count: int
    amount_fen: int


@dataclass(frozen=True)
class StockLine:
    """Counted items (SIM cards, value cards, invoices, gifts) over the day."""

    item: str  # e.g. "USIM 卡", "有价卡 50 元", "发票", "5L 食用油"
    unit: str  # e.g. "张", "份", "瓶"
    opening: int
    used: int  # what the day's orders say was used or handed out
    received: int = 0
    closing: int = 0  # counted at closing


@dataclass(frozen=True)
class DifferenceLine:
    """A count (or cash, with `money=True`: the ints are fen) that did not match."""

    item: str
    expected: int
    counted: int
    explanation: str = ""
    money: bool = False


@dataclass(frozen=True)
class RejectionLine:
    time: str  # "HH:MM" or "YYYY-MM-DD HH:MM"
    clerk_name: str
    service_name: str
    reason: str
    order_no: str = ""


@dataclass(frozen=True)
class FollowUpLine:
    order_no: str
    name: str
    due: str  # "YYYY-MM-DD HH:MM"
    owner: str  # first-ask owner
    status: str = ""  # e.g. "未办结", "已办结", "已逾期"


@dataclass(frozen=True)
class QueueTimeLine:
    """Waiting and handling times of the day's queue tickets for a service or a clerk, as
    minutes:seconds ("4:05"; "—" when unknown)."""

    group: str  # "业务" | "营业员" | "合计"
    name: str
    visits: int
    wait_avg: str
    wait_p90: str
    handle_avg: str
    handle_p90: str


@dataclass(frozen=True)
class RevenueLine:
    """Money taken by one clerk (or the batch channel), net of refunds, in fen per payment
    method, in the order of `DailyReport.revenue_methods`."""

    name: str  # e.g. "李娜（C001）", "批量通道"
    amounts: tuple[int, ...]
    orders: int = 0  # orders with a payment

    @property
    def total(self) -> int:
        return sum(self.amounts)


@dataclass(frozen=True)
class DailyReport:
    hall_name: str
    hall_code: str
    business_date: str  # YYYY-MM-DD
    generated_at: str = ""  # "YYYY-MM-DD HH:MM:SS", local time of the hall
    prepared_by: str = ""  # who closed the day, e.g. "值班长 王丽（GZ10001）"
    clerks: list[ClerkLine] = field(default_factory=list)
    services: list[ServiceLine] = field(default_factory=list)
    payments: list[PaymentLine] = field(default_factory=list)
    stock: list[StockLine] = field(default_factory=list)
    differences: list[DifferenceLine] = field(default_factory=list)
    rejections: list[RejectionLine] = field(default_factory=list)
    follow_ups: list[FollowUpLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # free remarks of the supervisor
    queue: list[QueueTimeLine] = field(default_factory=list)  # empty: no queue tickets
    # Revenue by payment method (column labels, e.g. "现金") and per clerk, with a chart.
    revenue_methods: list[str] = field(default_factory=list)
    revenue: list[RevenueLine] = field(default_factory=list)
    reprint_count: int = 0
