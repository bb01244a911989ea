"""The audit trail: recording events and verifying the chain."""
