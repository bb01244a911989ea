"""The hall itself: its counters, who acts, first run and the demo hall."""
