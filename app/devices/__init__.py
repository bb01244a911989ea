"""The counter's devices, without Qt: ID card readers, the receipt printer, the scanner and
the queue caller. Each kind has a `check(...)` that answers in one sentence what works.

The window (`app.ui.devices`) drives these from workers; the command line uses them directly
(`counter devices show|test`, `counter reprint --printer`).
"""
