"""Opening the database: URL resolution, SQLite pragmas, schema migrations, sessions."""

from app.db.engine import Database, DatabaseError, clock_of, default_db_url, open_database

__all__ = ["Database", "DatabaseError", "clock_of", "default_db_url", "open_database"]
