"""Application services over the database: what the GUI and the command line both call.

Everything here is Qt-free. Each public call is one transaction: it happens whole or not at
all, and it checks the caller's permission itself (never trusting the UI to have done so).
"""
