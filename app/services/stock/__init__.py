"""The counters' stock: what each holds, receipts (入库), transfers (调拨), value cards."""
