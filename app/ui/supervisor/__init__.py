"""Supervisor views: the day's orders, the intake log, follow-ups, an order's record."""
