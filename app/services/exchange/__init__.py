"""Data leaving and entering the hall: export, import, backup and restore."""
