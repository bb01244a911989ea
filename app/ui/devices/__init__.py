"""The counter's devices: ID card reader and printers."""
