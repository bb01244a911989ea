"""`counter staff`: staff accounts from the command line (the command: `staff.py`; who acts
and which passwords: `prompts.py`; what each action does: `actions.py`)."""

from app.commands.staff.staff import register

__all__ = ["register"]  # found here by a top-level scan, in `staff.py` by a recursive one
