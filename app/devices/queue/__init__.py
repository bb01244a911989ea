"""The queue caller (叫号): the hall's queue system through an HTTP/JSON adapter, or the
ticket number typed by the clerk. Qt-free; the window calls it from a worker."""

from app.devices.queue.caller import KINDS, ManualQueueCaller, QueueCaller, open_caller
from app.devices.queue.http_caller import HttpQueueCaller
from app.devices.queue.probe import check
from app.devices.queue.ticket import (
    QueueError,
    Ticket,
    normalize_ticket_number,
    parse_issued_at,
    parse_issued_time,
)

__all__ = [
    "KINDS",
    "HttpQueueCaller",
    "ManualQueueCaller",
    "QueueCaller",
    "QueueError",
    "Ticket",
    "check",
    "normalize_ticket_number",
    "open_caller",
    "parse_issued_at",
    "parse_issued_time",
]
