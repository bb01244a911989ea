"""`counter day`: the hall's day from the command line: a clerk's shift (`shift.py`), orders at
the clerk's counter (`record.py`), the supervisor's checklist, approval and sign-off
(`signoff.py`); the command itself: `day.py`."""

from app.commands.day.day import register

__all__ = ["register"]  # found here by a top-level scan, in `day.py` by a recursive one
