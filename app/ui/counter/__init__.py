"""The counter window and its panels."""
