"""Sub-commands of `counter`, one module each (see app/cli.py)."""
