"""The program's frame: start-up, log-in, the lock screen, idle lock, about."""
