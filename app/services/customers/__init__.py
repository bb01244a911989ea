"""Customers and their lines: personal data, reveals, the counter's look-ups, the day's
order listings and an order's full record."""
