"""What every window of a session is handed: the database, the worker runner, the settings,
the core services and who is logged in. Passed explicitly; there is no global.

The time comes only from the database's injected clock (`now`, `business_date`), never from
the machine: a test or a drill that freezes the clock freezes the whole window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from app import clock
from app.ui.kit import i18n
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings

if TYPE_CHECKING:
    from app.core.catalog import Catalog
    from app.db import Database
    from app.services.customers.pii import PersonalData
    from app.services.hall.registry import Actor
    from app.services.orders.service import OrderService
    from app.ui.devices.idcard_reader import IdCardReaderWatcher


@dataclass
class AppContext:
    db: Database
    runner: OpRunner
    settings: UiSettings
    pd: PersonalData
    orders: OrderService
    catalog: Catalog
    actor: Actor | None = None
    reader: IdCardReaderWatcher | None = None
    data_dir: str = ""
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        """The language for the core's texts: ``en`` or ``zh``."""
        return "en" if (i18n.installed_language() or "zh_CN") == "en" else "zh"

    @property
    def timezone(self) -> str:
        try:
            return self.orders.hall_config().timezone
        except Exception:  # no hall yet: the default
            return clock.DEFAULT_ZONE

    def now(self) -> datetime:
        """The current instant (aware, UTC) from the database's injected clock."""
        return self.db.clock.now()

    def business_date(self) -> date:
        """The hall's business date now: its local date, not the machine's or UTC's."""
        return clock.business_date(self.db.clock, self.timezone)

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("nobody is logged in")
        return self.actor
