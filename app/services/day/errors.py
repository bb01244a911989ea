"""The refusal every service of the hall's day raises (shifts, review, sign-off, registers)."""

from __future__ import annotations

from app.services.orders.service import OrderError


class DayError(OrderError):
    """A refusal of the day's services, told in the clerk's language (`.zh` / `.en`)."""
