"""Sync with the hall's central PostgreSQL server."""
