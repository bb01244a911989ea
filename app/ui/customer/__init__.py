"""The customer-facing screen: the acceptance slip to read and the pad to sign on, on a second
monitor or signing tablet, or turned to the customer full-screen on the clerk's own monitor."""
