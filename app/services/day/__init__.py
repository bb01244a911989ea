"""The hall's day: shifts, stock and cash, registers, sign-off and the daily report."""
