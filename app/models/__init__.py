"""SQLAlchemy 2 typed models: the local database of a counter (SQLite) or a hall (PostgreSQL).

The model modules do not use `from __future__ import annotations`: with it, declarative would
evaluate every `Mapped[...]` annotation from its text (~30 µs a column, 10-15 ms of every
`counter` start over ~470 columns); only forward references to a later class are quoted.
tests/test_models_annotations.py keeps it so.
"""

from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.conflict import LineConflict  # noqa: F401  (sync conflicts of a line)
from app.models.customer import Customer, KeyPerson
from app.models.day import DaySignoff, Shift  # noqa: F401  (the hall's day tables)
from app.models.followup import FollowUpTask
from app.models.intake import IntakeEntry
from app.models.line import Line, LineHistory
from app.models.order import (
    OrderDocument,
    OrderFee,
    OrderPayment,
    OrderSequence,
    PrintedDocument,
    ServiceOrder,
    SignatureRecord,
)
from app.models.org import Counter, Hall, Staff, WizardDraft
from app.models.queue import QueueTicket
from app.models.sealed import SEALED  # noqa: F401  (also notes the sealed rows a session writes)
from app.models.stock import StockVoucher  # noqa: F401  (receipts and transfers)
from app.models.sync import (  # noqa: F401
    AuditAnchor,
    CustomerHistory,
    SyncedAuditEvent,
    SyncFeed,
    SyncIssue,
    SyncOutbox,
    SyncState,
    WorkstationClaim,
    WorkstationDay,
)

__all__ = [
    "AuditEvent", "Base", "Counter", "Customer", "FollowUpTask", "Hall", "IntakeEntry",
    "KeyPerson", "Line", "LineHistory", "OrderDocument", "OrderFee", "OrderPayment",
    "OrderSequence", "PrintedDocument", "QueueTicket", "ServiceOrder", "SignatureRecord", "Staff",
    "WizardDraft",
]
