"""The hall's day: shifts and their counts, registers, the supervisor's review, sign-off
and the daily report."""
