"""Declarative base and the column types shared by every model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Index, MetaData, String, TypeDecorator, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

from app.clock import SYSTEM_CLOCK

# Stable constraint names so migrations read the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC everywhere."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow(context: Any) -> datetime:
    """Column default: now by the clock of the database that writes the row.

    `Database.session()` hands its clock to the connection as an execution option; a bare
    connection (migrations, raw tools) falls back to the machine's clock.
    """
    clock = context.execution_options.get("clock") if context is not None else None
    # Only a Database puts a clock there. (isinstance against the runtime-checkable Protocol
    # costs ~30 µs, for every row with a time column.)
    return clock.now() if clock is not None else SYSTEM_CLOCK.now()


def new_uid() -> str:
    """A stable key that is unique across workstations without coordination (for sync)."""
    return str(uuid.uuid4())


UID = String(36)


# Partial unique indexes. Naming `postgresql_where` in the model loads SQLAlchemy's PostgreSQL
# dialect (~30 modules, 30-45 ms) in every process, also a `counter process` on SQLite; the
# migrations create these indexes with their WHERE on both databases, so the model names
# PostgreSQL's WHERE only when metadata meets PostgreSQL (`with_postgresql_where`).
_POSTGRESQL_WHERE: list[tuple[Index, str]] = []


def partial_unique(name: str, *columns: str, where: str) -> Index:
    """A unique index over the rows `where` holds (the same SQL on SQLite and PostgreSQL)."""
    index = Index(name, *columns, unique=True, sqlite_where=text(where))
    _POSTGRESQL_WHERE.append((index, where))
    return index


def with_postgresql_where() -> None:
    """Give the partial indexes their PostgreSQL WHERE (before comparing or emitting DDL for
    PostgreSQL from the models). Idempotent."""
    for index, where in _POSTGRESQL_WHERE:
        index.dialect_kwargs["postgresql_where"] = text(where)
