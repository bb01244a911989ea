"""Shared pieces of every window: theme, fonts, translations, labels, the hall's time in Qt
editors, and background operations (runner, operations, failures)."""
