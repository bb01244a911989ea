"""`counter stock`: the counters' stock (receipts, transfers, on hand)."""
