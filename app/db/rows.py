"""Writing a row that parallel writers may also be making (the first use of something)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def insert_missing(session: Session, model: type[Any], unique: list[str],
                   **values: Any) -> None:
    """Insert the row unless one with the same `unique` columns exists, without failing when
    a parallel transaction makes it at the same moment (`ON CONFLICT DO NOTHING`, on SQLite
    and PostgreSQL). The caller reads the row afterwards, whoever made it.

    Column defaults of the model apply (Core insert), the clock's among them.
    """
    # Each dialect's insert is imported when used: a counter on SQLite never loads PostgreSQL's
    # dialect package (some 30 modules, ~30 ms of a `counter process`) for it.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(model).values(**values)
                        .on_conflict_do_nothing(index_elements=unique))
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(model).values(**values)
                        .on_conflict_do_nothing(index_elements=unique))
