"""What every window of a session is handed: the database, the worker runner, the settings,
the core services and who is logged in. Passed explicitly; there is no global."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from app.ui.kit import i18n
from app.ui.kit.workers import OpRunner
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
            return "Asia/Shanghai"

    def business_date(self) -> date:
        return datetime.now(ZoneInfo(self.timezone)).date()

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("nobody is logged in")
        return self.actor
