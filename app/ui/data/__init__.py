"""Data tools: export dialog and sync status."""
