"""Shared pieces of every window: theme, fonts, translations, labels, workers."""
