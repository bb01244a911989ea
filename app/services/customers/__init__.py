"""Customers and their lines: personal data, reveals and the counter's look-ups."""
