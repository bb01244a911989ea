"""Writing a row that parallel writers may also be making (the first use of something)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_missing(session: Session, model: type[Any], unique: list[str],
                   **values: Any) -> None:
    """Insert the row unless one with the same `unique` columns exists, without failing when
    a parallel transaction makes it at the same moment (`ON CONFLICT DO NOTHING`, on SQLite
    and PostgreSQL). The caller reads the row afterwards, whoever made it.

    Column defaults of the model apply (Core insert), the clock's among them.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=unique))
