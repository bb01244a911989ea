"""Staff: log-in, lockout, permissions, accounts and the screen lock policy."""
