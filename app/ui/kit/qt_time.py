"""The hall's dates and times in Qt's editors.

An editor shows the hall's wall-clock time (its zone, not the machine's), starting from the
injected clock's instant; what the clerk picks is read back as an aware instant in UTC. Without
this, a counter PC set to another zone (or to UTC) would show and store times shifted by hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit, QWidget

from app.clock import zone_of


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def qt_zone(zone: str | ZoneInfo | None, at: datetime) -> QTimeZone:
    """Qt's zone for the hall's; a fixed offset (the one at `at`) if Qt does not know it."""
    info = zone_of(zone)
    found = QTimeZone(info.key.encode())
    if found.isValid():
        return found
    offset = at.astimezone(info).utcoffset()
    return QTimeZone(int(offset.total_seconds()) if offset else 0)


def local_datetime_edit(at: datetime, zone: str | ZoneInfo | None,
                        parent: QWidget | None = None) -> QDateTimeEdit:
    """A date-time editor in the hall's zone, set to the instant `at` (aware)."""
    qzone = qt_zone(zone, at)
    edit = QDateTimeEdit(parent)
    edit.setTimeZone(qzone)
    edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(at.timestamp()), qzone))
    return edit


def instant_of(edit: QDateTimeEdit) -> datetime:
    """The instant an editor shows, aware and in UTC."""
    return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)
